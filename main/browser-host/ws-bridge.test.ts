import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { DispatchResult, KioskBridgeTarget, KioskEventListener } from '../core/kiosk-dispatcher.js';
import { startBrowserHost, type BrowserHost } from './browser-host.js';

const rendererDir = mkdtempSync(path.join(os.tmpdir(), 'hk-renderer-'));
writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>kiosk</title>');

/** Plays the kiosk core: 'hang' waits until the test releases it, anything else answers at once. */
class FakeTarget implements KioskBridgeTarget {
  readonly listeners = new Set<KioskEventListener>();
  readonly waiting: Array<() => void> = [];
  dispatched = 0;

  dispatch(method: string): Promise<DispatchResult> {
    this.dispatched += 1;
    if (method !== 'hang') return Promise.resolve({ ok: true, response: { method } });
    return new Promise((resolve) => this.waiting.push(() => resolve({ ok: true, response: { method } })));
  }

  subscribe(listener: KioskEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(payload: unknown): void {
    for (const listener of this.listeners) listener('printerStatus', payload);
  }
}

let hosts: BrowserHost[] = [];
let sockets: WebSocket[] = [];
afterEach(async () => {
  for (const ws of sockets) ws.terminate();
  sockets = [];
  for (const h of hosts) await h.close();
  hosts = [];
});

async function hostFor(target: FakeTarget, warnings: string[] = []): Promise<BrowserHost> {
  const host = await startBrowserHost({ target, rendererDir, onWarning: (m) => warnings.push(m) });
  hosts.push(host);
  return host;
}

type Handshake = { ws: WebSocket } | { status: number; body: string };

function connect(host: BrowserHost): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/bridge?token=${host.token}`, { headers: { Origin: `http://127.0.0.1:${host.port}` } });
    ws.once('open', () => {
      sockets.push(ws);
      resolve({ ws });
    });
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.once('error', reject);
  });
}

async function open(host: BrowserHost): Promise<WebSocket> {
  const result = await connect(host);
  if (!('ws' in result)) throw new Error(`handshake refused: ${result.status}`);
  return result.ws;
}

function replies(ws: WebSocket, count: number): Promise<Array<Record<string, unknown>>> {
  const got: Array<Record<string, unknown>> = [];
  return new Promise((resolve) => {
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as Record<string, unknown>;
      if (msg.kind !== 'reply') return;
      got.push(msg);
      if (got.length === count) resolve(got);
    });
  });
}

const until = async (probe: () => boolean, what: string): Promise<void> => {
  const deadline = Date.now() + 10_000;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('bridge limits', () => {
  it('caps concurrent bridge connections at 4 with a coded refusal, and takes one again when a slot frees', async () => {
    const host = await hostFor(new FakeTarget());
    const open4 = [await open(host), await open(host), await open(host), await open(host)];
    expect(host.connections()).toBe(4);
    const fifth = await connect(host);
    expect(fifth).toMatchObject({ status: 503 });
    expect(JSON.parse((fifth as { body: string }).body)).toEqual({ code: 'service-unavailable', message: 'too many bridge connections' });

    open4[0]?.close();
    await until(() => host.connections() === 3, 'the slot to free');
    expect('ws' in (await connect(host))).toBe(true);
  });

  it('counts only connections that passed the checks: no token, no slot', async () => {
    const host = await hostFor(new FakeTarget());
    for (let i = 0; i < 4; i++) await open(host);
    const anonymous = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${host.port}/bridge`, { headers: { Origin: `http://127.0.0.1:${host.port}` } });
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    });
    expect(anonymous).toBe(401);
  });

  it('answers calls past 16 in flight at once with service-unavailable, and the rest when they finish', async () => {
    const target = new FakeTarget();
    const ws = await open(await hostFor(target));
    const answers = replies(ws, 20);
    for (let id = 1; id <= 20; id++) ws.send(JSON.stringify({ kind: 'call', id, method: 'hang', request: {} }));
    await until(() => target.dispatched === 16, 'sixteen dispatches');
    await until(() => target.waiting.length === 16, 'sixteen waiting');
    for (const release of target.waiting.splice(0)) release();
    const got = await answers;
    const refused = got.filter((r) => r.ok === false);
    expect(refused.map((r) => r.id).sort()).toEqual([17, 18, 19, 20]);
    expect(refused[0]).toMatchObject({ error: { code: 'service-unavailable', message: 'too many calls in flight' } });
    expect(got.filter((r) => r.ok === true)).toHaveLength(16);
    expect(target.dispatched).toBe(16);

    // The slots are free again.
    const next = replies(ws, 1);
    ws.send(JSON.stringify({ kind: 'call', id: 21, method: 'listServices', request: {} }));
    expect(await next).toEqual([{ kind: 'reply', id: 21, ok: true, response: { method: 'listServices' } }]);
  });

  it('drops a page that does not read its socket instead of queueing without bound', async () => {
    const target = new FakeTarget();
    const warnings: string[] = [];
    const host = await hostFor(target, warnings);
    const stalled = await open(host);
    const stalledClosed = new Promise<void>((resolve) => stalled.once('close', () => resolve()));
    stalled.pause(); // stops reading: the kernel buffers fill, then the host's queue would grow

    const payload = { state: 'ready', checkedAt: null, filler: 'x'.repeat(4096) };
    const rssBefore = process.memoryUsage().rss;
    let sentBytes = 0;
    // Up to 128 MB of events, in bursts of 1 MB; a host without the bound would hold all of it.
    for (let burst = 0; burst < 128 && host.connections() === 1; burst++) {
      for (let i = 0; i < 256; i++) target.emit(payload);
      sentBytes += 256 * 4096;
      await new Promise((r) => setImmediate(r));
    }
    await until(() => host.connections() === 0, 'the stalled page to be dropped');
    stalled.resume();
    await stalledClosed;
    expect(warnings).toEqual(['a bridge connection was dropped: more than 1048576 bytes unread']);
    // Dropped once the kernel's buffers and the 1 MB bound were full, long before 128 MB.
    expect(sentBytes).toBeLessThan(64 * 1024 * 1024);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(48 * 1024 * 1024);
  });

  it('keeps a page that reads, however many events it gets', async () => {
    const target = new FakeTarget();
    const warnings: string[] = [];
    const host = await hostFor(target, warnings);
    const reader = await open(host);
    let got = 0;
    reader.on('message', () => (got += 1));
    const payload = { state: 'ready', checkedAt: null, filler: 'x'.repeat(4096) };
    for (let burst = 1; burst <= 32; burst++) {
      for (let i = 0; i < 64; i++) target.emit(payload);
      await until(() => got === burst * 64, 'the page to read the burst');
    }
    expect(host.connections()).toBe(1);
    expect(warnings).toEqual([]);
  });
});
