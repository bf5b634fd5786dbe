import { createHash, randomBytes } from 'node:crypto';
import { chmod, chown, cp, lstat, mkdir, readdir, readFile, realpath, rename, rm, rmdir, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EmbeddedPgError, EmbeddedPgErrorCode } from './embedded-pg-error.js';
import { canReach, ensurePostgresSystemUser, isRoot, POSTGRES_SYSTEM_USER, type SystemUserIds } from './postgres-system-user.js';

/**
 * Where the server runs from and where its cluster lives. PostgreSQL refuses to run as root, so
 * as root it runs as the `postgres` system user, which must reach its binaries and its data. A
 * checkout under a 0700 folder (`/root/hall-kiosk`) hides both from it. Rather than loosen the
 * modes of someone's home, the binaries are copied once to a root-owned, world-readable system
 * folder, and a new cluster is made there (owned by `postgres`, 0700) with the data folder left
 * as a symlink to it: the symlink records where the cluster went.
 */
export interface PgPlacement {
  /** Holds bin/, lib/ and share/ of the platform package (PostgreSQL finds lib and share from bin). */
  readonly binariesDir: string;
  /** The folder given to `postgres -D`: the data folder, or where its symlink points. */
  readonly clusterDir: string;
  /** Who runs the server: the `postgres` system user as root, else null (this process's user). */
  readonly runAs: SystemUserIds | null;
}

export interface PlacementOptions {
  dataDir: string;
  /** The platform package's folder holding bin/, lib/, share/. */
  binariesDir: string;
  /**
   * Root-owned folder for copied binaries and moved clusters, used only when the `postgres`
   * user cannot reach the originals. Default `/var/lib/hall-kiosk`, then
   * `<tmpdir>/hall-kiosk-system` if that cannot be made.
   */
  systemDir?: string;
}

export const DEFAULT_SYSTEM_DIRS = ['/var/lib/hall-kiosk', path.join(os.tmpdir(), 'hall-kiosk-system')];
const BINARY_FOLDERS = ['bin', 'lib', 'share'] as const;
const COMPLETE_MARKER = '.complete';

function placementError(message: string, cause?: unknown): EmbeddedPgError {
  return new EmbeddedPgError(EmbeddedPgErrorCode.Placement, message, cause === undefined ? undefined : { cause });
}

async function lstatOrNull(target: string): Promise<Awaited<ReturnType<typeof lstat>> | null> {
  try {
    return await lstat(target);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/**
 * A system folder is only used when root owns it and nobody else may write to it: anyone who
 * could would choose the binaries the `postgres` user runs, or swap a cluster.
 */
async function prepareSystemDir(dir: string, ids: SystemUserIds): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const info = await lstat(dir);
  if (!info.isDirectory() || info.uid !== 0 || (info.mode & 0o022) !== 0) {
    throw placementError(`${dir} must be a folder owned by root and writable by root only`);
  }
  if ((info.mode & 0o005) !== 0o005) await chmod(dir, 0o755);
  if (!canReach(ids, dir)) {
    throw placementError(`the '${POSTGRES_SYSTEM_USER}' user cannot reach ${dir}: every folder above it needs o+x`);
  }
  return dir;
}

/** The first system folder that can be prepared, tried lazily: most starts never need one. */
function systemDirResolver(configured: string | undefined, ids: SystemUserIds): () => Promise<string> {
  let resolved: Promise<string> | null = null;
  return () => {
    resolved ??= (async () => {
      if (configured) return prepareSystemDir(path.resolve(configured), ids);
      const failures: string[] = [];
      for (const candidate of DEFAULT_SYSTEM_DIRS) {
        try {
          return await prepareSystemDir(candidate, ids);
        } catch (err) {
          failures.push(err instanceof Error ? err.message : String(err));
        }
      }
      throw placementError(`no system folder for PostgreSQL (set PORTAL_PG_SYSTEM_DIR): ${failures.join('; ')}`);
    })();
    return resolved;
  };
}

/** Folders 0755, files readable by all, executables executable by all: the copy is for another user. */
async function openToAll(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const target = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) await openToAll(target);
    else if (entry.isFile()) {
      const { mode } = await lstat(target);
      await chmod(target, (mode & 0o111) !== 0 ? 0o755 : 0o644);
    }
  }
}

async function packageVersion(binariesDir: string): Promise<string> {
  try {
    const json = JSON.parse(await readFile(path.join(binariesDir, '..', 'package.json'), 'utf8')) as { version?: unknown };
    if (typeof json.version === 'string' && /^[\w.+-]+$/.test(json.version)) return json.version;
  } catch {
    // No package.json beside it: fall through to the binary's identity.
  }
  const info = await lstat(path.join(binariesDir, 'bin', 'postgres'));
  return `local-${info.size}-${Math.trunc(info.mtimeMs)}`;
}

/**
 * Copies bin/, lib/ and share/ to `<systemDir>/pg-<version>` once (to a partial folder renamed
 * into place when complete, so a crash mid-copy is never used), and reuses it afterwards.
 */
export async function stageBinaries(binariesDir: string, systemDir: string, ids: SystemUserIds): Promise<string> {
  const version = await packageVersion(binariesDir);
  const target = path.join(systemDir, `pg-${version}`);
  const ready = async (): Promise<boolean> =>
    (await lstatOrNull(path.join(target, COMPLETE_MARKER))) !== null && canReach(ids, path.join(target, 'bin', 'postgres'));
  if (await ready()) return target;

  const partial = `${target}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    for (const folder of BINARY_FOLDERS) {
      // verbatimSymlinks: lib/ holds relative links (libpq.so -> libpq.so.5.18) that must stay relative.
      await cp(path.join(binariesDir, folder), path.join(partial, folder), { recursive: true, verbatimSymlinks: true });
    }
    await openToAll(partial);
    await writeFile(path.join(partial, COMPLETE_MARKER), `${version}\n`, { mode: 0o644 });
    // A folder left by an older, unusable copy is replaced; one another process just finished is kept.
    if (!(await ready())) await rm(target, { recursive: true, force: true });
    await rename(partial, target).catch(async (err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err;
    });
  } catch (err) {
    throw placementError(`could not copy the PostgreSQL binaries to ${target}`, err);
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
  if (!(await ready())) throw placementError(`the '${POSTGRES_SYSTEM_USER}' user cannot run ${path.join(target, 'bin', 'postgres')}`);
  return target;
}

/** `portal-pg-<12 hex of the data folder's absolute path>`: one cluster per data folder. */
export function movedClusterName(dataDir: string): string {
  const resolved = path.resolve(dataDir);
  return `${path.basename(resolved)}-${createHash('sha256').update(resolved).digest('hex').slice(0, 12)}`;
}

async function placeClusterDir(dataDir: string, ids: SystemUserIds, systemDir: () => Promise<string>): Promise<string> {
  const info = await lstatOrNull(dataDir);
  if (info?.isSymbolicLink()) {
    let target: string;
    try {
      target = await realpath(dataDir);
    } catch (err) {
      throw placementError(`${dataDir} links to a cluster that is gone; remove the link to start a new one`, err);
    }
    if (!canReach(ids, path.dirname(target))) throw placementError(`the '${POSTGRES_SYSTEM_USER}' user cannot reach ${target}`);
    return target;
  }
  if (canReach(ids, path.dirname(dataDir))) return dataDir;
  if (info && (await readdir(dataDir)).length > 0) {
    throw placementError(
      `the '${POSTGRES_SYSTEM_USER}' user cannot reach the existing cluster ${dataDir}; ` +
        `move it to a folder it can reach and point the portal there (--pg-data-dir)`,
    );
  }
  const clusters = path.join(await systemDir(), 'clusters');
  await mkdir(clusters, { recursive: true, mode: 0o755 });
  await chmod(clusters, 0o755);
  const target = path.join(clusters, movedClusterName(dataDir));
  await mkdir(target, { recursive: true, mode: 0o700 });
  await chown(target, ids.uid, ids.gid);
  await chmod(target, 0o700);
  if (info) await rmdir(dataDir);
  await mkdir(path.dirname(dataDir), { recursive: true });
  await symlink(target, dataDir, 'dir');
  return target;
}

/** Decides (and prepares, as root) where the binaries and the cluster are. */
export async function placeCluster(opts: PlacementOptions): Promise<PgPlacement> {
  const dataDir = path.resolve(opts.dataDir);
  await mkdir(path.dirname(dataDir), { recursive: true });
  if (!isRoot()) {
    const info = await lstatOrNull(dataDir);
    return { binariesDir: opts.binariesDir, clusterDir: info?.isSymbolicLink() ? await realpath(dataDir) : dataDir, runAs: null };
  }
  const ids = await ensurePostgresSystemUser();
  const systemDir = systemDirResolver(opts.systemDir, ids);
  const binariesDir = canReach(ids, path.join(opts.binariesDir, 'bin', 'postgres'))
    ? opts.binariesDir
    : await stageBinaries(opts.binariesDir, await systemDir(), ids);
  const clusterDir = await placeClusterDir(dataDir, ids, systemDir);
  return { binariesDir, clusterDir, runAs: ids };
}
