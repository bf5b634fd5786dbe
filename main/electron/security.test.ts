import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { App, Session, WebContents } from 'electron';
import { afterAll, describe, expect, it } from 'vitest';
import { hardenEveryWebContents, hardenSession, hardenWebContents } from './security.js';
import type { LogExportOutcome } from './log-export.js';
import { asElectron, createFakeElectron, fakeEvent, FakeDownloadItem, FakeSession, FakeWebContents } from './test-support/fake-electron.js';

type Handler = (...args: unknown[]) => unknown;
const only = (handlers: readonly unknown[]): Handler => {
  expect(handlers).toHaveLength(1);
  return handlers[0] as Handler;
};

describe('hardenSession', () => {
  const session = new FakeSession();
  hardenSession(asElectron<Session>(session));

  it.each(['media', 'geolocation', 'notifications', 'serial', 'hid', 'clipboard-read', 'openExternal', 'fullscreen'])(
    'denies the permission request %s',
    (permission) => {
      const answers: boolean[] = [];
      const handler = session.permissionRequestHandler as Handler | null;
      expect(handler).toBeTypeOf('function');
      handler?.(new FakeWebContents(), permission, (granted: boolean) => answers.push(granted), { requestingUrl: 'app://kiosk/' });
      expect(answers).toEqual([false]);
    },
  );

  it('denies every permission check', () => {
    const check = session.permissionCheckHandler as Handler | null;
    expect(check).toBeTypeOf('function');
    for (const permission of ['media', 'geolocation', 'serial', 'usb', 'clipboard-sanitized-write']) {
      expect(check?.(null, permission, 'app://kiosk', {})).toBe(false);
    }
  });

  it('cancels downloads when no log export folder is given', () => {
    const event = fakeEvent();
    const item = new FakeDownloadItem('blob:app://kiosk/0b7c', 'hall-kiosk-kiosk-1-20250304-060000.log');
    only(session.handlers('will-download'))(event, item, new FakeWebContents());
    expect(event.defaultPrevented).toBe(true);
    expect(item.savePath).toBe('');
  });
});

describe('hardenSession: the log export download', () => {
  const userData = mkdtempSync(path.join(os.tmpdir(), 'hk-electron-'));
  afterAll(() => rmSync(userData, { recursive: true, force: true }));
  const exportDir = path.join(userData, 'log-exports');
  const outcomes: LogExportOutcome[] = [];
  const session = new FakeSession();
  hardenSession(asElectron<Session>(session), { logExportDir: exportDir, onLogExport: (o) => outcomes.push(o) });
  const download = (item: FakeDownloadItem, from = new FakeWebContents()) => {
    const event = fakeEvent();
    only(session.handlers('will-download'))(event, item, from);
    return event;
  };
  const FILE = 'hall-kiosk-kiosk-1-20250304-060000.log';

  it('saves the kiosk\'s own export to the fixed folder, without a dialog, and reports it saved', () => {
    const item = new FakeDownloadItem('blob:app://kiosk/0b7c5e2a-1d7f-4f0e-9a51-6f2d3c9e8b10', FILE);
    const event = download(item);
    expect(event.defaultPrevented).toBe(false);
    // A save path set in will-download is what keeps Electron from asking where to save.
    expect(item.savePath).toBe(path.join(exportDir, FILE));
    expect(statSync(exportDir).mode & 0o777).toBe(0o700);
    item.finish('completed');
    expect(outcomes.at(-1)).toEqual({ fileName: FILE, state: 'completed', savedTo: path.join(exportDir, FILE) });
    item.finish('interrupted');
  });

  it('reports an export that did not complete', () => {
    outcomes.length = 0;
    const item = new FakeDownloadItem('blob:app://kiosk/1', FILE);
    download(item);
    item.finish('interrupted');
    expect(outcomes).toEqual([{ fileName: FILE, state: 'interrupted', savedTo: null }]);
  });

  it.each([
    ['a web URL', 'https://evil.example/hall-kiosk.log', FILE, 'app://kiosk/index.html'],
    ['a blob of another origin', 'blob:https://evil.example/0b7c', FILE, 'app://kiosk/index.html'],
    ['a data URL', 'data:text/plain,hello', FILE, 'app://kiosk/index.html'],
    ['another file name', 'blob:app://kiosk/0b7c', 'kiosk.db', 'app://kiosk/index.html'],
    ['a path in the name', 'blob:app://kiosk/0b7c', '../hall-kiosk-kiosk-1-20250304-060000.log', 'app://kiosk/index.html'],
    ['another page', 'blob:app://kiosk/0b7c', FILE, 'https://evil.example/'],
  ])('cancels anything else: %s', (_what, url, name, pageUrl) => {
    const page = new FakeWebContents();
    page.mainFrame = { url: pageUrl };
    const item = new FakeDownloadItem(url, name);
    expect(download(item, page).defaultPrevented).toBe(true);
    expect(item.savePath).toBe('');
  });

  it('cancels an export larger than the contract allows', () => {
    const item = new FakeDownloadItem('blob:app://kiosk/0b7c', FILE, 50_000_000);
    expect(download(item).defaultPrevented).toBe(true);
  });
});

describe('hardenWebContents', () => {
  function hardened(kioskMode: boolean): FakeWebContents {
    const wc = new FakeWebContents();
    hardenWebContents(asElectron<WebContents>(wc), 'app://kiosk', { kioskMode });
    return wc;
  }

  it.each(['will-navigate', 'will-redirect'])('%s: prevents foreign origins, allows the kiosk origin', (name) => {
    const wc = hardened(true);
    const handler = only(wc.handlers(name));
    for (const url of [
      'https://evil.example/',
      'http://kiosk/index.html',
      'app://kiosk.evil.example/index.html',
      'file:///etc/passwd',
      'about:blank',
      'javascript:alert(1)',
    ]) {
      const event = fakeEvent({ url });
      handler(event, url);
      expect(event.defaultPrevented, url).toBe(true);
    }
    const home = fakeEvent({ url: 'app://kiosk/index.html#/ticket' });
    handler(home, home.url);
    expect(home.defaultPrevented).toBe(false);
  });

  it('denies window.open', () => {
    const wc = hardened(false);
    expect(wc.windowOpenHandler?.()).toEqual({ action: 'deny' });
  });

  it('prevents attaching a webview', () => {
    const event = fakeEvent();
    only(hardened(false).handlers('will-attach-webview'))(event, {}, { src: 'https://evil.example/' });
    expect(event.defaultPrevented).toBe(true);
  });

  it('in kiosk mode filters the keys that escape the kiosk, and lets typing through', () => {
    const filter = only(hardened(true).handlers('before-input-event'));
    const press = (input: Partial<{ key: string; code: string; control: boolean; meta: boolean; alt: boolean; shift: boolean }>) => {
      const event = fakeEvent();
      filter(event, { type: 'keyDown', key: '', code: '', control: false, meta: false, alt: false, shift: false, ...input });
      return event.defaultPrevented;
    };
    expect(press({ key: 'F4', code: 'F4', alt: true })).toBe(true);
    expect(press({ key: 'w', code: 'KeyW', control: true })).toBe(true);
    expect(press({ key: 'w', code: 'KeyW', meta: true })).toBe(true);
    expect(press({ key: 'r', code: 'KeyR', control: true })).toBe(true);
    expect(press({ key: 'R', code: 'KeyR', control: true, shift: true })).toBe(true);
    expect(press({ key: 'F5', code: 'F5' })).toBe(true);
    expect(press({ key: 'F11', code: 'F11' })).toBe(true);
    expect(press({ key: 'F12', code: 'F12' })).toBe(true);
    expect(press({ key: 'I', code: 'KeyI', control: true, shift: true })).toBe(true);
    // A Chinese IME reports 'Process' as the key; the physical code still gives it away.
    expect(press({ key: 'Process', code: 'KeyW', control: true })).toBe(true);

    expect(press({ key: 'a', code: 'KeyA' })).toBe(false);
    expect(press({ key: 'W', code: 'KeyW', shift: true })).toBe(false);
    expect(press({ key: 'F4', code: 'F4' })).toBe(false);
    expect(press({ key: 'i', code: 'KeyI', control: true })).toBe(false);
    expect(press({ key: 'Enter', code: 'Enter' })).toBe(false);
    expect(press({ key: 'Backspace', code: 'Backspace' })).toBe(false);
  });

  it('outside kiosk mode leaves the keyboard alone', () => {
    expect(hardened(false).handlers('before-input-event')).toHaveLength(0);
  });
});

describe('hardenEveryWebContents', () => {
  it('hardens every webContents the app creates', () => {
    const fake = createFakeElectron();
    hardenEveryWebContents(asElectron<App>(fake.app), 'app://kiosk', { kioskMode: true });
    const first = new FakeWebContents();
    const second = new FakeWebContents();
    fake.app.emit('web-contents-created', fakeEvent(), first);
    fake.app.emit('web-contents-created', fakeEvent(), second);
    for (const wc of [first, second]) {
      expect(wc.windowOpenHandler?.()).toEqual({ action: 'deny' });
      expect(wc.handlers('will-navigate')).toHaveLength(1);
      expect(wc.handlers('before-input-event')).toHaveLength(1);
    }
  });
});
