import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordFileFor } from './db/pg-password.js';
import { readPostmasterPid } from './db/postmaster-lock.js';
import { isProcessAlive } from './db/process-probe.js';
import { findFreePort } from './net/find-free-port.js';
import { makeReachableTempDir, startTestPostgres, type TestPostgres } from './test-support/test-postgres.js';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

type Portal = ChildProcessByStdio<null, Readable, Readable>;

let db: TestPostgres;
const started: Portal[] = [];

beforeAll(async () => {
  db = await startTestPostgres({ migrate: false });
});

afterAll(async () => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await db.close();
});

/**
 * Runs the CLI with node + the tsx loader rather than `npx tsx`: npx puts npm and a shell between
 * the test and the portal, so a signal sent to the child pid would not reach the portal.
 */
async function startPortal(env: Record<string, string>, args: string[] = []): Promise<{ child: Portal; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'portal/cli.ts', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  child.stdout.setEncoding('utf8');
  let stdout = '';
  while (!stdout.includes('\n')) {
    const [chunk] = (await Promise.race([once(child.stdout, 'data'), once(child, 'exit')])) as [unknown];
    if (typeof chunk !== 'string') throw new Error(`portal exited before listening: ${stderr}`);
    stdout += chunk;
  }
  const line = JSON.parse(stdout.split('\n')[0] ?? '') as { event: string; port: number };
  expect(line.event).toBe('listening');
  return { child, port: line.port };
}

async function stop(child: Portal, signal: NodeJS.Signals): Promise<number | null> {
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  child.kill(signal);
  return (await exited)[0];
}

describe('portal CLI', () => {
  it('migrates, seeds and serves on an external PostgreSQL, and stops on SIGTERM', async () => {
    const port = await findFreePort();
    const { child, port: listening } = await startPortal(
      { DATABASE_URL: db.embedded.url, PORT: String(port), KIOSK_TOKEN: 'cli-kiosk-token', STAFF_TOKEN: 'cli-staff-token' },
      ['--seed-demo'],
    );
    expect(listening).toBe(port);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok' });
    const catalog = await fetch(`http://127.0.0.1:${port}/v1/kiosk/catalog`, {
      headers: { authorization: 'Bearer cli-kiosk-token' },
    });
    expect(catalog.status).toBe(200);
    expect(await stop(child, 'SIGTERM')).toBe(0);
    // The external server is not the portal's to stop.
    const still = await db.pool.query('SELECT count(*)::int AS n FROM halls');
    expect(still.rows).toEqual([{ n: 1 }]);
  });

  it('comes back after SIGKILL while PostgreSQL keeps running', async () => {
    // Demo mode: the --seed-demo run above left the demo staff accounts and display token (issue 8).
    const env = { DATABASE_URL: db.embedded.url, PORT: '0', PORTAL_DEMO: '1' };
    const first = await startPortal(env);
    await stop(first.child, 'SIGKILL');
    const second = await startPortal(env);
    const health = await fetch(`http://127.0.0.1:${second.port}/healthz`);
    expect(health.status).toBe(200);
    expect(await stop(second.child, 'SIGINT')).toBe(0);
  });

  it('starts and stops its own embedded PostgreSQL without DATABASE_URL', async () => {
    const dir = await makeReachableTempDir('portal-cli-pg-');
    try {
      const dataDir = path.join(dir, 'pg');
      const { child, port } = await startPortal({
        DATABASE_URL: '',
        PORT: '0',
        PORTAL_PG_DATA_DIR: dataDir,
        PORTAL_PG_PORT: String(await findFreePort()),
      });
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      const postmaster = await readPostmasterPid(dataDir);
      expect(postmaster !== null && isProcessAlive(postmaster)).toBe(true);
      expect(await stop(child, 'SIGTERM')).toBe(0);
      expect(postmaster !== null && isProcessAlive(postmaster)).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('exits 1 with a JSON reason when the configuration is wrong', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'portal/cli.ts', '--port', 'eighty'], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATABASE_URL: db.embedded.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    started.push(child);
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(1);
    expect(JSON.parse(stderr.trim().split('\n').pop() ?? '')).toMatchObject({ event: 'failed' });
  });

  it('stops its PostgreSQL when SIGTERM comes while it is still starting', async () => {
    const dir = await makeReachableTempDir('portal-cli-early-');
    try {
      const dataDir = path.join(dir, 'pg');
      const child = spawn(process.execPath, ['--import', 'tsx', 'portal/cli.ts'], {
        cwd: REPO_ROOT,
        env: { ...process.env, DATABASE_URL: '', PORT: '0', PORTAL_PG_DATA_DIR: dataDir, PORTAL_PG_PORT: String(await findFreePort()) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      started.push(child);
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
      // initdb has begun: the cluster folder fills up before the server can take requests.
      while ((await readdir(dataDir).catch(() => [])).length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      child.kill('SIGTERM');
      const [code] = await exited;
      expect(code).toBe(0);
      expect(stdout).toBe('');
      const leftovers = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
      const running: string[] = [];
      for (const pid of leftovers) {
        const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
        if (cmdline.includes(dataDir)) running.push(`${pid} ${cmdline}`);
      }
      expect(running).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  describe('demo credentials (issue 7 §3)', () => {
    async function runToExit(env: Record<string, string>, args: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
      const child = spawn(process.execPath, ['--import', 'tsx', 'portal/cli.ts', ...args], {
        cwd: REPO_ROOT,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      started.push(child);
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const [code] = (await once(child, 'exit')) as [number | null];
      return { code, stdout, stderr };
    }

    it('are seeded in demo mode (PORTAL_DEMO=1), then refused without it, leaving nothing running', async () => {
      const dir = await makeReachableTempDir('portal-cli-demo-');
      try {
        const dataDir = path.join(dir, 'pg');
        const env = { DATABASE_URL: '', PORT: '0', PORTAL_PG_DATA_DIR: dataDir, PORTAL_PG_PORT: String(await findFreePort()), PORTAL_PG_LOG: '1' };
        const demo = await startPortal({ ...env, PORTAL_DEMO: '1' });
        const catalog = await fetch(`http://127.0.0.1:${demo.port}/v1/kiosk/catalog`, { headers: { authorization: 'Bearer demo-kiosk-token' } });
        expect(catalog.status).toBe(200);
        expect(await stop(demo.child, 'SIGTERM')).toBe(0);

        const port = await findFreePort();
        const refused = await runToExit({ ...env, PORT: String(port) });
        expect(refused.code).not.toBe(0);
        expect(refused.stdout).toBe('');
        // One line of its own (PostgreSQL's log lines, asked for with PORTAL_PG_LOG, aside).
        const lines = refused.stderr.trim().split('\n').filter((line) => !line.startsWith('[pg] '));
        expect(lines).toHaveLength(1);
        expect(JSON.parse(lines[0] ?? '')).toMatchObject({ event: 'failed', code: 'demo-credentials' });
        expect(lines[0]).toMatch(/kiosk demo-city-hall\/kiosk-1/);
        // Its PostgreSQL was stopped and nothing listens on its port.
        expect(await readPostmasterPid(dataDir)).toBeNull();
        await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();

        // Nothing it printed, PostgreSQL's log included (--pg-log), holds the superuser password.
        const password = (await readFile(passwordFileFor(dataDir), 'utf8')).trim();
        expect(password.length).toBeGreaterThan(20);
        expect(refused.stderr).not.toContain(password);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('refuses KIOSK_TOKEN set to the demo token before starting anything', async () => {
      const dir = await makeReachableTempDir('portal-cli-demo-env-');
      try {
        const dataDir = path.join(dir, 'pg');
        const refused = await runToExit({
          DATABASE_URL: '',
          PORT: '0',
          PORTAL_PG_DATA_DIR: dataDir,
          PORTAL_PG_PORT: String(await findFreePort()),
          KIOSK_TOKEN: 'demo-kiosk-token',
        });
        expect(refused.code).not.toBe(0);
        const lines = refused.stderr.trim().split('\n');
        expect(lines).toHaveLength(1);
        expect(JSON.parse(lines[0] ?? '')).toMatchObject({ event: 'failed', code: 'demo-credentials' });
        expect(lines[0]).toContain('KIOSK_TOKEN');
        await expect(stat(dataDir)).rejects.toThrow();
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
});
