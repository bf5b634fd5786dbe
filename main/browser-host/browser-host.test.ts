import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { KioskError, KioskErrorCode } from '../../common/contract/errors.js';
import type { KioskHandlers } from '../../common/contract/kiosk-api.js';
import { createKioskDispatcher } from '../core/kiosk-dispatcher.js';
import { KioskEventHub } from '../core/kiosk-event-hub.js';
import { startBrowserHost, type BrowserHost } from './browser-host.js';

const rendererDir = mkdtempSync(path.join(os.tmpdir(), 'hk-renderer-'));
writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>kiosk</title>');
writeFileSync(path.join(os.tmpdir(), 'hk-secret.txt'), 'secret');

const hub = new KioskEventHub();
const calls: unknown[] = [];
const handlers = {
  async listServices() {
    calls.push('listServices');
    return { hall: { hallId: 'h1', name: { zh: '大厅', en: 'Hall' }, timeZone: 'Asia/Shanghai' }, services: [] };
  },
  async getTicket() {
    throw new KioskError(KioskErrorCode.NotFound, 'no such ticket');
  },
  async takeTicket() {
    throw new Error('database exploded at /secret/path');
  },
  async getStatus() {
    throw new Error('unused');
  },
} as unknown as KioskHandlers;

let host: BrowserHost;
const warnings: string[] = [];
beforeAll(async () => {
  host = await startBrowserHost({ target: createKioskDispatcher(handlers, hub), rendererDir, onWarning: (m) => warnings.push(m) });
});
afterAll(async () => {
  await host.close();
});

function connect(opts: { token?: string | null; origin?: string | null }): Promise<{ ws: WebSocket } | { status: number }> {
  const tokenPart = opts.token === null ? '' : `?token=${opts.token ?? host.token}`;
  const headers: Record<string, string> = {};
  if (opts.origin !== null) headers.Origin = opts.origin ?? `http://127.0.0.1:${host.port}`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/bridge${tokenPart}`, { headers });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    ws.once('error', reject);
  });
}

function call(ws: WebSocket, id: number, method: string, request: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData): void => {
      const msg = JSON.parse(data.toString()) as Record<string, unknown>;
      if (msg.kind === 'reply' && msg.id === id) {
        ws.off('message', onMessage);
        resolve(msg);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ kind: 'call', id, method, request }));
  });
}

/** The status line a raw HTTP/1.1 request gets: the Host header is whatever the test says. */
function rawStatus(lines: string[], body = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(host.port, '127.0.0.1');
    let got = '';
    socket.on('data', (chunk) => {
      got += chunk.toString('latin1');
      const end = got.indexOf('\r\n');
      if (end >= 0) {
        socket.destroy();
        resolve(got.slice(0, end));
      }
    });
    socket.on('error', reject);
    socket.write(`${lines.join('\r\n')}\r\n\r\n${body}`);
  });
}

function exchange(code: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`http://127.0.0.1:${host.port}/bridge/exchange`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: `http://127.0.0.1:${host.port}`, ...headers },
    body: JSON.stringify({ code }),
  });
}

function codeOf(url: string): string {
  return new URLSearchParams(new URL(url).hash.slice(1)).get('code') ?? '';
}

describe('browser shell bridge', () => {
  it('listens on loopback only, and launches with a one-time code, never the token', () => {
    const url = host.newLaunchUrl();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#code=[0-9a-f]{64}$/);
    expect(url).not.toContain(host.token);
    expect(host.newLaunchUrl()).not.toBe(url);
  });

  it('trades a launch code for the token once; a replayed code is refused and reported', async () => {
    warnings.length = 0;
    const code = codeOf(host.newLaunchUrl());
    const first = await exchange(code);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect(await first.json()).toEqual({ token: host.token });
    const replay = await exchange(code);
    expect(replay.status).toBe(401);
    expect(await replay.json()).toEqual({ code: 'unauthorized', message: 'launch code unknown, already used or expired' });
    expect((await exchange('0'.repeat(64))).status).toBe(401);
    // Only the replay is worth telling the operator about; no secret in the words.
    expect(warnings).toEqual(['a launch code was presented a second time; if the kiosk screen did not start, restart the kiosk']);
  });

  it('refuses the exchange from a foreign origin or without JSON, without spending the code', async () => {
    const code = codeOf(host.newLaunchUrl());
    expect((await exchange(code, { Origin: 'http://evil.example' })).status).toBe(403);
    const form = await fetch(`http://127.0.0.1:${host.port}/bridge/exchange`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', Origin: `http://127.0.0.1:${host.port}` },
      body: JSON.stringify({ code }),
    });
    expect(form.status).toBe(415);
    expect((await fetch(`http://127.0.0.1:${host.port}/bridge/exchange`)).status).toBe(405);
    expect((await exchange(code)).status).toBe(200);
  });

  it('refuses a launch code after its minute', async () => {
    let now = 1_000_000;
    const timed = await startBrowserHost({ target: createKioskDispatcher(handlers, hub), rendererDir, now: () => now });
    try {
      const code = codeOf(timed.newLaunchUrl());
      now += 60_000;
      const res = await fetch(`http://127.0.0.1:${timed.port}/bridge/exchange`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: `http://127.0.0.1:${timed.port}` },
        body: JSON.stringify({ code }),
      });
      expect(res.status).toBe(401);
    } finally {
      await timed.close();
    }
  });

  it('answers only requests addressed to 127.0.0.1 or localhost on its port (DNS rebinding)', async () => {
    const port = host.port;
    expect(await rawStatus(['GET / HTTP/1.1', `Host: evil.example:${port}`])).toBe('HTTP/1.1 421 Misdirected Request');
    expect(await rawStatus(['GET / HTTP/1.1', `Host: 127.0.0.1:${port + 1}`])).toBe('HTTP/1.1 421 Misdirected Request');
    expect(await rawStatus(['GET / HTTP/1.1', 'Host: 127.0.0.1'])).toBe('HTTP/1.1 421 Misdirected Request');
    const body = JSON.stringify({ code: codeOf(host.newLaunchUrl()) });
    expect(
      await rawStatus(
        ['POST /bridge/exchange HTTP/1.1', `Host: evil.example:${port}`, `Origin: http://evil.example:${port}`, 'Content-Type: application/json', `Content-Length: ${body.length}`],
        body,
      ),
    ).toBe('HTTP/1.1 421 Misdirected Request');
    // The WebSocket upgrade too, even with the token and the right Origin.
    expect(
      await rawStatus([
        `GET /bridge?token=${host.token} HTTP/1.1`,
        `Host: evil.example:${port}`,
        `Origin: http://127.0.0.1:${port}`,
        'Connection: Upgrade',
        'Upgrade: websocket',
        'Sec-WebSocket-Version: 13',
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
      ]),
    ).toBe('HTTP/1.1 421 Misdirected Request');
    expect(await rawStatus(['GET / HTTP/1.1', `Host: 127.0.0.1:${port}`])).toBe('HTTP/1.1 200 OK');
    expect(await rawStatus(['GET / HTTP/1.1', `Host: LOCALHOST:${port}`])).toBe('HTTP/1.1 200 OK');
  });

  it('refuses a handshake without the token', async () => {
    expect(await connect({ token: null })).toEqual({ status: 401 });
  });

  it('refuses a wrong token', async () => {
    expect(await connect({ token: 'f'.repeat(64) })).toEqual({ status: 401 });
  });

  it('refuses a foreign origin even with the token', async () => {
    expect(await connect({ origin: 'http://evil.example' })).toEqual({ status: 403 });
    expect(await connect({ origin: 'http://localhost:1' })).toEqual({ status: 403 });
  });

  it('refuses a client that sends no origin', async () => {
    expect(await connect({ origin: null })).toEqual({ status: 403 });
  });

  it('bridges calls, coded errors and events for the page it served', async () => {
    const result = await connect({});
    if (!('ws' in result)) throw new Error(`handshake refused: ${result.status}`);
    const { ws } = result;
    const ok = await call(ws, 1, 'listServices', {});
    expect(ok).toMatchObject({ ok: true, response: { hall: { hallId: 'h1' } } });

    expect(await call(ws, 2, 'getTicket', { ticketId: '0190a0b0-0000-7000-8000-000000000000' })).toMatchObject({
      ok: false,
      error: { code: 'not-found', message: 'no such ticket' },
    });
    // Unexpected errors leave as a bare code: no message text, no stack, no path.
    const internal = await call(ws, 3, 'takeTicket', { serviceId: 'tax', requestId: '0190a0b0-0000-7000-8000-000000000001' });
    expect(internal).toEqual({ kind: 'reply', id: 3, ok: false, error: { code: 'internal', message: 'internal error' } });
    expect(await call(ws, 4, 'listServices', { extra: 1 })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await call(ws, 5, 'dropTables', {})).toMatchObject({ ok: false, error: { code: 'unknown-method' } });

    const event = new Promise<Record<string, unknown>>((resolve) => {
      ws.once('message', (data) => resolve(JSON.parse(data.toString()) as Record<string, unknown>));
    });
    hub.emit('printerStatus', { state: 'paper-out' as never, checkedAt: null });
    expect(await event).toEqual({ kind: 'event', event: 'printerStatus', payload: { state: 'paper-out', checkedAt: null } });
    ws.close();
  });

  it('serves the renderer with a CSP and never a file outside it', async () => {
    const page = await fetch(`http://127.0.0.1:${host.port}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const escape = await fetch(`http://127.0.0.1:${host.port}/..%2fhk-secret.txt`);
    expect(escape.status).toBe(404);
  });
});
