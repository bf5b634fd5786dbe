import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Two linked pseudo-terminals: a real serial line for tests and the demo (docs/devices.md). */
export interface PtyPair {
  /** The kiosk's end (open this in the driver). */
  readonly a: string;
  /** The device's end (the simulator opens this). */
  readonly b: string;
  readonly pid: number;
  /** Ends socat (SIGTERM, then SIGKILL after 2 s) and removes the links. Idempotent. */
  stop(): Promise<void>;
}

export interface PtyPairOptions {
  /** Link paths; default: two fresh names in a new temp directory. Reusing paths = re-plugging. */
  a?: string;
  b?: string;
  /** How long to wait for both links, default 5000 ms. */
  timeoutMs?: number;
}

export enum PtyPairErrorCode {
  SocatMissing = 'pty-pair.socat-missing',
  Timeout = 'pty-pair.timeout',
  Exited = 'pty-pair.exited',
}

export class PtyPairError extends Error {
  constructor(
    readonly code: PtyPairErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PtyPairError';
  }
}

function waitExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Starts `socat -d -d pty,raw,echo=0,link=A pty,raw,echo=0,link=B` and resolves once both links
 * exist and socat has entered its transfer loop.
 */
export async function startPtyPair(opts: PtyPairOptions = {}): Promise<PtyPair> {
  const dir = opts.a && opts.b ? null : mkdtempSync(path.join(os.tmpdir(), 'kiosk-pty-'));
  const a = opts.a ?? path.join(dir ?? os.tmpdir(), 'kiosk');
  const b = opts.b ?? path.join(dir ?? os.tmpdir(), 'device');
  // A stale link from a killed run would pass the existence check before socat replaced it.
  for (const link of [a, b]) if (existsSync(link)) unlinkSync(link);
  const child = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (s: string) => {
    if (log.length < 4096) log += s;
  });

  const cleanup = (): void => {
    for (const link of [a, b]) if (existsSync(link)) rmSync(link, { force: true });
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
  let stopped: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = waitExit(child);
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
        await exited;
        clearTimeout(timer);
      }
      cleanup();
    })();
    return stopped;
  };

  await new Promise<void>((resolve, reject) => {
    const deadline = Date.now() + (opts.timeoutMs ?? 5000);
    const fail = (err: PtyPairError): void => {
      clearInterval(timer);
      void stop().then(() => reject(err));
    };
    child.once('error', (err: NodeJS.ErrnoException) =>
      fail(new PtyPairError(err.code === 'ENOENT' ? PtyPairErrorCode.SocatMissing : PtyPairErrorCode.Exited, `socat: ${err.message}`)),
    );
    const timer = setInterval(() => {
      if (child.exitCode !== null) return fail(new PtyPairError(PtyPairErrorCode.Exited, `socat exited ${child.exitCode}: ${log.trim()}`));
      if (existsSync(a) && existsSync(b) && log.includes('starting data transfer loop')) {
        clearInterval(timer);
        resolve();
      } else if (Date.now() > deadline) {
        fail(new PtyPairError(PtyPairErrorCode.Timeout, `socat links not ready: ${log.trim()}`));
      }
    }, 5);
  });
  return { a, b, pid: child.pid ?? 0, stop };
}
