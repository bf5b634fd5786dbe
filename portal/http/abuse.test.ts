import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tokenHash } from '../auth/token-hash.js';
import { createPortalPool } from '../db/pool.js';
import { openSlowLoris, runKiosk, send } from '../test-support/abuse-clients.js';
import { KIOSK_TOKEN, KIOSK_TOKEN_2, startPortalHarness, type PortalHarness } from '../test-support/portal-harness.js';
import { runAbuser } from '../test-support/run-abuser.js';
import { buildPortalApp } from './build-portal-app.js';
import { DEFAULT_PORTAL_LIMITS } from './portal-limits.js';

/**
 * The portal under abuse (issue 7 §7), on a real PostgreSQL over real sockets. Abusers and the
 * kiosk share 127.0.0.1 here, as they may share a NAT in a hall: the kiosk is told apart by its
 * token, never by its address.
 */

/** Portals of the test running now (closed after it), and of a whole describe block. */
const perTest: PortalHarness[] = [];
const perFile: PortalHarness[] = [];

async function portal(options: Parameters<typeof startPortalHarness>[0] = {}, scope: 'test' | 'file' = 'test'): Promise<PortalHarness> {
  const h = await startPortalHarness(options);
  (scope === 'test' ? perTest : perFile).push(h);
  return h;
}

afterEach(async () => {
  await Promise.all(perTest.splice(0).map((h) => h.close()));
});

afterAll(async () => {
  await Promise.all(perFile.splice(0).map((h) => h.close()));
});

/**
 * Counts the token lookups the portal sends to PostgreSQL (the queries that find a principal),
 * other than the re-checks of the valid tokens given.
 */
function countTokenLookups(h: PortalHarness, validTokens: string[] = []): { readonly count: number; restore(): void } {
  const pool = h.db.pool;
  const original = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  const counter = { count: 0 };
  const known = new Set(validTokens.map(tokenHash));
  (pool as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const text = typeof args[0] === 'string' ? args[0] : '';
    // One query looks up a batch of hashes (batched-lookup.ts): each unknown hash in it counts.
    const hashes = (args[1] as unknown[] | undefined)?.[0];
    if (/WHERE t?\.?token_hash = ANY\(\$1::text\[\]\)/.test(text) && Array.isArray(hashes)) {
      counter.count += hashes.filter((hash) => !known.has(String(hash))).length;
    }
    return original(...args);
  };
  return {
    get count() {
      return counter.count;
    },
    restore: () => {
      (pool as unknown as { query: unknown }).query = original;
    },
  };
}

describe('a flood of bad tokens', () => {
  it('answers 5,000 junk requests from memory while a kiosk numbers every visitor online', async () => {
    // One failure window over the whole flood, so the bound on database lookups below is exact;
    // refusals held 1 s instead of 5: the flood comes back five times as fast, the harder case.
    const h = await portal({ limits: { authFailureWindowMs: 60_000, authFailureDelayMs: 1_000 } });
    // The kiosk is in use before the flood starts, as kiosks in a hall are.
    const warm = await send(h.baseUrl, new http.Agent(), 'GET', '/v1/kiosk/catalog', { token: KIOSK_TOKEN });
    expect(warm.status).toBe(200);

    const lookups = countTokenLookups(h, [KIOSK_TOKEN]);
    try {
      // The flood comes from another process, as it would: its own work is not on the portal's event loop.
      const abuser = runAbuser({ baseUrl: h.baseUrl, total: 5_000, connections: 500 });
      await abuser.started;
      const kiosk = runKiosk(h.baseUrl, KIOSK_TOKEN, { gapMs: 20 });
      const flood = await abuser.done;
      kiosk.stop();
      const allocations = await kiosk.done;

      expect(flood.failed).toBe(0);
      expect((flood.byStatus['401'] ?? 0) + (flood.byStatus['429'] ?? 0)).toBe(5_000);
      // The first failures of the address go to the database; past its budget, none does.
      expect(lookups.count).toBeLessThanOrEqual(h.app.portal.limits.authFailuresPerWindow);

      expect(allocations.length).toBeGreaterThan(20);
      // Every visitor numbered online. How fast is the portal-abuse benchmark's to say (a timed
      // assertion here fails on a loaded machine, not on slow code).
      expect(allocations.filter((a) => a.status !== 200)).toEqual([]);
    } finally {
      lookups.restore();
    }
  }, 60_000); // 5,000 requests over 500 sockets held about 1 s each: about 10 s.
});

describe('the Node server under the app', () => {
  it('carries the request, header and keep-alive timeouts and a connection cap above 2,000 abusers', async () => {
    const h = await portal();
    const server = h.app.server;
    expect({
      requestTimeout: server.requestTimeout,
      headersTimeout: server.headersTimeout,
      keepAliveTimeout: server.keepAliveTimeout,
      maxConnections: server.maxConnections,
    }).toEqual({
      requestTimeout: DEFAULT_PORTAL_LIMITS.requestTimeoutMs,
      headersTimeout: DEFAULT_PORTAL_LIMITS.headersTimeoutMs,
      keepAliveTimeout: DEFAULT_PORTAL_LIMITS.keepAliveTimeoutMs,
      maxConnections: DEFAULT_PORTAL_LIMITS.maxConnections,
    });
    expect(server.maxConnections).toBeGreaterThan(2_000 + 200 + 100);
  });
});

describe('slow-loris', () => {
  it('closes sockets that never finish their headers at the header timeout, with a coded 408', async () => {
    const h = await portal({ limits: { headersTimeoutMs: 1_000, connectionsCheckingIntervalMs: 100 } });
    const port = Number(new URL(h.baseUrl).port);
    const loris = openSlowLoris(port, 50, 200);
    try {
      const deadline = Date.now() + 4_000;
      while (loris.closedAfterMs.length < 50 && Date.now() < deadline) {
        // The kiosk is served while the sockets hang.
        const answer = await send(h.baseUrl, new http.Agent(), 'GET', '/v1/kiosk/catalog', { token: KIOSK_TOKEN });
        expect(answer.status).toBe(200);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(loris.closedAfterMs).toHaveLength(50);
      // Trickling a header line every 200 ms never resets the clock: cut at 1 s (+ a check interval,
      // + slack for a busy machine), where Node's default would have waited a minute.
      expect(Math.max(...loris.closedAfterMs)).toBeLessThan(3_000);
      expect(Math.min(...loris.closedAfterMs)).toBeGreaterThan(900);
      expect(loris.received[0]).toMatch(/^HTTP\/1\.1 408 /);
      expect(loris.received[0]).toContain('{"code":"bad-request","message":"request not received in time"}');
    } finally {
      loris.stop();
    }
  });
});

describe('body limits', () => {
  it('refuses a body over its route’s limit with a coded 413; the push route takes far more', async () => {
    const h = await portal();
    const agent = new http.Agent();
    const big = JSON.stringify({ ticketId: '0195f1a2-0000-7000-8000-000000000001', serviceId: 'tax', pad: 'x'.repeat(64 * 1024) });
    expect(await send(h.baseUrl, agent, 'POST', '/v1/kiosk/numbers', { token: KIOSK_TOKEN, body: big })).toEqual({
      status: 413,
      text: JSON.stringify({ code: 'bad-request', message: `body larger than ${h.app.portal.limits.bodyLimitBytes} bytes` }),
    });
    // 64 KB is read in full on the push route: its schema answers, not the limit.
    const push = await send(h.baseUrl, agent, 'POST', '/v1/kiosk/events', { token: KIOSK_TOKEN, body: big });
    expect(push.status).toBe(400);
    expect(push.text).toMatch(/^\{"code":"bad-request","message":"invalid request body: /);
    agent.destroy();
  });
});

describe('token cache', () => {
  it('refuses a revoked token within the cache TTL, even while the token keeps being used', async () => {
    const ttlMs = 1_000;
    const h = await portal({ limits: { authCacheTtlMs: ttlMs } });
    const agent = new http.Agent({ keepAlive: true });
    expect((await send(h.baseUrl, agent, 'GET', '/v1/kiosk/catalog', { token: KIOSK_TOKEN_2 })).status).toBe(200);
    await h.db.pool.query("UPDATE kiosks SET revoked_at = now() WHERE kiosk_id = 'kiosk-2'");
    const revokedAt = performance.now();
    let refusedAfterMs: number | null = null;
    while (performance.now() - revokedAt < ttlMs * 3) {
      const answer = await send(h.baseUrl, agent, 'GET', '/v1/kiosk/catalog', { token: KIOSK_TOKEN_2 });
      if (answer.status === 401) {
        refusedAfterMs = performance.now() - revokedAt;
        expect(answer.text).toBe('{"code":"unauthorized","message":"unknown or revoked token"}');
        break;
      }
      expect(answer.status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(refusedAfterMs).not.toBeNull();
    // The TTL, plus one poll and one answer's time.
    expect(refusedAfterMs).toBeLessThanOrEqual(ttlMs + 250);
    // And it stays refused.
    expect((await send(h.baseUrl, agent, 'GET', '/v1/kiosk/catalog', { token: KIOSK_TOKEN_2 })).status).toBe(401);
    agent.destroy();
  });
});

describe('rate limits', () => {
  let h: PortalHarness;
  const agent = new http.Agent({ keepAlive: true });

  beforeAll(async () => {
    h = await portal({
      limits: {
        rateLimitWindowMs: 60_000,
        kioskRequestsPerWindow: 5,
        addressRequestsPerWindow: 5,
        authFailuresPerWindow: 3,
        authFailureDelayMs: 50,
        authCacheTtlMs: 200,
      },
    }, 'file');
  });

  afterEach(() => agent.destroy());

  it('gives each kiosk token its own budget and answers past it with a coded 429', async () => {
    for (let i = 0; i < 5; i++) expect((await send(h.baseUrl, agent, 'GET', '/v1/kiosk/catalog', { token: KIOSK_TOKEN })).status).toBe(200);
    const refused = await send(h.baseUrl, agent, 'GET', '/v1/kiosk/catalog', { token: KIOSK_TOKEN });
    expect(refused).toEqual({ status: 429, text: expect.stringMatching(/^\{"code":"rate-limited","message":"rate limit exceeded, retry in [^"]+"\}$/) });
    // Another kiosk on the same address is not affected.
    expect((await send(h.baseUrl, agent, 'GET', '/v1/kiosk/catalog', { token: KIOSK_TOKEN_2 })).status).toBe(200);
  });

  it('limits an address on unknown paths too', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await send(h.baseUrl, agent, 'GET', '/v1/kiosk/nowhere')).status);
    expect(statuses).toEqual([404, 404, 404, 404, 404, 429, 429]);
  });

  it('refuses an address past its failure budget without asking the database, but lets a kiosk known a moment ago in', async () => {
    // Kiosk 2 is in use (it is known valid), then its address floods bad tokens.
    expect((await send(h.baseUrl, agent, 'GET', '/v1/kiosk/catalog', { token: KIOSK_TOKEN_2 })).status).toBe(200);
    // Both kiosks' tokens are in use: their background re-checks are not lookups of the flood.
    const lookups = countTokenLookups(h, [KIOSK_TOKEN, KIOSK_TOKEN_2]);
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) statuses.push((await send(h.baseUrl, agent, 'GET', '/v1/kiosk/pull', { token: `junk-${i}` })).status);
      expect(statuses).toEqual([401, 401, 401, 429, 429, 429, 429, 429]);
      expect(lookups.count).toBe(3);
      const throttled = await send(h.baseUrl, agent, 'GET', '/v1/kiosk/pull', { token: 'junk-x' });
      expect(throttled.text).toBe('{"code":"rate-limited","message":"too many failed authentications from this address; try again later"}');
      // Its cache entry (200 ms) has expired since: it is asked for again, and let in.
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect((await send(h.baseUrl, agent, 'GET', '/v1/kiosk/pull', { token: KIOSK_TOKEN_2 })).status).toBe(200);
    } finally {
      lookups.restore();
    }
  });
});

describe('a database that cannot keep up', () => {
  it('answers a coded 503 when no pooled connection frees up in time, instead of hanging', async () => {
    const h = await portal();
    const pool = createPortalPool(h.db.embedded.url, { max: 1, connectionTimeoutMillis: 300, statementTimeoutMillis: 200, onIdleError: () => undefined });
    const reported: unknown[] = [];
    const app = await buildPortalApp({ pool, logLevel: 'silent', onInternalError: (err) => reported.push(err) });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const held = await pool.connect();
    try {
      const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      const t0 = performance.now();
      const answer = await send(base, new http.Agent(), 'POST', '/v1/kiosk/numbers', {
        token: KIOSK_TOKEN,
        body: JSON.stringify({ ticketId: '0195f1a2-0000-7000-8000-000000000009', serviceId: 'social-insurance' }),
      });
      expect(answer).toEqual({ status: 503, text: '{"code":"service-unavailable","message":"database busy; try again shortly"}' });
      expect(performance.now() - t0).toBeLessThan(1_000);
      expect(reported).toHaveLength(1);
    } finally {
      held.release();
    }
    try {
      // Set on every connection of the pool: a statement past it is cancelled by PostgreSQL.
      expect((await pool.query<{ statement_timeout: string }>('SHOW statement_timeout')).rows[0]?.statement_timeout).toBe('200ms');
      await expect(pool.query('SELECT pg_sleep(2)')).rejects.toMatchObject({ code: '57014' });
    } finally {
      app.server.closeAllConnections();
      await app.close();
      await pool.end();
    }
  });
});
