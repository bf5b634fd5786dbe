import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../net/find-free-port.js';
import { makeReachableTempDir } from '../test-support/test-postgres.js';
import { EmbeddedPgErrorCode } from './embedded-pg-error.js';
import { resolvePortalPostgres, startEmbeddedPostgres, type EmbeddedPostgres } from './embedded.js';
import { readPostmasterPid } from './postmaster-lock.js';
import { isProcessAlive } from './process-probe.js';

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
