import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const EXIT_WITH_PARENT = fileURLToPath(new URL('./exit-with-parent.ts', import.meta.url));
/** Kept of a child's output for error messages. */
const MAX_LOG_CHARS = 64 * 1024;

export interface StartedChild {
  child: ChildProcess;
  /** The first JSON line the child printed with `"event":"listening"`. */
  ready: Record<string, unknown>;
  output: () => string;
}

/** A child that exited or hung before it was ready. `summary` is one line; `output` all it printed. */
export class ChildStartError extends Error {
  readonly code = 'child-start';
  constructor(
    readonly summary: string,
    readonly output: string,
  ) {
    super(`${summary}:\n${output}`);
    this.name = 'ChildStartError';
  }
}

/** The reason a server gave in its last `{"event":"failed","message":…}` line, if it printed one. */
function failureReason(log: string): string | null {
  for (const line of log.trim().split('\n').reverse()) {
    try {
      const msg = JSON.parse(line) as { event?: unknown; message?: unknown };
      if (msg.event === 'failed' && typeof msg.message === 'string') return msg.message.split('\n')[0] ?? null;
    } catch {
      // Not JSON: ordinary log output.
    }
  }
  return null;
}

export interface SpawnedChild {
  /** There from the start, so a caller can stop it even while it is starting. */
  child: ChildProcess;
  /** Resolves on the child's `listening` line; rejects (ChildStartError) if it exits or hangs first. */
  ready: Promise<StartedChild>;
}

/**
 * Starts a TypeScript entry point under tsx. Its stdin is a pipe it watches (exit-with-parent.ts):
 * if this process dies, even by SIGKILL, the child stops itself instead of running on.
 */
export function spawnTsChild(entry: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): SpawnedChild {
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', EXIT_WITH_PARENT, entry, ...args], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // Never written to; an EPIPE after the child has gone is not worth a crash.
  child.stdin?.on('error', () => undefined);
  let log = '';
  const keep = (text: string): void => {
    log += text;
    if (log.length > MAX_LOG_CHARS) log = log.slice(-MAX_LOG_CHARS);
  };
  child.stderr?.on('data', (d: Buffer) => keep(d.toString()));
  const ready = new Promise<StartedChild>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new ChildStartError(`${entry} not ready in ${timeoutMs} ms`, log));
    }, timeoutMs);
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      clearTimeout(timer);
      const reason = failureReason(log);
      reject(new ChildStartError(`${entry} exited early (${code ?? signal})${reason ? `: ${reason}` : ''}`, log));
    };
    child.once('exit', onExit);
    child.once('error', (err) => {
      clearTimeout(timer);
      child.off('exit', onExit);
      reject(new ChildStartError(`${entry} did not start: ${err.message}`, log));
    });
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      keep(`${line}\n`);
      try {
        const msg = JSON.parse(line) as Record<string, unknown>;
        if (msg.event === 'listening') {
          clearTimeout(timer);
          child.off('exit', onExit);
          resolve({ child, ready: msg, output: () => log });
        }
      } catch {
        // Not JSON: ordinary log output.
      }
    });
  });
  return { child, ready };
}

/** Starts a TypeScript entry point under tsx and waits for its `listening` JSON line. */
export function startTsChild(entry: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<StartedChild> {
  return spawnTsChild(entry, args, env, timeoutMs).ready;
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

export async function killHard(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** SIGTERM, then SIGKILL if it has not exited within `graceMs`; resolves once it has exited. */
export async function stopGracefully(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (hasExited(child) || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
