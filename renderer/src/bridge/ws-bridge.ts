import { KioskError, KioskErrorCode } from '../../../common/contract/errors.js';
import {
  BRIDGE_PATH,
  BRIDGE_TOKEN_PARAM,
  BridgeServerMessage,
  isKioskEventName,
  kioskEvents,
  kioskMethodNames,
  kioskMethods,
  kioskMethodsNotResent,
  type BridgeCall,
  type KioskApi,
  type KioskEventName,
  type KioskEventPayload,
  type KioskMethodName,
  type KioskRequest,
  type KioskResponse,
} from '../../../common/contract/kiosk-api.js';
import {
  exchangeLaunchCode,
  rememberBridgeToken,
  takeBridgeCredential,
  type FetchLike,
  type TokenHistory,
  type TokenStorage,
} from './bridge-token.js';
import './kiosk-global.js';
import { DEFAULT_BACKOFF, reconnectDelayMs, type BackoffPolicy } from './reconnect-backoff.js';

// Method-style (bivariant) parameters, so the DOM's WebSocket, whose handlers take Event and
// MessageEvent, satisfies this interface without a cast.
type SocketHandler<E> = { handle(event: E): void }['handle'];

/** The part of the browser's WebSocket the bridge uses, so tests can hand in a fake. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: SocketHandler<unknown> | null;
  onclose: SocketHandler<unknown> | null;
  onerror: SocketHandler<unknown> | null;
  onmessage: SocketHandler<{ data: unknown }> | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketFactory = (url: string) => WebSocketLike;

export interface WsBridgeOptions {
  /** The bridge's URL, or how to get it when that takes a request first (a launch code exchange). */
  url: string | (() => Promise<string>);
  createSocket?: WebSocketFactory;
  /** How long a call waits for a (re)connection before it fails with service-unavailable. */
  connectWaitMs?: number;
  /** How long a sent call waits for its reply. */
  replyTimeoutMs?: number;
  backoff?: BackoffPolicy;
  random?: () => number;
}

export interface WsBridge {
  readonly api: KioskApi;
  isConnected(): boolean;
  /** Stops reconnecting and fails every pending call. */
  close(): void;
}

export const CONNECT_WAIT_MS = 10_000;
export const REPLY_TIMEOUT_MS = 30_000;

const WS_OPEN = 1;

interface PendingCall {
  readonly message: BridgeCall;
  readonly resolve: (response: unknown) => void;
  readonly reject: (err: KioskError) => void;
  sent: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
}

type KioskMethods = Omit<KioskApi, 'on'>;
type AnyListener = (payload: unknown) => void;

const defaultSocketFactory: WebSocketFactory = (url) => new WebSocket(url);

/**
 * The browser shell's transport for the kiosk contract over one WebSocket. A call is retried on
 * the next connection if the socket drops before its reply: safe for reads and for takeTicket
 * (keyed by its requestId). The methods in kioskMethodsNotResent fail instead.
 */
export function createWsBridge(options: WsBridgeOptions): WsBridge {
  const createSocket = options.createSocket ?? defaultSocketFactory;
  const connectWaitMs = options.connectWaitMs ?? CONNECT_WAIT_MS;
  const replyTimeoutMs = options.replyTimeoutMs ?? REPLY_TIMEOUT_MS;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const random = options.random ?? Math.random;

  const pending = new Map<number, PendingCall>();
  const listeners = new Map<KioskEventName, Set<AnyListener>>();
  let socket: WebSocketLike | null = null;
  let connected = false;
  let closed = false;
  let attempt = 0;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  let nextId = 1;

  function connect(): void {
    reconnectTimer = undefined;
    if (closed) return;
    const { url } = options;
    if (typeof url === 'string') {
      open(url);
      return;
    }
    url().then(
      (resolved) => {
        if (!closed) open(resolved);
      },
      (err: unknown) => {
        console.error('kiosk bridge: cannot reach the kiosk core to start', err);
        scheduleReconnect();
      },
    );
  }

  function open(url: string): void {
    let ws: WebSocketLike;
    try {
      ws = createSocket(url);
    } catch (err) {
      console.error('kiosk bridge: cannot open socket', err);
      scheduleReconnect();
      return;
    }
    socket = ws;
    ws.onopen = () => {
      if (socket !== ws) return;
      connected = true;
      attempt = 0;
      for (const call of pending.values()) if (!call.sent) send(call);
    };
    ws.onmessage = (event) => {
      if (socket === ws) handleMessage(event.data);
    };
    // A failed connection fires error then close; close alone drives the reconnect.
    ws.onerror = () => undefined;
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      connected = false;
      for (const call of pending.values()) {
        if (!call.sent) continue;
        // The core may have acted on it already: a PIN attempt or a print is never sent twice.
        if (kioskMethodsNotResent.has(call.message.method as KioskMethodName)) {
          fail(call, KioskErrorCode.ServiceUnavailable, 'connection lost during the call; not repeated');
        } else {
          waitForConnection(call);
        }
      }
      scheduleReconnect();
    };
  }

  function scheduleReconnect(): void {
    if (closed || reconnectTimer !== undefined) return;
    reconnectTimer = setTimeout(connect, reconnectDelayMs(backoff, attempt, random));
    attempt += 1;
  }

  function settle(call: PendingCall): void {
    clearTimeout(call.timer);
    pending.delete(call.message.id);
  }

  function fail(call: PendingCall, code: KioskErrorCode, message: string): void {
    settle(call);
    call.reject(new KioskError(code, message));
  }

  function waitForConnection(call: PendingCall): void {
    clearTimeout(call.timer);
    call.sent = false;
    call.timer = setTimeout(() => fail(call, KioskErrorCode.ServiceUnavailable, 'kiosk core not reachable'), connectWaitMs);
  }

  function send(call: PendingCall): void {
    if (!socket || !connected || socket.readyState !== WS_OPEN) {
      if (call.timer === undefined) waitForConnection(call);
      return;
    }
    try {
      socket.send(JSON.stringify(call.message));
    } catch {
      waitForConnection(call);
      return;
    }
    clearTimeout(call.timer);
    call.sent = true;
    call.timer = setTimeout(() => fail(call, KioskErrorCode.ServiceUnavailable, 'no reply from kiosk core'), replyTimeoutMs);
  }

  function handleMessage(data: unknown): void {
    if (typeof data !== 'string') return;
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      console.warn('kiosk bridge: dropped a message that is not JSON');
      return;
    }
    const parsed = BridgeServerMessage.safeParse(json);
    if (!parsed.success) {
      console.warn('kiosk bridge: dropped a malformed message');
      return;
    }
    const message = parsed.data;
    if (message.kind === 'event') {
      dispatchEvent(message.event, message.payload);
      return;
    }
    const call = pending.get(message.id);
    if (!call) return; // Already timed out; a late reply has nobody to tell.
    settle(call);
    if (!message.ok) {
      call.reject(new KioskError(message.error.code, message.error.message));
      return;
    }
    const method = call.message.method as KioskMethodName;
    const response = kioskMethods[method].response.safeParse(message.response);
    if (response.success) call.resolve(response.data);
    else call.reject(new KioskError(KioskErrorCode.Internal, `invalid ${method} response from kiosk core`));
  }

  function dispatchEvent(event: string, payload: unknown): void {
    if (!isKioskEventName(event)) return; // A newer core may know events this page does not.
    const checked = kioskEvents[event].safeParse(payload);
    if (!checked.success) {
      console.warn(`kiosk bridge: dropped an invalid ${event} event`);
      return;
    }
    for (const listener of listeners.get(event) ?? []) {
      try {
        listener(checked.data);
      } catch (err) {
        console.error(`kiosk bridge: a ${event} listener threw`, err);
      }
    }
  }

  function call<M extends KioskMethodName>(method: M, request: KioskRequest<M>): Promise<KioskResponse<M>> {
    if (closed) return Promise.reject(new KioskError(KioskErrorCode.ServiceUnavailable, 'kiosk bridge closed'));
    const checked = kioskMethods[method].request.safeParse(request ?? {});
    if (!checked.success) return Promise.reject(new KioskError(KioskErrorCode.BadRequest, `invalid ${method} request`));
    return new Promise<KioskResponse<M>>((resolve, reject) => {
      const entry: PendingCall = {
        message: { kind: 'call', id: nextId++, method, request: checked.data },
        // The response was parsed with kioskMethods[method].response before it gets here.
        resolve: resolve as (response: unknown) => void,
        reject,
        sent: false,
        timer: undefined,
      };
      pending.set(entry.message.id, entry);
      send(entry);
    });
  }

  function on<E extends KioskEventName>(event: E, listener: (payload: KioskEventPayload<E>) => void): () => void {
    if (!isKioskEventName(event)) throw new KioskError(KioskErrorCode.BadRequest, `unknown event ${String(event)}`);
    let set = listeners.get(event);
    if (!set) {
      set = new Set();
      listeners.set(event, set);
    }
    // Payloads reach listeners only after kioskEvents[event] has parsed them.
    const wrapped = listener as AnyListener;
    set.add(wrapped);
    return () => {
      set.delete(wrapped);
    };
  }

  // One function per contract method, generated so a method added to the contract needs no code here.
  const methods = Object.fromEntries(
    kioskMethodNames.map((method) => [method, (request: KioskRequest<typeof method>) => call(method, request)]),
  ) as KioskMethods;

  const api: KioskApi = Object.freeze({ ...methods, on });

  connect();

  return {
    api,
    isConnected: () => connected,
    close() {
      if (closed) return;
      closed = true;
      clearTimeout(reconnectTimer);
      const ws = socket;
      socket = null;
      connected = false;
      ws?.close(1000, 'closed');
      for (const entry of [...pending.values()]) fail(entry, KioskErrorCode.ServiceUnavailable, 'kiosk bridge closed');
    },
  };
}

/** What installWsBridge needs of `window`; the real window satisfies it. */
export interface BridgeHostWindow {
  kiosk?: KioskApi | undefined;
  readonly location: { readonly protocol: string; readonly host: string; readonly hash: string; readonly pathname: string; readonly search: string };
  readonly history: TokenHistory;
  readonly sessionStorage?: TokenStorage;
}

export interface InstallWsBridgeOptions extends Omit<WsBridgeOptions, 'url'> {
  /** For the launch code exchange; the page's own fetch by default. */
  fetch?: FetchLike;
}

export function bridgeUrl(location: { protocol: string; host: string }, token: string | null): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const query = token === null ? '' : `?${BRIDGE_TOKEN_PARAM}=${encodeURIComponent(token)}`;
  return `${scheme}://${location.host}${BRIDGE_PATH}${query}`;
}

/**
 * The bridge URL once a launch code has been traded for the token: the trade happens once (the
 * code is good once); only a host that could not be asked is asked again, at the next connect.
 */
function urlAfterExchange(win: BridgeHostWindow, code: string, fetchFn: FetchLike): () => Promise<string> {
  let token: Promise<string | null> | null = null;
  return async () => {
    token ??= exchangeLaunchCode(code, fetchFn).then(
      (traded) => {
        if (traded === null) console.error('kiosk bridge: the launch code was refused (used or expired); the kiosk core will refuse the connection');
        else rememberBridgeToken(win.sessionStorage, traded);
        return traded;
      },
      (err: unknown) => {
        token = null;
        throw err;
      },
    );
    return bridgeUrl(win.location, await token);
  };
}

/**
 * Gives the page a `window.kiosk` when no preload did (the browser shell). Under Electron the
 * preload's object is kept and no socket is opened.
 */
export function installWsBridge(win: BridgeHostWindow, options: InstallWsBridgeOptions = {}): KioskApi {
  if (win.kiosk !== undefined) return win.kiosk;
  const { fetch: fetchOption, ...bridgeOptions } = options;
  const credential = takeBridgeCredential(win.location, win.history, win.sessionStorage);
  let url: WsBridgeOptions['url'];
  if (credential?.kind === 'code') {
    url = urlAfterExchange(win, credential.code, fetchOption ?? ((input, init) => fetch(input, init)));
  } else {
    if (credential === null) console.error('kiosk bridge: no token or launch code in the page URL; the kiosk core will refuse the connection');
    url = bridgeUrl(win.location, credential?.token ?? null);
  }
  const bridge = createWsBridge({ ...bridgeOptions, url });
  // Read-only like the preload's contextBridge object, so no page script can swap it.
  Object.defineProperty(win, 'kiosk', { value: bridge.api, writable: false, enumerable: true, configurable: false });
  return bridge.api;
}
