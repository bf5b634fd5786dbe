import path from 'node:path';

export type ShellEnv = Readonly<Record<string, string | undefined>>;

/** `KIOSK_CONFIG` names the config file; otherwise it lives in the app's userData folder. */
export function resolveConfigPath(env: ShellEnv, userDataDir: string): string {
  const fromEnv = env.KIOSK_CONFIG?.trim();
  return fromEnv ? path.resolve(fromEnv) : path.join(userDataDir, 'kiosk-config.json');
}

/**
 * Kiosk mode is on unless switched off: `KIOSK_MODE=0` (a developer's desk) or `1` decides;
 * without it, a boolean `kioskMode` in the config decides; without that, on.
 */
export function resolveKioskMode(env: ShellEnv, config: unknown): boolean {
  if (env.KIOSK_MODE === '0') return false;
  if (env.KIOSK_MODE !== undefined) return true;
  if (config !== null && typeof config === 'object' && 'kioskMode' in config && typeof config.kioskMode === 'boolean') {
    return config.kioskMode;
  }
  return true;
}
