import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { kioskMethodNames } from '../../common/contract/kiosk-api.js';
import type { KioskEventListener } from '../core/kiosk-dispatcher.js';
import { createFakeElectron, FakeDownloadItem, fakeEvent, type FakeElectron } from './test-support/fake-electron.js';

const fakeConfig = { version: 1, kioskId: 'kiosk-7', dataDir: '/fake/user-data' };

function fakeRuntime() {
  const listeners = new Set<KioskEventListener>();
  return {
    listeners,
    dispatch: vi.fn(async () => ({ ok: true as const, response: {} })),
    subscribe: vi.fn((listener: KioskEventListener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    }),
    close: vi.fn(async () => undefined),
  };
}

/** Imports main.ts afresh, as Electron would run it, against the fakes. */
async function runMain(configure: (fake: FakeElectron) => void = () => undefined) {
  vi.resetModules();
  const fake = createFakeElectron();
  configure(fake);
  const runtime = fakeRuntime();
  const startKioskRuntime = vi.fn(async () => runtime);
  const loadKioskConfig = vi.fn(() => fakeConfig);
  vi.doMock('electron', () => fake.module);
  vi.doMock('../core/start-kiosk-runtime.js', () => ({ startKioskRuntime }));
  vi.doMock('../core/kiosk-config.js', () => ({ loadKioskConfig }));
  await import('./main.js');
  return { fake, runtime, startKioskRuntime, loadKioskConfig };
}

async function runReady(configure?: (fake: FakeElectron) => void) {
  const run = await runMain(configure);
  run.fake.app.becomeReady();
  await vi.waitFor(() => expect(run.fake.windows[0]?.webContents.loadedUrls).toEqual(['app://kiosk/index.html']));
  return run;
}

beforeEach(() => {
  vi.stubEnv('KIOSK_CONFIG', undefined);
  vi.stubEnv('KIOSK_MODE', undefined);
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.doUnmock('electron');
  vi.doUnmock('../core/start-kiosk-runtime.js');
  vi.doUnmock('../core/kiosk-config.js');
});

describe('main.ts, single instance', () => {
  it('quits at once when another instance holds the lock, touching nothing else', async () => {
    const { fake, startKioskRuntime } = await runMain((f) => {
      f.app.singleInstanceLock = false;
    });
    expect(fake.app.lockRequests).toBe(1);
    expect(fake.app.quitCalls).toBe(1);
    fake.app.becomeReady();
    await new Promise((resolve) => setImmediate(resolve));
    expect(fake.protocol.privilegedSchemes).toEqual([]);
    expect(fake.windows).toEqual([]);
    expect(startKioskRuntime).not.toHaveBeenCalled();
  });

  it('with the lock: registers the scheme before ready, then builds the shell when ready', async () => {
    const { fake, startKioskRuntime } = await runMain();
    expect(fake.app.lockRequests).toBe(1);
    expect(fake.app.quitCalls).toBe(0);
    expect(fake.protocol.privilegedSchemes).toHaveLength(1);
    expect(fake.windows).toHaveLength(0);
    expect(startKioskRuntime).not.toHaveBeenCalled();

    fake.app.becomeReady();
    await vi.waitFor(() => expect(fake.windows).toHaveLength(1));
    expect(fake.protocol.registeredTooLate).toBe(false);
  });

  it('focuses (and restores) the kiosk window when a second instance starts', async () => {
    const { fake } = await runReady();
    const win = fake.windows[0];
    if (!win) throw new Error('no window');
    win.minimized = true;
    fake.app.emit('second-instance', fakeEvent(), ['hall-kiosk'], '/');
    expect(win.restoreCalls).toBe(1);
    expect(win.focusCalls).toBe(1);
  });
});

describe('main.ts, when ready', () => {
  it('loads the config from <userData>/kiosk-config.json and starts the runtime with it', async () => {
    const { loadKioskConfig, startKioskRuntime } = await runReady();
    expect(loadKioskConfig).toHaveBeenCalledWith({
      configPath: path.join('/fake/user-data', 'kiosk-config.json'),
      dataDir: '/fake/user-data',
    });
    expect(startKioskRuntime).toHaveBeenCalledWith(fakeConfig);
  });

  it('uses KIOSK_CONFIG when set', async () => {
    vi.stubEnv('KIOSK_CONFIG', '/etc/hall-kiosk/kiosk.json');
    const { loadKioskConfig } = await runReady();
    expect(loadKioskConfig).toHaveBeenCalledWith(expect.objectContaining({ configPath: path.resolve('/etc/hall-kiosk/kiosk.json') }));
  });

  it('hardens the session and serves renderer/dist over app://', async () => {
    const { fake } = await runReady();
    const answers: boolean[] = [];
    const request = fake.session.defaultSession.permissionRequestHandler as ((...a: unknown[]) => void) | null;
    request?.({}, 'media', (granted: boolean) => answers.push(granted), {});
    expect(answers).toEqual([false]);
    expect(fake.protocol.schemeHandlers.has('app')).toBe(true);
  });

  it('saves the technician\'s log export from the kiosk window to <userData>/log-exports, and nothing else', async () => {
    const userData = mkdtempSync(path.join(os.tmpdir(), 'hk-user-data-'));
    try {
      const { fake } = await runReady((f) => {
        f.app.paths.userData = userData;
      });
      const [willDownload] = fake.session.defaultSession.handlers('will-download') as Array<(...a: unknown[]) => void>;
      const page = fake.windows[0]?.webContents;
      const name = 'hall-kiosk-kiosk-7-20250304-060000.log';
      const exported = new FakeDownloadItem('blob:app://kiosk/0b7c5e2a-1d7f-4f0e-9a51-6f2d3c9e8b10', name);
      const saving = fakeEvent();
      willDownload?.(saving, exported, page);
      expect(saving.defaultPrevented).toBe(false);
      expect(exported.savePath).toBe(path.join(userData, 'log-exports', name));

      const foreign = fakeEvent();
      willDownload?.(foreign, new FakeDownloadItem('https://evil.example/payload.exe', 'payload.exe'), page);
      expect(foreign.defaultPrevented).toBe(true);
    } finally {
      rmSync(userData, { recursive: true, force: true });
    }
  });

  it('opens one locked-down kiosk window with the preload next to main', async () => {
    const { fake } = await runReady();
    expect(fake.windows).toHaveLength(1);
    const options = fake.windows[0]?.options as { kiosk: boolean; webPreferences: Record<string, unknown> };
    expect(options.kiosk).toBe(true);
    expect(options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, devTools: false });
    expect(path.basename(String(options.webPreferences.preload))).toBe('preload.cjs');
    expect(path.dirname(String(options.webPreferences.preload))).toBe(import.meta.dirname);
    expect(fake.menu.applicationMenu).toBeNull();
  });

  it('KIOSK_MODE=0 gives a normal window with devtools and the default menu', async () => {
    vi.stubEnv('KIOSK_MODE', '0');
    const { fake } = await runReady();
    const options = fake.windows[0]?.options as { kiosk: boolean; webPreferences: Record<string, unknown> };
    expect(options.kiosk).toBe(false);
    expect(options.webPreferences.devTools).toBe(true);
    expect(fake.menu.applicationMenu).toBe('default');
  });

  it('hardens the window webContents: navigation away and window.open are refused', async () => {
    const { fake } = await runReady();
    const wc = fake.windows[0]?.webContents;
    if (!wc) throw new Error('no window');
    expect(wc.windowOpenHandler?.()).toEqual({ action: 'deny' });
    const away = fakeEvent({ url: 'https://evil.example/' });
    for (const h of wc.handlers('will-navigate')) h(away as never);
    expect(away.defaultPrevented).toBe(true);
  });

  it('bridges every contract method, trusting only the kiosk page', async () => {
    const { fake, runtime } = await runReady();
    expect([...fake.ipcMain.invokeHandlers.keys()].sort()).toEqual(kioskMethodNames.map((m) => `kiosk:${m}`).sort());
    await fake.ipcMain.invoke('kiosk:getStatus', { url: 'https://evil.example/' }, {});
    expect(runtime.dispatch).not.toHaveBeenCalled();
    await fake.ipcMain.invoke('kiosk:getStatus', { url: 'app://kiosk/index.html' }, {});
    expect(runtime.dispatch).toHaveBeenCalledWith('getStatus', {});
  });

  it('forwards runtime events to the window', async () => {
    const { fake, runtime } = await runReady();
    for (const l of runtime.listeners) l('connectivity', { state: 'offline' });
    expect(fake.windows[0]?.webContents.sent).toEqual([
      { channel: 'kiosk:event', args: [{ event: 'connectivity', payload: { state: 'offline' } }] },
    ]);
  });

  it('reloads the page when the renderer crashes, relaunches after repeated crashes', async () => {
    const { fake } = await runReady();
    const wc = fake.windows[0]?.webContents;
    if (!wc) throw new Error('no window');
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      wc.emit('render-process-gone', fakeEvent(), { reason: 'crashed', exitCode: 1 });
      expect(wc.loadedUrls).toEqual(['app://kiosk/index.html', 'app://kiosk/index.html']);
      wc.emit('render-process-gone', fakeEvent(), { reason: 'crashed', exitCode: 1 });
      wc.emit('render-process-gone', fakeEvent(), { reason: 'crashed', exitCode: 1 });
      expect(fake.app.relaunchCalls).toBe(0);
      wc.emit('render-process-gone', fakeEvent(), { reason: 'crashed', exitCode: 1 });
      expect(fake.app.relaunchCalls).toBe(1);
      expect(fake.app.exitCodes).toEqual([0]);
    } finally {
      logged.mockRestore();
    }
  });

  it('closes the runtime before quitting', async () => {
    const { fake, runtime } = await runReady();
    fake.app.quit();
    expect(runtime.close).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(fake.app.quitted).toBe(true));
  });

  it('exits non-zero when the core cannot start', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const { fake, startKioskRuntime } = await runMain();
      startKioskRuntime.mockRejectedValueOnce(new Error('database locked'));
      fake.app.becomeReady();
      await vi.waitFor(() => expect(fake.app.exitCodes).toEqual([1]));
      expect(fake.windows).toEqual([]);
      expect(logged).toHaveBeenCalled();
    } finally {
      logged.mockRestore();
    }
  });
});
