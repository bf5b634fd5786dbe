import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { BRIDGE_PATH, BRIDGE_TOKEN_PARAM, BridgeCall, type BridgeEvent, type BridgeReply } from '../../common/contract/kiosk-api.js';
import { KioskErrorCode, toKioskErrorPayload, type KioskErrorPayload } from '../../common/contract/errors.js';
import { hostHeaderAllowed, MISDIRECTED_REQUEST } from '../../common/contract/local-host-header.js';
import type { KioskBridgeTarget } from '../core/kiosk-dispatcher.js';
import { originAllowed, tokenMatches } from './bridge-auth.js';

/** Largest message a page may send; contract requests are tiny. */
const MAX_MESSAGE_BYTES = 64 * 1024;

export interface WsBridgeLimits {
  /** Open bridge connections at once. The kiosk screen needs one, a reload briefly two. */
  maxConnections: number;
  /** Calls one connection may have waiting for the core; more are answered at once, refused. */
  maxInFlight: number;
  /**
   * Bytes queued for a page that does not read its socket. Past this the page is dropped (it
   * reconnects and reloads its state) rather than queueing events in this process without end.
   */
  maxBufferedBytes: number;
}

export const DEFAULT_WS_BRIDGE_LIMITS: WsBridgeLimits = { maxConnections: 4, maxInFlight: 16, maxBufferedBytes: 1024 * 1024 };

const REASONS: Record<number, string> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  [MISDIRECTED_REQUEST]: 'Misdirected Request',
  503: 'Service Unavailable',
};

function refuse(socket: Duplex, status: 401 | 403 | 404 | typeof MISDIRECTED_REQUEST | 503, body?: KioskErrorPayload): void {
  const json = body ? JSON.stringify(body) : '';
  const headers = [
    `HTTP/1.1 ${status} ${REASONS[status] ?? ''}`,
    'Connection: close',
    ...(body ? ['Content-Type: application/json', 'Retry-After: 1'] : []),
    `Content-Length: ${Buffer.byteLength(json)}`,
  ];
  socket.end(`${headers.join('\r\n')}\r\n\r\n${json}`);
}

/**
 * The browser shell's bridge: the contract over one WebSocket per page, with the same generic
 * loop as Electron's IPC (every method by name, every event forwarded). The handshake is refused
 * when addressed to a foreign Host (DNS rebinding), from any origin but this host's, without the
 * launch token, and past the connection cap.
 */
export function createWsBridge(
  target: KioskBridgeTarget,
  opts: { token: string; port: () => number; limits?: Partial<WsBridgeLimits>; onDrop?: (reason: string) => void },
) {
  const limits: WsBridgeLimits = { ...DEFAULT_WS_BRIDGE_LIMITS, ...opts.limits };
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!hostHeaderAllowed(req.headers.host, opts.port())) return refuse(socket, MISDIRECTED_REQUEST);
    if (url.pathname !== BRIDGE_PATH) return refuse(socket, 404);
    if (!originAllowed(req.headers.origin, opts.port())) return refuse(socket, 403);
    if (!tokenMatches(opts.token, url.searchParams.get(BRIDGE_TOKEN_PARAM))) return refuse(socket, 401);
    // Counted after the checks, so nobody without the token learns or fills the cap.
    if (wss.clients.size >= limits.maxConnections) {
      return refuse(socket, 503, { code: KioskErrorCode.ServiceUnavailable, message: 'too many bridge connections' });
    }
    wss.handleUpgrade(req, socket, head, (ws) => serve(ws));
  }

  function serve(ws: WebSocket): void {
    let inFlight = 0;
    const send = (msg: BridgeReply | BridgeEvent): void => {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > limits.maxBufferedBytes) {
        // terminate, not close: a close frame would queue behind what the page is not reading.
        ws.terminate();
        opts.onDrop?.(`a bridge connection was dropped: more than ${limits.maxBufferedBytes} bytes unread`);
        return;
      }
      ws.send(JSON.stringify(msg));
    };
    const unsubscribe = target.subscribe((event, payload) => send({ kind: 'event', event, payload }));
    ws.on('close', unsubscribe);
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let call: BridgeCall;
      try {
        call = BridgeCall.parse(JSON.parse(data.toString()));
      } catch {
        return; // Not a call we can answer: without an id there is no one to reply to.
      }
      if (inFlight >= limits.maxInFlight) {
        send({ kind: 'reply', id: call.id, ok: false, error: { code: KioskErrorCode.ServiceUnavailable, message: 'too many calls in flight' } });
        return;
      }
      inFlight += 1;
      target
        .dispatch(call.method, call.request)
        .then((result) => send({ kind: 'reply', id: call.id, ...result }))
        .catch((err: unknown) => send({ kind: 'reply', id: call.id, ok: false, error: toKioskErrorPayload(err) }))
        .finally(() => {
          inFlight -= 1;
        });
    });
  }

  return {
    handleUpgrade,
    /** Open bridge connections right now. */
    connections: (): number => wss.clients.size,
    close(): void {
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}
