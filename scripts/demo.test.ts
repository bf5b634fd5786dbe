import { execFileSync, spawn, type ChildProcess, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CallNextResponse, CounterResponse } from '../common/contract/counter-api.js';
import { BridgeEvent } from '../common/contract/kiosk-api.js';
import { VisitorView } from '../common/contract/visitor.js';
import { findFreePort } from '../portal/net/find-free-port.js';
import { allProcesses, descendantsOf, stillRunning, type ProcessInfo } from './support/process-tree.js';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
type Demo = ChildProcessByStdio<Writable, Readable, Readable>;

/**
 * `npm start` as an operator runs it on a machine without socat (issue 7 §9): it must come up
 * with the reader and the scanner over TCP, read a card through the kiosk's real reader driver,
 * and on a stop or a failure leave no process behind: not the portal, not its PostgreSQL, not
 * a simulator, not Chromium. The first run has a screen (a virtual X server, Xvfb, where it is
 * installed): the demo opens the kiosk screen and the hall display in Chromium, and stops both.
 */
let work: string;
let pathWithoutSocat: string;
const demos: Demo[] = [];

/** A PATH with every program of this one except socat (symlinks in a temp folder). */
function hideSocat(into: string): string {
  mkdirSync(into, { recursive: true });
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const link = path.join(into, name);
      if (name === 'socat' || existsSync(link)) continue;
      try {
        symlinkSync(path.join(dir, name), link);
      } catch {
        // A name that cannot be linked (odd characters, a race): not one the demo runs.
      }
    }
  }
  return into;
}

interface DemoRun {
  child: Demo;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<[number | null, NodeJS.Signals | null]>;
}

type PortName = 'PORTAL_PORT' | 'PRINTER_PORT' | 'RECEIPTS_PORT' | 'KIOSK_PORT' | 'ID_READER_PORT' | 'SCANNER_PORT' | 'PORTAL_PG_PORT';

/** A free port for everything the demo listens on, PostgreSQL included. */
async function ports(): Promise<Record<PortName, string>> {
  return {
    PORTAL_PORT: String(await findFreePort()),
    PRINTER_PORT: String(await findFreePort()),
    RECEIPTS_PORT: String(await findFreePort()),
    KIOSK_PORT: String(await findFreePort()),
    ID_READER_PORT: String(await findFreePort()),
    SCANNER_PORT: String(await findFreePort()),
    PORTAL_PG_PORT: String(await findFreePort()),
  };
}

/**
 * Starts the demo as `npm start` would (node + tsx, the script itself), in its own process group
 * so that whatever it starts can be found by group as well as by parentage.
 */
function startDemo(env: Record<string, string>): DemoRun {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, DISPLAY: '', WAYLAND_DISPLAY: '', DATABASE_URL: '', PATH: pathWithoutSocat, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  demos.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/**
 * A virtual X server on a display number it picks itself (-displayfd), or null where Xvfb is not
 * installed. Killed by the caller.
 */
async function startXvfb(): Promise<{ display: string; server: ChildProcess } | null> {
  const xvfb = ['/usr/bin/Xvfb', '/usr/local/bin/Xvfb'].find((candidate) => existsSync(candidate));
  if (!xvfb) return null;
  const server = spawn(xvfb, ['-displayfd', '1', '-screen', '0', '1920x1080x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const [chunk] = (await Promise.race([once(server.stdout, 'data'), once(server, 'exit').then(() => [null])])) as [Buffer | null];
  if (!chunk) return null;
  return { display: `:${chunk.toString().trim()}`, server };
}

/** The `curl` commands the demo printed (each on two lines, joined by the backslash). */
function printedCurls(stdout: string): string[] {
  return [...stdout.matchAll(/^\s+(curl .*?) \\\n\s+(-d .*)$/gm)].map((m) => `${m[1]} ${m[2]}`);
}

async function until(what: string, predicate: () => boolean, run: DemoRun, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (run.child.exitCode !== null || run.child.signalCode !== null) {
      throw new Error(`demo exited while waiting for ${what}:\n${run.stdout()}\n${run.stderr()}`);
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${run.stdout()}\n${run.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The folder PostgreSQL runs on for a demo data folder: `portal-pg` itself, or, when the
 * `postgres` user could not reach it, the system folder its symlink points to
 * (portal/db/pg-placement.ts).
 */
function clusterDirOf(dataDir: string): string {
  const link = path.join(dataDir, 'portal-pg');
  try {
    return realpathSync(link);
  } catch {
    return link;
  }
}

/** Whether a process runs on the demo's PostgreSQL cluster. */
const runsCluster = (p: ProcessInfo, dataDir: string): boolean => p.cmdline.includes(clusterDirOf(dataDir));

/** Everything that runs in the demo's group or session, or under its data folder, besides itself. */
function leftBehind(demoPid: number, dataDir: string, seen: readonly ProcessInfo[]): string[] {
  const alive = seen.filter(stillRunning);
  const byGroup = allProcesses().filter((p) => p.pid !== demoPid && (p.pgid === demoPid || p.sid === demoPid));
  const byData = allProcesses().filter((p) => p.cmdline.includes(dataDir) || runsCluster(p, dataDir));
  return [...alive, ...byGroup, ...byData].map((p) => `${p.pid} ${p.comm} ${p.cmdline}`);
}

/** Waits a little for processes that are on their way out (a postmaster's last checkpoint). */
async function settle(check: () => string[], timeoutMs = 10_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let left = check();
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    left = check();
  }
  return left;
}

beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'hall-demo-test-'));
  // The postgres system user (the test may run as root) must reach the data folder's parent.
  chmodSync(work, 0o755);
  pathWithoutSocat = hideSocat(path.join(work, 'bin'));
});

afterEach(() => {
  for (const demo of demos.splice(0)) {
    if (demo.exitCode === null && demo.signalCode === null && demo.pid !== undefined) {
      try {
        process.kill(-demo.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
});

afterAll(() => {
  // A cluster moved to the system folder goes too: the data folder below held only its symlink.
  for (const run of readdirSync(work)) {
    const link = path.join(work, run, 'portal-pg');
    if (existsSync(link) && lstatSync(link).isSymbolicLink()) rmSync(realpathSync(link), { recursive: true, force: true });
  }
  rmSync(work, { recursive: true, force: true });
});

describe.skipIf(os.platform() !== 'linux')('npm start (scripts/demo.ts) without socat', () => {
  it('serves the reader over TCP, reads a card through the kiosk, opens the display, and SIGINT leaves no process behind', { timeout: 240_000 }, async () => {
    expect(existsSync(path.join(pathWithoutSocat, 'socat'))).toBe(false);
    const dataDir = path.join(work, 'run');
    const screen = await startXvfb();
    try {
      const env = { HALL_DATA_DIR: dataDir, ...(await ports()), ...(screen ? { DISPLAY: screen.display } : {}) };
      const run = startDemo(env);
      const pid = run.child.pid ?? 0;
      await until('the demo to be ready', () => run.stdout().includes('Press Ctrl+C to stop.'), run);

      // The portal's pages, the demo accounts, and a counter call that works as printed.
      const portal = `http://127.0.0.1:${env.PORTAL_PORT}`;
      expect(run.stdout()).toContain(`Counter console  ${portal}/counter/`);
      expect(run.stdout()).toMatch(/accounts clerk1, clerk2, clerk3, clerk4, manager, admin; password demo-password/);
      expect(run.stdout()).toContain(`${portal}/display/#token=demo-display-token`);
      expect(run.stdout()).toContain(`Citizen pages    ${portal}/citizen/`);
      const citizen = await fetch(`${portal}/citizen/`);
      expect(citizen.status).toBe(200);
      expect(await citizen.text()).toContain('<div id="root">');
      const [signIn = '', callNext = '', ...others] = printedCurls(run.stdout());
      expect(others).toEqual([]);
      expect(CounterResponse.parse(JSON.parse(execFileSync('sh', ['-c', signIn], { encoding: 'utf8' }))).counter).toMatchObject({ counterId: 'window-1', state: 'idle' });
      // Nobody has taken a ticket: the call answers, with nobody to call.
      expect(CallNextResponse.parse(JSON.parse(execFileSync('sh', ['-c', callNext], { encoding: 'utf8' }))).ticket).toBeNull();

      // With a screen: the kiosk screen and the hall display, each its own Chromium with its own profile.
      const chromiums = screen ? descendantsOf(pid).filter((p) => p.ppid === pid && p.cmdline.includes('--user-data-dir=')) : [];
      if (screen) {
        expect(run.stdout()).toContain(`Hall display     (opened in Chromium) ${portal}/display/#token=demo-display-token`);
        const wall = chromiums.find((p) => p.cmdline.includes('/display/#token=') && p.cmdline.includes('--autoplay-policy=no-user-gesture-required'));
        const kiosk = chromiums.find((p) => p.cmdline.includes(`--app=http://127.0.0.1:${env.KIOSK_PORT}/`));
        expect(wall, chromiums.map((p) => p.cmdline).join('\n')).toBeDefined();
        expect(kiosk).toBeDefined();
      }

      // One line says how to get socat; the reader and scanner are served as tcp:// device servers.
      expect(run.stdout().split('\n').filter((l) => l.includes('socat'))).toHaveLength(1);
      expect(run.stdout()).toContain(`ID card reader   tcp://127.0.0.1:${env.ID_READER_PORT}`);
      expect(run.stdout()).toContain(`QR scanner       tcp://127.0.0.1:${env.SCANNER_PORT}`);
      // The launch URL (with the bridge token) is in a file, not on stdout.
      const launchUrl = readFileSync(path.join(dataDir, 'kiosk', 'launch-url'), 'utf8').trim();
      const token = new URL(launchUrl).hash.replace(/^#token=/, '');
      expect(token).toMatch(/^[0-9a-f]{64}$/);
      expect(run.stdout() + run.stderr()).not.toContain(token);

      // The kiosk screen's view: a card placed on the simulated reader reaches it through tcp://.
      const origin = `http://127.0.0.1:${env.KIOSK_PORT}`;
      const ws = new WebSocket(`ws://127.0.0.1:${env.KIOSK_PORT}/bridge?token=${token}`, { headers: { origin } });
      await once(ws, 'open');
      const identified = new Promise<VisitorView>((resolve) => {
        ws.on('message', (data: Buffer) => {
          const msg = BridgeEvent.safeParse(JSON.parse(data.toString()));
          if (msg.success && msg.data.event === 'visitorIdentified') resolve(VisitorView.parse(msg.data.payload));
        });
      });
      run.child.stdin.write('place card rare-name\n');
      const visitor = await identified;
      expect(visitor.maskedName).toContain('䶮');
      ws.close();
      run.child.stdin.write('status\n');
      await until('the status answer', () => /"transport":"tcp"/.test(run.stdout()), run);
      expect(run.stdout()).toMatch(/"reader":\{"plugged":true,"connected":true,"cardPresent":true,"commands":\d+,"reads":1/);

      // What it started, by parentage: the portal (node), its PostgreSQL and the postmaster's children.
      const started = descendantsOf(pid);
      expect(started.some((p) => p.cmdline.includes('portal/cli.ts'))).toBe(true);
      expect(started.some((p) => runsCluster(p, dataDir))).toBe(true);

      // SIGINT to the demo alone (as `kill -INT`): it must stop the portal and PostgreSQL itself.
      process.kill(pid, 'SIGINT');
      const [code] = await run.exited;
      expect(code).toBe(0);
      expect(run.stderr()).not.toMatch(/\n\s+at /);
      expect(await settle(() => leftBehind(pid, dataDir, started))).toEqual([]);
      // The launch URL goes with the host that could honour it.
      expect(existsSync(path.join(dataDir, 'kiosk', 'launch-url'))).toBe(false);
      // Both Chromium profiles went with their windows.
      for (const profile of chromiums.map((p) => /--user-data-dir=(\S+)/.exec(p.cmdline)?.[1] ?? '')) expect(existsSync(profile), profile).toBe(false);
    } finally {
      screen?.server.kill('SIGKILL');
    }
  });

  it('a start that fails (a port in use) prints one line, stops what it started, and the next start is not blocked', { timeout: 240_000 }, async () => {
    const dataDir = path.join(work, 'busy');
    const env = { HALL_DATA_DIR: dataDir, ...(await ports()) };
    // The printer's port is taken: the failure comes after the portal and PostgreSQL are up.
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(Number(env.PRINTER_PORT), '127.0.0.1', resolve));
    try {
      for (const attempt of [1, 2]) {
        const run = startDemo(env);
        const pid = run.child.pid ?? 0;
        const seen: ProcessInfo[] = [];
        const watch = setInterval(() => {
          for (const p of descendantsOf(pid)) if (!seen.some((s) => s.pid === p.pid && s.start === p.start)) seen.push(p);
        }, 20);
        const [code] = await run.exited;
        clearInterval(watch);
        expect(code, `attempt ${attempt}`).toBe(1);
        const errLines = run.stderr().trim().split('\n');
        expect(errLines, run.stderr()).toHaveLength(1);
        expect(errLines[0]).toMatch(/^demo: .*EADDRINUSE/);
        // The second attempt fails the same way: no "data dir in use" from a PostgreSQL left running.
        expect(run.stderr()).not.toMatch(/in use; stop it|data-dir-in-use/);
        expect(seen.some((p) => runsCluster(p, dataDir)), `attempt ${attempt}: PostgreSQL had started`).toBe(true);
        expect(await settle(() => leftBehind(pid, dataDir, seen))).toEqual([]);
      }
    } finally {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
  });

  it('stops everything when its stdin ends, and its servers stop by themselves if it is SIGKILLed', { timeout: 240_000 }, async () => {
    const dataDir = path.join(work, 'ends');
    const env = { HALL_DATA_DIR: dataDir, ...(await ports()) };

    const closed = startDemo(env);
    const closedPid = closed.child.pid ?? 0;
    await until('the demo to be ready', () => closed.stdout().includes('Press Ctrl+C to stop.'), closed);
    const closedStarted = descendantsOf(closedPid);
    closed.child.stdin.end();
    expect((await closed.exited)[0]).toBe(0);
    expect(await settle(() => leftBehind(closedPid, dataDir, closedStarted))).toEqual([]);

    // SIGKILL runs no handler: the portal sees its stdin pipe end and stops its PostgreSQL itself.
    const killed = startDemo(env);
    const killedPid = killed.child.pid ?? 0;
    await until('the demo to be ready', () => killed.stdout().includes('Press Ctrl+C to stop.'), killed);
    const killedStarted = descendantsOf(killedPid);
    expect(killedStarted.some((p) => runsCluster(p, dataDir))).toBe(true);
    process.kill(killedPid, 'SIGKILL');
    await killed.exited;
    expect(await settle(() => leftBehind(killedPid, dataDir, killedStarted), 20_000)).toEqual([]);
  });
});
