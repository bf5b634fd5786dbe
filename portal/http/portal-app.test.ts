import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogResponse, syncRoutes } from '../../common/contract/sync-api.js';
import { tokenHash } from '../auth/token-hash.js';
import { DEMO_CALENDAR } from '../seed/demo-guides.js';
import { createPortalPool } from '../db/pool.js';
import { findFreePort } from '../net/find-free-port.js';
import { KIOSK_TOKEN, STAFF_TOKEN, TEST_NOW, startPortalHarness, type PortalHarness } from '../test-support/portal-harness.js';
import { buildPortalApp } from './build-portal-app.js';

let h: PortalHarness;

beforeAll(async () => {
  h = await startPortalHarness();
});

afterAll(async () => {
  await h.close();
});

describe('portal app: auth', () => {
  it('answers 401 without a token, with a wrong token, and with a malformed header', async () => {
    for (const token of [null, 'not-a-known-token', STAFF_TOKEN]) {
      const answer = await h.request('GET', '/v1/kiosk/catalog', { token });
      expect(answer).toEqual({ status: 401, body: { code: 'unauthorized', message: expect.any(String) } });
    }
    const res = await fetch(`${h.baseUrl}/v1/kiosk/catalog`, { headers: { authorization: `Basic ${KIOSK_TOKEN}` } });
    expect(res.status).toBe(401);
  });

  it('refuses a revoked kiosk token', async () => {
    await h.db.pool.query("UPDATE kiosks SET revoked_at = now() WHERE kiosk_id = 'kiosk-2'");
    const answer = await h.request('GET', '/v1/kiosk/catalog', { token: 'test-kiosk-token-two' });
    expect(answer.status).toBe(401);
  });

  it('stores token hashes, never the tokens', async () => {
    const kiosks = await h.db.pool.query<{ token_hash: string }>('SELECT token_hash FROM kiosks ORDER BY kiosk_id');
    expect(kiosks.rows[0]?.token_hash).toBe(tokenHash(KIOSK_TOKEN));
    const dump = await h.db.pool.query<{ dump: string }>(
      "SELECT (SELECT json_agg(k)::text FROM kiosks k) || (SELECT json_agg(s)::text FROM staff_tokens s) AS dump",
    );
    expect(dump.rows[0]?.dump).toContain(tokenHash(STAFF_TOKEN));
    expect(dump.rows[0]?.dump).not.toContain(KIOSK_TOKEN);
    expect(dump.rows[0]?.dump).not.toContain(STAFF_TOKEN);
  });
});

describe('portal app: routes', () => {
  it('serves the catalog of the token’s hall, services in display order', async () => {
    const answer = await h.request('GET', '/v1/kiosk/catalog', { token: KIOSK_TOKEN });
    expect(answer.status).toBe(200);
    const catalog = CatalogResponse.parse(answer.body);
    expect(catalog.hall).toEqual({
      hallId: 'demo-city-hall',
      name: { zh: '市民中心政务服务大厅', en: 'Citizen Service Centre' },
      timeZone: 'Asia/Shanghai',
      // The demo hall opens its business day at 03:00, so late-night tickets count as the day before.
      businessDayStartHour: 3,
      calendar: DEMO_CALENDAR,
      checkInWindow: { beforeMinutes: 30, afterMinutes: 15 },
      // Hours shown, not enforced, in a hall of before issue 10 (migration 0014).
      ticketsOnlyInHours: false,
    });
    expect(catalog.services.map((s) => s.prefix).join('')).toBe('ABCDEFGHJK');
    expect(catalog.services[0]).toMatchObject({ id: 'social-insurance', name: { zh: '社会保障' }, enabled: true });
    expect(catalog.serverTime).toBe(TEST_NOW.toISOString());
  });

  it('answers 404 for an unknown path and 405 with Allow for a wrong method', async () => {
    expect(await h.request('GET', '/v1/nowhere')).toEqual({ status: 404, body: { code: 'not-found', message: expect.any(String) } });
    const res = await fetch(`${h.baseUrl}/v1/kiosk/events`, { headers: { authorization: `Bearer ${KIOSK_TOKEN}` } });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });

  it('answers 400 for a body that is not JSON', async () => {
    const res = await fetch(`${h.baseUrl}/v1/kiosk/numbers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KIOSK_TOKEN}`, 'content-type': 'application/json' },
      body: '{"ticketId":',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ code: 'bad-request', message: 'body is not valid JSON' });
  });

  it('serves /healthz', async () => {
    expect(await h.request('GET', '/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('serves an OpenAPI 3.1 document with every route of syncRoutes', async () => {
    const answer = await h.request('GET', '/openapi.json');
    expect(answer.status).toBe(200);
    const doc = answer.body as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    for (const route of Object.values(syncRoutes)) {
      expect(doc.paths[route.path]?.[route.method], `${route.method} ${route.path}`).toBeDefined();
    }
  });

  it('serves Swagger UI at /docs', async () => {
    const res = await fetch(`${h.baseUrl}/docs/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain('Swagger UI');
  });

  it('sends helmet’s security headers with API answers', async () => {
    const res = await fetch(`${h.baseUrl}/v1/kiosk/catalog`, { headers: { authorization: `Bearer ${KIOSK_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});

describe('portal app: internal errors', () => {
  it('answers 500 internal with no details when the database is unreachable', async () => {
    const deadPool = createPortalPool(`postgres://nobody:x@127.0.0.1:${await findFreePort()}/none`, { onIdleError: () => undefined });
    const reported: unknown[] = [];
    const app = await buildPortalApp({ pool: deadPool, logLevel: 'silent', onInternalError: (err) => reported.push(err) });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      const res = await fetch(`${base}/v1/kiosk/catalog`, { headers: { authorization: `Bearer ${KIOSK_TOKEN}` } });
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ code: 'internal', message: 'internal error' });
      const health = await fetch(`${base}/healthz`);
      expect(health.status).toBe(503);
      expect(reported).toHaveLength(2);
    } finally {
      app.server.closeAllConnections();
      await app.close();
      await deadPool.end();
    }
  });
});
