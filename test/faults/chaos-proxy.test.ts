/**
 * The chaos proxy itself, against a plain node:http server: each fault does to one request what
 * its name says, a partition lets nothing through until healed, and a seed replays its decisions.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ChaosFault, ChaosProxy, PartitionMode, type ChaosProxyOptions } from './support/chaos-proxy.js';

interface Seen {
  method: string;
  path: string;
  body: string;
}

let server: http.Server;
let upstream: { host: string; port: number };
const seen: Seen[] = [];
const proxies: ChaosProxy[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method ?? '', path: req.url ?? '', body });
      if (req.url === '/chunked') {
        // No Content-Length: node sends the answer chunked.
        res.write('part-1;');
        res.end(`part-2;${body}`);
        return;
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ echo: body, n: seen.length }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  upstream = { host: '127.0.0.1', port: (server.address() as AddressInfo).port };
});

afterEach(async () => {
  await Promise.all(proxies.splice(0).map((p) => p.close()));
  seen.length = 0;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function proxy(options: Omit<ChaosProxyOptions, 'upstream'>): Promise<ChaosProxy> {
  const p = await ChaosProxy.start({ upstream, ...options });
  proxies.push(p);
  return p;
}

type Outcome = { ok: true; status: number; body: string } | { ok: false; error: string };

async function post(p: ChaosProxy, path: string, body: string, timeoutMs = 2_000): Promise<Outcome> {
  try {
    const res = await fetch(`${p.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { ok: true, status: res.status, body: await res.text() };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.name : String(err) };
  }
}

/** A chunked request (no Content-Length) on node's own client. */
function postChunked(p: ChaosProxy, path: string, parts: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: p.port, path, method: 'POST' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      res.on('error', reject);
    });
    req.on('error', reject);
    for (const part of parts) req.write(part);
    req.end();
  });
}

describe('ChaosProxy', () => {
  it('passes requests through unchanged on one keep-alive connection when no fault is set', async () => {
    const p = await proxy({ seed: 1 });
    for (let i = 0; i < 20; i++) {
      const out = await post(p, `/echo/${i}`, `body-${i}`);
      expect(out).toEqual({ ok: true, status: 200, body: JSON.stringify({ echo: `body-${i}`, n: i + 1 }) });
    }
    expect(seen.map((s) => s.path)).toEqual(Array.from({ length: 20 }, (_, i) => `/echo/${i}`));
    const c = p.counters();
    expect(c.requests).toBe(20);
    expect(c.answered).toBe(20);
    // Keep-alive: the requests share a connection or two, not one each.
    expect(c.connections).toBeLessThanOrEqual(2);
    expect(Object.values(c.faults).every((n) => n === 0)).toBe(true);
  });

  it('frames chunked requests and chunked responses', async () => {
    const p = await proxy({ seed: 2 });
    await expect(postChunked(p, '/chunked', ['ab', 'cd', 'ef'])).resolves.toBe('part-1;part-2;abcdef');
    await expect(postChunked(p, '/chunked', ['x'])).resolves.toBe('part-1;part-2;x');
    expect(seen.map((s) => s.body)).toEqual(['abcdef', 'x']);
  });

  it('drop: closes the connection and forwards nothing', async () => {
    const p = await proxy({ seed: 3, rates: { [ChaosFault.Drop]: 1 } });
    for (let i = 0; i < 5; i++) expect((await post(p, '/x', 'b')).ok).toBe(false);
    expect(seen).toHaveLength(0);
    expect(p.counters().faults[ChaosFault.Drop]).toBe(5);
    expect(p.counters().forwarded).toBe(0);
  });

  it('duplicate: the server gets every request twice, the client one answer', async () => {
    const p = await proxy({ seed: 4, rates: { [ChaosFault.Duplicate]: 1 } });
    for (let i = 0; i < 10; i++) {
      const out = await post(p, `/dup/${i}`, `d${i}`);
      expect(out.ok && out.status).toBe(200);
      expect(out.ok && (JSON.parse(out.body) as { echo: string }).echo).toBe(`d${i}`);
    }
    expect(seen).toHaveLength(20);
    for (let i = 0; i < 10; i++) expect(seen.filter((s) => s.path === `/dup/${i}` && s.body === `d${i}`)).toHaveLength(2);
    expect(p.counters().faults[ChaosFault.Duplicate]).toBe(10);
  });

  it('lose-response: the server handles the request, the client never gets the answer', async () => {
    const p = await proxy({ seed: 5, rates: { [ChaosFault.LoseResponse]: 1 } });
    for (let i = 0; i < 8; i++) expect((await post(p, `/lost/${i}`, 'b', 300)).ok).toBe(false);
    expect(seen.map((s) => s.path)).toEqual(Array.from({ length: 8 }, (_, i) => `/lost/${i}`));
    expect(p.counters().faults[ChaosFault.LoseResponse]).toBe(8);
    expect(p.counters().answered).toBe(0);
  });

  it('reset: the client always fails; a request cut on the way in never reaches the handler whole', async () => {
    const p = await proxy({ seed: 6, rates: { [ChaosFault.Reset]: 1 } });
    for (let i = 0; i < 10; i++) expect((await post(p, `/reset/${i}`, 'x'.repeat(200))).ok).toBe(false);
    expect(p.counters().faults[ChaosFault.Reset]).toBe(10);
    expect(seen.length).toBeLessThan(10);
    for (const s of seen) expect(s.body).toBe('x'.repeat(200));
  });

  it('delay: every request still arrives once and is answered', async () => {
    const p = await proxy({ seed: 7, rates: { [ChaosFault.Delay]: 1 }, delayMs: [5, 20] });
    for (let i = 0; i < 5; i++) expect((await post(p, `/slow/${i}`, 's')).ok).toBe(true);
    expect(seen).toHaveLength(5);
    expect(p.counters().faults[ChaosFault.Delay]).toBe(5);
  });

  it('refuse partition: nothing gets through until healed', async () => {
    const p = await proxy({ seed: 8 });
    expect((await post(p, '/before', 'a')).ok).toBe(true);
    p.partition(PartitionMode.Refuse);
    for (let i = 0; i < 3; i++) expect((await post(p, '/during', 'b')).ok).toBe(false);
    expect(seen.map((s) => s.path)).toEqual(['/before']);
    p.heal();
    expect((await post(p, '/after', 'c')).ok).toBe(true);
    expect(seen.map((s) => s.path)).toEqual(['/before', '/after']);
    expect(p.counters().partitions).toBe(1);
    expect(p.counters().refused).toBeGreaterThanOrEqual(3);
  });

  it('black-hole partition: clients wait until their own timeout, then heal lets them through', async () => {
    const p = await proxy({ seed: 9 });
    p.partition(PartitionMode.Blackhole);
    const during = await post(p, '/during', 'b', 300);
    expect(during).toEqual({ ok: false, error: 'TimeoutError' });
    expect(seen).toHaveLength(0);
    p.heal();
    expect((await post(p, '/after', 'c')).ok).toBe(true);
    expect(seen.map((s) => s.path)).toEqual(['/after']);
    expect(p.counters().blackholed).toBeGreaterThanOrEqual(1);
  });

  it('replays the same decisions for the same seed and differs for another', async () => {
    const rates = {
      [ChaosFault.Drop]: 0.15,
      [ChaosFault.Delay]: 0.15,
      [ChaosFault.Reset]: 0.15,
      [ChaosFault.Duplicate]: 0.15,
      [ChaosFault.LoseResponse]: 0.15,
    };
    const run = async (seed: number): Promise<string[]> => {
      const p = await proxy({ seed, rates, delayMs: [1, 5] });
      for (let i = 0; i < 30; i++) await post(p, `/r/${i}`, 'r', 300);
      return p.decisions();
    };
    const a = await run(42);
    const b = await run(42);
    const c = await run(43);
    expect(a).toHaveLength(30);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    expect(new Set(a).size).toBeGreaterThanOrEqual(4);
  });
});
