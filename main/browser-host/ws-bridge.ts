import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { BRIDGE_PATH, BRIDGE_TOKEN_PARAM, BridgeCall, type BridgeEvent, type BridgeReply } from '../../common/contract/kiosk-api.js';
import { toKioskErrorPayload } from '../../common/contract/errors.js';
import type { KioskBridgeTarget } from '../core/kiosk-dispatcher.js';
import { originAllowed, tokenMatches } from './bridge-auth.js';

/** Largest message a page may send; contract requests are tiny. */
const MAX_MESSAGE_BYTES = 64 * 1024;

function refuse(socket: Duplex, status: 401 | 403 | 404, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * The browser shell's bridge: the contract over one WebSocket per page, with the same generic
 * loop as Electron's IPC (every method by name, every event forwarded). The handshake is refused
 * without the launch token or from any origin but this host's.
 */
export function createWsBridge(target: KioskBridgeTarget, opts: { token: string; port: () => number }) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== BRIDGE_PATH) return refuse(socket, 404, 'Not Found');
    if (!originAllowed(req.headers.origin, opts.port())) return refuse(socket, 403, 'Forbidden');
    if (!tokenMatches(opts.token, url.searchParams.get(BRIDGE_TOKEN_PARAM))) return refuse(socket, 401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => serve(ws));
  }

  function serve(ws: WebSocket): void {
    const send = (msg: BridgeReply | BridgeEvent): void => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
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
      target
        .dispatch(call.method, call.request)
        .then((result) => send({ kind: 'reply', id: call.id, ...result }))
        .catch((err: unknown) => send({ kind: 'reply', id: call.id, ok: false, error: toKioskErrorPayload(err) }));
    });
  }

  return {
    handleUpgrade,
    close(): void {
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}
