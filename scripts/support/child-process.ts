import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface StartedChild {
  child: ChildProcess;
  /** The first JSON line the child printed with `"event":"listening"`. */
  ready: Record<string, unknown>;
  output: () => string;
}

/** Starts a TypeScript entry point under tsx and waits for its `listening` JSON line. */
export function startTsChild(entry: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<StartedChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => {
    log += d.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${entry} not ready in ${timeoutMs} ms:\n${log}`));
    }, timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited early (${code ?? signal}):\n${log}`));
    });
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      log += `${line}\n`;
      try {
        const msg = JSON.parse(line) as Record<string, unknown>;
        if (msg.event === 'listening') {
          clearTimeout(timer);
          child.removeAllListeners('exit');
          resolve({ child, ready: msg, output: () => log });
        }
      } catch {
        // Not JSON: ordinary log output.
      }
    });
  });
}

export async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** SIGTERM, then SIGKILL if it has not exited within `graceMs`; resolves once it has exited. */
export async function stopGracefully(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
