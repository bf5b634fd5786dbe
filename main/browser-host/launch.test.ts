/**
 * The launch flow without the token in argv or on stdout: Chromium gets a one-time code, the
 * operator a 0600 file, and the CLI prints only where that file is.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { KioskHandlers } from '../../common/contract/kiosk-api.js';
import { createKioskDispatcher } from '../core/kiosk-dispatcher.js';
import { KioskEventHub } from '../core/kiosk-event-hub.js';
import { hashPin } from '../core/technician-pin.js';
import { startBrowserHost } from './browser-host.js';
import { chromiumKioskArgs, launchChromiumKiosk } from './chromium-launcher.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'hk-launch-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const target = createKioskDispatcher({} as KioskHandlers, new KioskEventHub());

function exchange(port: number, code: string): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}/bridge/exchange`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: `http://127.0.0.1:${port}` },
    body: JSON.stringify({ code }),
  });
}

function hashParam(url: string, name: string): string | null {
  return new URLSearchParams(new URL(url).hash.slice(1)).get(name);
}

describe('launching the kiosk screen', () => {
  it('starts Chromium with a one-time code, not the token, and that code works once', async () => {
    writeFileSync(path.join(tmp, 'index.html'), '<!doctype html>');
    const host = await startBrowserHost({ target, rendererDir: tmp });
    try {
      // A stand-in Chromium that writes down its command line (what `ps` shows every local user).
      const argvFile = path.join(tmp, 'argv');
      const fakeChromium = path.join(tmp, 'fake-chromium');
      writeFileSync(fakeChromium, `#!/bin/sh\nprintf '%s\\n' "$@" > '${argvFile}'\n`, { mode: 0o755 });
      const child = launchChromiumKiosk(host.newLaunchUrl(), { executable: fakeChromium, kiosk: true });
      await new Promise((resolve) => child.once('exit', resolve));
      const argv = readFileSync(argvFile, 'utf8');
      const profile = argv.split('\n').find((a) => a.startsWith('--user-data-dir='))?.slice('--user-data-dir='.length);
      if (profile) rmSync(profile, { recursive: true, force: true });
      expect(argv).not.toContain(host.token);
      expect(argv).toContain('--kiosk');
      const appUrl = argv.split('\n').find((a) => a.startsWith('--app='))?.slice('--app='.length) ?? '';
      const code = hashParam(appUrl, 'code') ?? '';
      expect(code).toMatch(/^[0-9a-f]{64}$/);

      // The page's exchange: the token once, then never again for that code.
      const first = await exchange(host.port, code);
      expect(await first.json()).toEqual({ token: host.token });
      expect((await exchange(host.port, code)).status).toBe(401);
      expect(chromiumKioskArgs(host.newLaunchUrl(), '/tmp/profile', { kiosk: true, isRoot: false }).join(' ')).not.toContain(host.token);
    } finally {
      await host.close();
    }
  });

  it('refuses to put a token URL on Chromium\'s command line', () => {
    expect(() => launchChromiumKiosk(`http://127.0.0.1:1/#token=${'a'.repeat(64)}`, { executable: '/bin/true', kiosk: true })).toThrow('command line');
  });

  it('writes the operator\'s URL to <dataDir>/launch-url, 0600, and removes it when the host stops', async () => {
    const dataDir = path.join(tmp, 'data');
    rmSync(dataDir, { recursive: true, force: true });
    const host = await startBrowserHost({ target, rendererDir: tmp, dataDir });
    const file = host.launchUrlFile ?? '';
    expect(file).toBe(path.join(dataDir, 'launch-url'));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const url = readFileSync(file, 'utf8').trim();
    expect(url).toBe(`http://127.0.0.1:${host.port}/#token=${host.token}`);
    // The URL opens the bridge (the page takes the token from the hash).
    const token = hashParam(url, 'token');
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/bridge?token=${token}`, { headers: { Origin: `http://127.0.0.1:${host.port}` } });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    ws.close();
    await host.close();
    expect(() => statSync(file)).toThrow();

    // A leftover from an earlier run, readable by everyone: replaced, not reused.
    writeFileSync(file, 'stale', { mode: 0o644 });
    const again = await startBrowserHost({ target, rendererDir: tmp, dataDir });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain(again.token);
    await again.close();
  });

  it('the browser shell CLI prints where the URL is, never the token', async () => {
    const dataDir = path.join(tmp, 'cli-data');
    const config = path.join(tmp, 'kiosk-config.json');
    writeFileSync(
      config,
      JSON.stringify({
        version: 1,
        kioskId: 'kiosk-1',
        kioskDigit: 1,
        dataDir,
        portal: { baseUrl: 'http://127.0.0.1:1', token: 'cli-test-kiosk-token' },
        printer: { host: '127.0.0.1', port: 1 },
        technician: { pinHash: await hashPin('246810', { cost: { N: 1024, r: 8, p: 1 } }) },
      }),
    );
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KIOSK_') && k !== 'DISPLAY' && k !== 'WAYLAND_DISPLAY'));
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'main/browser-host/cli.ts'), '--config', config], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let printed = '';
    child.stderr.on('data', (d: Buffer) => (printed += d.toString()));
    const lines: string[] = [];
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no launch line in time:\n${printed}${lines.join('\n')}`)), 60_000);
        child.once('exit', (code) => reject(new Error(`cli exited (${code}):\n${printed}`)));
        createInterface({ input: child.stdout }).on('line', (line) => {
          lines.push(line);
          // The last line it prints; its signal handlers are in place right after it.
          if (line.includes('readable by this user only')) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      const file = path.join(dataDir, 'launch-url');
      const token = hashParam(readFileSync(file, 'utf8').trim(), 'token') ?? '';
      expect(token).toMatch(/^[0-9a-f]{64}$/);
      printed += lines.join('\n');
      expect(printed).not.toContain(token);
      expect(printed).not.toContain('#token=');
      expect(lines.some((l) => l.includes(file))).toBe(true);
      expect(statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
      child.kill('SIGTERM');
      // Its own shutdown, not the signal's default: that is what removes the file with the dead token.
      expect(await exited).toBe(0);
    }
    expect(() => statSync(path.join(dataDir, 'launch-url'))).toThrow();
  });
});
