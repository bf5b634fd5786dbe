import { KioskConfigError } from './kiosk-config.js';

/** sysexits.h EX_CONFIG: a service manager can tell "fix the configuration" from a crash. */
export const EXIT_CONFIG = 78;

/**
 * Runs a shell's start step. A KioskConfigError (a bad value, a demo credential outside demo
 * mode) ends the process with its one-line message on stderr and exit code 78, not a stack trace;
 * anything else is rethrown as it is.
 */
export async function exitOnConfigError<T>(step: () => T | Promise<T>, exit: (code: number) => never = (code) => process.exit(code)): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (!(err instanceof KioskConfigError)) throw err;
    console.error(err.message);
    return exit(EXIT_CONFIG);
  }
}
