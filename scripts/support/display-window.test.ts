import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { launchDisplayWindow } from './display-window.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'hk-display-window-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Starts the window with a stand-in Chromium that writes down its command line. */
async function argvOf(url: string, kiosk: boolean): Promise<string[]> {
  const argvFile = path.join(tmp, `argv-${kiosk}`);
  const fake = path.join(tmp, 'fake-chromium');
  writeFileSync(fake, `#!/bin/sh\nprintf '%s\\n' "$@" > "$ARGV_FILE"\n`, { mode: 0o755 });
  process.env.ARGV_FILE = argvFile;
  const child = launchDisplayWindow(url, { executable: fake, kiosk });
  await new Promise((resolve) => child.once('exit', resolve));
  return readFileSync(argvFile, 'utf8').trim().split('\n');
}

describe('the demo display window', () => {
  it('opens the display page full screen, speaking without a click, in a profile of its own', async () => {
    const url = 'http://127.0.0.1:8080/display/#token=demo-display-token';
    const argv = await argvOf(url, true);
    expect(argv).toContain(`--app=${url}`);
    expect(argv).toContain('--kiosk');
    expect(argv).toContain('--autoplay-policy=no-user-gesture-required');
    const profile = argv.find((a) => a.startsWith('--user-data-dir='))?.slice('--user-data-dir='.length) ?? '';
    expect(profile.startsWith(path.join(os.tmpdir(), 'hall-display-chromium-'))).toBe(true);
    expect(existsSync(profile)).toBe(true);
    rmSync(profile, { recursive: true, force: true });

    const windowed = await argvOf(url, false);
    expect(windowed).not.toContain('--kiosk');
    const second = windowed.find((a) => a.startsWith('--user-data-dir='))?.slice('--user-data-dir='.length) ?? '';
    expect(second).not.toBe(profile);
    rmSync(second, { recursive: true, force: true });
  });
});
