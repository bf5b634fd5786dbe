import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BRIDGE_TOKEN_PARAM } from '../../common/contract/kiosk-api.js';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  const configured = env.KIOSK_CHROMIUM;
  if (configured) return existsSync(configured) ? configured : null;
  return CANDIDATES.find((c) => existsSync(c)) ?? null;
}

function carriesBridgeToken(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.searchParams.has(BRIDGE_TOKEN_PARAM) || new URLSearchParams(parsed.hash.slice(1)).has(BRIDGE_TOKEN_PARAM);
}

/**
 * Flags for a locked-down kiosk window. The background-networking and component-update flags
 * keep Chromium from calling home on a closed hall network; the sandbox is only dropped when we
 * run as root, where Chromium refuses to start with it.
 */
export function chromiumKioskArgs(url: string, userDataDir: string, opts: { kiosk: boolean; isRoot: boolean }): string[] {
  return [
    ...(opts.kiosk ? ['--kiosk'] : []),
    `--app=${url}`,
    `--user-data-dir=${userDataDir}`,
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-translate',
    '--disable-features=Translate,MediaRouter',
    '--disable-pinch',
    '--overscroll-history-navigation=0',
    ...(opts.isRoot ? ['--no-sandbox', '--disable-gpu'] : []),
  ];
}

/**
 * Starts Chromium on `url`, which lands on its command line, readable by every local user: pass
 * a one-time launch URL (BrowserHost.newLaunchUrl), never one with the bridge token.
 */
export function launchChromiumKiosk(url: string, opts: { executable: string; kiosk: boolean }): ChildProcess {
  if (carriesBridgeToken(url)) throw new Error('refusing to put the bridge token on a command line; use a launch code');
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'hall-kiosk-chromium-'));
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return spawn(opts.executable, chromiumKioskArgs(url, userDataDir, { kiosk: opts.kiosk, isRoot }), { stdio: 'ignore' });
}
