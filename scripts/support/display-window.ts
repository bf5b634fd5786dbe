import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromiumKioskArgs } from '../../main/browser-host/chromium-launcher.js';

/**
 * The hall display's window for the demo: Chromium on the portal's `/display/` page, locked down
 * as the kiosk window is (main/browser-host/chromium-launcher.ts), in a profile of its own (a
 * second Chromium instance beside the kiosk's), and allowed to speak without anyone clicking:
 * a wall display is never touched.
 */
export function displayWindowArgs(url: string, userDataDir: string, opts: { kiosk: boolean; isRoot: boolean }): string[] {
  return [...chromiumKioskArgs(url, userDataDir, opts), '--autoplay-policy=no-user-gesture-required'];
}

/**
 * Starts the display window. `url` lands on Chromium's command line, readable by every local
 * user: the demo passes its published demo display token (accepted in demo mode only); a hall's
 * display gets its own token once, on the machine itself, and keeps it in the page's storage.
 * The caller stops the process and removes its `--user-data-dir`.
 */
export function launchDisplayWindow(url: string, opts: { executable: string; kiosk: boolean }): ChildProcess {
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'hall-display-chromium-'));
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return spawn(opts.executable, displayWindowArgs(url, userDataDir, { kiosk: opts.kiosk, isRoot }), { stdio: 'ignore' });
}
