import type { IpcMain, WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { kioskEventNames, kioskMethodNames } from '../../common/contract/kiosk-api.js';
import type { DispatchResult, KioskBridgeTarget, KioskEventListener } from '../core/kiosk-dispatcher.js';
import { forwardKioskEvents, kioskEventChannel, registerKioskIpc } from './ipc-bridge.js';
import { isTrustedKioskFrame } from './kiosk-origin.js';
import { asElectron, FakeIpcMain, FakeWebContents } from './test-support/fake-electron.js';

const kioskFrame = { url: 'app://kiosk/index.html' };
const evilFrame = { url: 'https://evil.example/' };

/** A runtime that records calls and answers what the test says. */
function recordingRuntime(answer: (method: string, request: unknown) => Promise<DispatchResult> = async () => ({ ok: true, response: { fine: true } })) {
  const calls: Array<{ method: string; request: unknown }> = [];
  const listeners = new Set<KioskEventListener>();
  const runtime: KioskBridgeTarget = {
    dispatch: (method, request) => {
      calls.push({ method, request });
      return answer(method, request);
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { runtime, calls, listeners };
}

function bridge(answer?: Parameters<typeof recordingRuntime>[0]) {
  const ipcMain = new FakeIpcMain();
  const recorded = recordingRuntime(answer);
  const dispose = registerKioskIpc(asElectron<IpcMain>(ipcMain), recorded.runtime, isTrustedKioskFrame);
  return { ipcMain, dispose, ...recorded };
}

describe('registerKioskIpc', () => {
  it('registers exactly one kiosk:<name> handler per contract method', () => {
    const { ipcMain } = bridge();
    expect(kioskMethodNames.length).toBeGreaterThan(0);
    expect([...ipcMain.invokeHandlers.keys()].sort()).toEqual(kioskMethodNames.map((m) => `kiosk:${m}`).sort());
  });

  it.each([
    ['a foreign origin', evilFrame],
    ['a look-alike host', { url: 'app://kiosk.evil.example/index.html' }],
    ['a file:// page', { url: 'file:///app/renderer/dist/index.html' }],
    ['no frame at all', null],
  ])('answers unauthorized to %s without reaching the core', async (_what, frame) => {
    const { ipcMain, calls } = bridge();
    for (const method of kioskMethodNames) {
      const reply = (await ipcMain.invoke(`kiosk:${method}`, frame, {})) as DispatchResult;
      expect(reply).toEqual({ ok: false, error: { code: 'unauthorized', message: expect.any(String) } });
    }
    expect(calls).toEqual([]);
  });

  it('treats a disposed sender frame as untrusted', async () => {
    const { ipcMain, calls } = bridge();
    const disposed = {
      get url(): string {
        throw new Error('Render frame was disposed');
      },
    };
    const reply = (await ipcMain.invoke('kiosk:getStatus', disposed, {})) as DispatchResult;
    expect(reply.ok).toBe(false);
    expect(calls).toEqual([]);
  });

  it('passes a kiosk page call to dispatch with its method and request, and returns the result', async () => {
    const { ipcMain, calls } = bridge(async (method) => ({ ok: true, response: { answeredBy: method } }));
    const request = { serviceId: 'svc-1', requestId: '0190a0b0-0000-7000-8000-000000000001' };
    const reply = await ipcMain.invoke('kiosk:takeTicket', kioskFrame, request);
    expect(calls).toEqual([{ method: 'takeTicket', request }]);
    expect(reply).toEqual({ ok: true, response: { answeredBy: 'takeTicket' } });
  });

  it('passes the core error result through unchanged', async () => {
    const failure: DispatchResult = { ok: false, error: { code: 'bad-request' as never, message: 'serviceId: required' } };
    const { ipcMain } = bridge(async () => failure);
    expect(await ipcMain.invoke('kiosk:takeTicket', kioskFrame, {})).toEqual(failure);
  });

  it('never throws across IPC: a dispatch that rejects becomes an internal error without details', async () => {
    const { ipcMain } = bridge(async () => {
      throw new Error('SQLITE_CORRUPT at /var/lib/kiosk/kiosk.db');
    });
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    let reply: unknown;
    try {
      reply = await ipcMain.invoke('kiosk:getStatus', kioskFrame, {});
      expect(logged).toHaveBeenCalledTimes(1);
    } finally {
      logged.mockRestore();
    }
    expect(reply).toEqual({ ok: false, error: { code: 'internal', message: 'internal error' } });
    expect(JSON.stringify(reply)).not.toContain('SQLITE');
  });

  it('describes the contract to the kiosk page only', () => {
    const { ipcMain } = bridge();
    expect(ipcMain.sendSync('kiosk:describe', kioskFrame)).toEqual({ methods: kioskMethodNames, events: kioskEventNames });
    expect(ipcMain.sendSync('kiosk:describe', evilFrame)).toEqual({ methods: [], events: [] });
    expect(ipcMain.sendSync('kiosk:describe', null)).toEqual({ methods: [], events: [] });
  });

  it('the disposer removes every handler, so it can be registered again', () => {
    const { ipcMain, dispose, runtime } = bridge();
    dispose();
    expect(ipcMain.invokeHandlers.size).toBe(0);
    expect(ipcMain.listenerCount('kiosk:describe')).toBe(0);
    expect(() => registerKioskIpc(asElectron<IpcMain>(ipcMain), runtime, isTrustedKioskFrame)).not.toThrow();
  });
});

describe('forwardKioskEvents', () => {
  it('sends each runtime event to the page as { event, payload }', () => {
    const { runtime, listeners } = recordingRuntime();
    const wc = new FakeWebContents();
    forwardKioskEvents(runtime, asElectron<WebContents>(wc));
    expect(listeners.size).toBe(1);
    for (const l of listeners) l('printerStatus', { state: 'ok' });
    expect(wc.sent).toEqual([{ channel: kioskEventChannel, args: [{ event: 'printerStatus', payload: { state: 'ok' } }] }]);
  });

  it('does not send to a page that is no longer the kiosk page', () => {
    const { runtime, listeners } = recordingRuntime();
    const wc = new FakeWebContents();
    forwardKioskEvents(runtime, asElectron<WebContents>(wc));
    wc.mainFrame = evilFrame;
    for (const l of listeners) l('ticketIssued', { number: 'A001' });
    expect(wc.sent).toEqual([]);
  });

  it('unsubscribes when the webContents is destroyed', () => {
    const { runtime, listeners } = recordingRuntime();
    const wc = new FakeWebContents();
    forwardKioskEvents(runtime, asElectron<WebContents>(wc));
    wc.destroy();
    expect(listeners.size).toBe(0);
  });

  it('the disposer unsubscribes and drops its destroyed listener', () => {
    const { runtime, listeners } = recordingRuntime();
    const wc = new FakeWebContents();
    const dispose = forwardKioskEvents(runtime, asElectron<WebContents>(wc));
    dispose();
    expect(listeners.size).toBe(0);
    expect(wc.listenerCount('destroyed')).toBe(0);
  });
});
