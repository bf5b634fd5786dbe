import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KioskError, KioskErrorCode } from '../../../common/contract/errors.js';
import { BridgeCall, kioskMethodNames, PrintState, type TicketView } from '../../../common/contract/kiosk-api.js';
import { sampleConnectivity, sampleHall, sampleServices, sampleTicket } from '../testing/fixtures.js';
import { createWsBridge, installWsBridge, type BridgeHostWindow, type WebSocketLike, type WsBridge } from './ws-bridge.js';

/** Stands in for the browser's WebSocket; the test plays the kiosk core's side. */
class FakeSocket implements WebSocketLike {
  readyState = 0;
  onopen: WebSocketLike['onopen'] = null;
  onclose: WebSocketLike['onclose'] = null;
  onerror: WebSocketLike['onerror'] = null;
  onmessage: WebSocketLike['onmessage'] = null;
  readonly sent: string[] = [];

  constructor(readonly url: string) {}

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('InvalidStateError');
    this.sent.push(data);
  }

  close(): void {
    this.drop();
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  drop(): void {
    this.readyState = 3;
    this.onerror?.({});
    this.onclose?.({});
  }

  receive(message: unknown): void {
    this.onmessage?.({ data: typeof message === 'string' ? message : JSON.stringify(message) });
  }

  calls(): BridgeCall[] {
    return this.sent.map((s) => BridgeCall.parse(JSON.parse(s)));
  }

  lastCall(): BridgeCall {
    const call = this.calls().at(-1);
    if (!call) throw new Error('nothing sent');
    return call;
  }
}

function harness(options: { connectWaitMs?: number; replyTimeoutMs?: number } = {}) {
  const sockets: FakeSocket[] = [];
  const bridge = createWsBridge({
    url: 'ws://127.0.0.1:4000/bridge?token=ab',
    createSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    backoff: { initialMs: 100, maxMs: 1_000 },
    random: () => 1,
    ...options,
  });
  const current = () => {
    const socket = sockets.at(-1);
    if (!socket) throw new Error('no socket');
    return socket;
  };
  return { bridge, sockets, current };
}

async function rejection(promise: Promise<unknown>): Promise<KioskError> {
  const err = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(KioskError);
  return err as KioskError;
}

describe('ws bridge', () => {
  let bridges: WsBridge[] = [];
  const make = (options?: Parameters<typeof harness>[0]) => {
    const h = harness(options);
    bridges.push(h.bridge);
    return h;
  };

  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    for (const b of bridges) b.close();
    bridges = [];
    vi.useRealTimers();
  });

  it('exposes one function per contract method, and on()', () => {
    const { bridge } = make();
    for (const method of kioskMethodNames) expect(typeof bridge.api[method]).toBe('function');
    expect(Object.keys(bridge.api).sort()).toEqual([...kioskMethodNames, 'on'].sort());
    expect(Object.isFrozen(bridge.api)).toBe(true);
  });

  it('sends a call once connected and resolves with the validated response', async () => {
    const { bridge, current } = make();
    const reply = bridge.api.listServices({});
    expect(current().sent).toEqual([]);
    current().open();
    expect(bridge.isConnected()).toBe(true);
    const call = current().lastCall();
    expect(call).toMatchObject({ kind: 'call', method: 'listServices', request: {} });
    current().receive({ kind: 'reply', id: call.id, ok: true, response: { hall: sampleHall, services: sampleServices } });
    await expect(reply).resolves.toEqual({ hall: sampleHall, services: sampleServices });
  });

  it('rejects with the core error code', async () => {
    const { bridge, current } = make();
    current().open();
    const reply = bridge.api.takeTicket({ serviceId: 'social-insurance', requestId: crypto.randomUUID() });
    current().receive({ kind: 'reply', id: current().lastCall().id, ok: false, error: { code: 'unknown-service', message: 'no such service' } });
    const err = await rejection(reply);
    expect(err.code).toBe(KioskErrorCode.UnknownService);
    expect(err.message).toBe('no such service');
  });

  it('rejects a response that breaks the contract', async () => {
    const { bridge, current } = make();
    current().open();
    const reply = bridge.api.getTicket({ ticketId: sampleTicket().ticketId });
    current().receive({ kind: 'reply', id: current().lastCall().id, ok: true, response: { ...sampleTicket(), number: '<b>1</b>' } });
    expect((await rejection(reply)).code).toBe(KioskErrorCode.Internal);
  });

  it('refuses an invalid request without sending it', async () => {
    const { bridge, current } = make();
    current().open();
    const err = await rejection(bridge.api.takeTicket({ serviceId: 'Not A Slug', requestId: 'x' }));
    expect(err.code).toBe(KioskErrorCode.BadRequest);
    expect(current().sent).toEqual([]);
  });

  it('fails a call with service-unavailable when no connection comes within 10 s', async () => {
    const { bridge } = make();
    let settled = false;
    const reply = rejection(bridge.api.getStatus({}).finally(() => (settled = true)));
    await vi.advanceTimersByTimeAsync(9_999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect((await reply).code).toBe(KioskErrorCode.ServiceUnavailable);
  });

  it('reconnects with backoff and resends a call that lost its socket', async () => {
    const { bridge, sockets, current } = make();
    current().open();
    const requestId = crypto.randomUUID();
    const reply = bridge.api.takeTicket({ serviceId: 'social-insurance', requestId });
    const first = current().lastCall();
    current().drop();
    expect(bridge.isConnected()).toBe(false);
    expect(sockets).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(100); // first backoff step
    expect(sockets).toHaveLength(2);
    current().drop(); // the core is still down
    await vi.advanceTimersByTimeAsync(199);
    expect(sockets).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1); // second step, doubled
    expect(sockets).toHaveLength(3);
    current().open();

    // Same id and same requestId: the core issues one ticket for both sends.
    const resent = current().lastCall();
    expect(resent).toEqual(first);
    expect(resent.request).toEqual({ serviceId: 'social-insurance', requestId });
    const ticket = sampleTicket();
    current().receive({ kind: 'reply', id: resent.id, ok: true, response: ticket });
    await expect(reply).resolves.toEqual(ticket);
  });

  it('never resends a PIN attempt or a print that lost its socket: it fails instead', async () => {
    const { bridge, current } = make();
    current().open();
    const login = bridge.api.technicianLogin({ pin: '135790' });
    const status = bridge.api.getStatus({});
    expect(current().calls().map((c) => c.method)).toEqual(['technicianLogin', 'getStatus']);
    current().drop();
    expect((await rejection(login)).code).toBe(KioskErrorCode.ServiceUnavailable);
    await vi.advanceTimersByTimeAsync(100);
    current().open();
    // The read goes again; the login does not.
    expect(current().calls().map((c) => c.method)).toEqual(['getStatus']);
    const answer = { printer: { state: 'ready', checkedAt: null }, connectivity: sampleConnectivity() };
    current().receive({ kind: 'reply', id: current().lastCall().id, ok: true, response: answer });
    await expect(status).resolves.toEqual(answer);
  });

  it('calls made while disconnected wait for the reconnect', async () => {
    const { bridge, current } = make();
    current().open();
    current().drop();
    const reply = bridge.api.getStatus({});
    await vi.advanceTimersByTimeAsync(100);
    current().open();
    const status = { printer: { state: 'ready', checkedAt: null }, connectivity: sampleConnectivity() };
    current().receive({ kind: 'reply', id: current().lastCall().id, ok: true, response: status });
    await expect(reply).resolves.toEqual(status);
  });

  it('fails a sent call whose reply never comes', async () => {
    const { bridge, current } = make({ replyTimeoutMs: 5_000 });
    current().open();
    const reply = rejection(bridge.api.getStatus({}));
    await vi.advanceTimersByTimeAsync(5_000);
    expect((await reply).code).toBe(KioskErrorCode.ServiceUnavailable);
    // A late reply is ignored rather than thrown.
    current().receive({ kind: 'reply', id: current().lastCall().id, ok: true, response: {} });
  });

  it('delivers valid events to their listeners only, until unsubscribed', () => {
    const { bridge, current } = make();
    current().open();
    const updates: TicketView[] = [];
    const connectivity: unknown[] = [];
    const warnings = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const off = bridge.api.on('ticketUpdated', (t) => updates.push(t));
    bridge.api.on('connectivity', (c) => connectivity.push(c));

    const printed = sampleTicket({ printState: PrintState.Printed });
    current().receive({ kind: 'event', event: 'ticketUpdated', payload: printed });
    current().receive({ kind: 'event', event: 'ticketUpdated', payload: { ...printed, printState: 'shredded' } });
    current().receive({ kind: 'event', event: 'somethingNew', payload: {} });
    current().receive('not json');
    current().receive({ kind: 'bogus' });
    expect(updates).toEqual([printed]);
    expect(connectivity).toEqual([]);
    expect(warnings).toHaveBeenCalledTimes(3); // invalid payload, not JSON, bad envelope; the unknown event is silent
    warnings.mockRestore();

    off();
    current().receive({ kind: 'event', event: 'ticketUpdated', payload: printed });
    expect(updates).toHaveLength(1);
  });

  it('keeps delivering to other listeners when one throws', () => {
    const { bridge, current } = make();
    current().open();
    const seen: string[] = [];
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    bridge.api.on('printerStatus', () => {
      throw new Error('listener bug');
    });
    bridge.api.on('printerStatus', (p) => seen.push(p.state));
    current().receive({ kind: 'event', event: 'printerStatus', payload: { state: 'paper-out', checkedAt: null } });
    expect(seen).toEqual(['paper-out']);
    expect(errors).toHaveBeenCalledTimes(1);
    errors.mockRestore();
  });

  it('close() fails pending calls and stops reconnecting', async () => {
    const { bridge, sockets } = make();
    const reply = rejection(bridge.api.listServices({}));
    bridge.close();
    expect((await reply).code).toBe(KioskErrorCode.ServiceUnavailable);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sockets).toHaveLength(1);
    expect((await rejection(bridge.api.listServices({}))).code).toBe(KioskErrorCode.ServiceUnavailable);
  });
});

describe('installWsBridge', () => {
  function fakeWindow(hash: string, kiosk?: BridgeHostWindow['kiosk']): BridgeHostWindow & { urls: string[]; stored: Map<string, string> } {
    const urls: string[] = [];
    const stored = new Map<string, string>();
    return {
      kiosk,
      urls,
      stored,
      location: { protocol: 'http:', host: '127.0.0.1:4173', hash, pathname: '/', search: '' },
      history: { state: null, replaceState: (_d, _u, url) => void urls.push(url ?? '') },
      sessionStorage: { getItem: (k) => stored.get(k) ?? null, setItem: (k, v) => void stored.set(k, v) },
    };
  }

  const CODE = 'c0de'.repeat(16);
  const TOKEN = 'ab'.repeat(32);
  const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

  function sockets() {
    const created: FakeSocket[] = [];
    const createSocket = (url: string) => {
      const s = new FakeSocket(url);
      created.push(s);
      return s;
    };
    return { created, createSocket };
  }

  it('trades a launch code for the token once, then connects with the token and keeps it for a reload', async () => {
    const win = fakeWindow(`#code=${CODE}`);
    const { created, createSocket } = sockets();
    const posted: string[] = [];
    installWsBridge(win, {
      createSocket,
      fetch: async (_url, init) => (posted.push(init.body), { status: 200, json: async () => ({ token: TOKEN }) }),
    });
    // Out of the address bar at once, before the exchange even answers.
    expect(win.urls).toEqual(['/']);
    await settle();
    expect(posted).toEqual([JSON.stringify({ code: CODE })]);
    expect(created.map((s) => s.url)).toEqual([`ws://127.0.0.1:4173/bridge?token=${TOKEN}`]);
    expect([...win.stored.values()]).toEqual([TOKEN]);
    expect(created[0]?.url).not.toContain(CODE);
  });

  it('does not trade a refused code again: it connects without a token and says why', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const win = fakeWindow(`#code=${CODE}`);
    const { created, createSocket } = sockets();
    let posts = 0;
    installWsBridge(win, {
      createSocket,
      backoff: { initialMs: 1, maxMs: 1 },
      fetch: async () => (posts++, { status: 401, json: async () => ({ code: 'unauthorized', message: 'used' }) }),
    });
    await settle();
    expect(created.map((s) => s.url)).toEqual(['ws://127.0.0.1:4173/bridge']);
    created[0]?.drop();
    await settle();
    expect(created).toHaveLength(2);
    expect(posts).toBe(1);
    expect(win.stored.size).toBe(0);
    expect(errors).toHaveBeenCalledWith(expect.stringContaining('launch code was refused'));
    errors.mockRestore();
  });

  it('asks again when the host could not answer the exchange', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const win = fakeWindow(`#code=${CODE}`);
    const { created, createSocket } = sockets();
    let posts = 0;
    installWsBridge(win, {
      createSocket,
      backoff: { initialMs: 1, maxMs: 1 },
      fetch: async () => {
        posts++;
        if (posts === 1) throw new TypeError('Failed to fetch');
        return { status: 200, json: async () => ({ token: TOKEN }) };
      },
    });
    await settle();
    await settle();
    expect(posts).toBe(2);
    expect(created.map((s) => s.url)).toEqual([`ws://127.0.0.1:4173/bridge?token=${TOKEN}`]);
    errors.mockRestore();
  });

  it('keeps a window.kiosk that the Electron preload defined, opening no socket', () => {
    const preload = harness().bridge;
    const win = fakeWindow('#token=00112233445566778899aabbccddeeff', preload.api);
    const created: string[] = [];
    const api = installWsBridge(win, { createSocket: (url) => (created.push(url), new FakeSocket(url)) });
    expect(api).toBe(preload.api);
    expect(created).toEqual([]);
    expect(win.urls).toEqual([]);
    preload.close();
  });

  it('connects to the page host with the token and installs a read-only window.kiosk', () => {
    const win = fakeWindow('#token=00112233445566778899aabbccddeeff');
    const created: FakeSocket[] = [];
    const api = installWsBridge(win, { createSocket: (url) => { const s = new FakeSocket(url); created.push(s); return s; } });
    expect(created.map((s) => s.url)).toEqual(['ws://127.0.0.1:4173/bridge?token=00112233445566778899aabbccddeeff']);
    expect(win.urls).toEqual(['/']);
    expect(win.kiosk).toBe(api);
    expect(() => {
      (win as { kiosk?: unknown }).kiosk = undefined;
    }).toThrow(TypeError);
    expect(win.kiosk).toBe(api);
  });
});
