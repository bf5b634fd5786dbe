import { mkdtempSync, writeFileSync } from 'node:fs';
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
beforeAll(async () => {
  host = await startBrowserHost({ target: createKioskDispatcher(handlers, hub), rendererDir });
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

describe('browser shell bridge', () => {
  it('listens on loopback only', () => {
    expect(host.launchUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]{64}$/);
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
