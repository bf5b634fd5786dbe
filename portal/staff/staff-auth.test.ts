/**
 * Issue 8 §2 on a real PostgreSQL: the session cookie and its CSRF token, staff API keys, minimum
 * roles, display tokens, session expiry and sign-out, and two halls that never see each other.
 */
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaffRole } from '../../common/contract/route-spec.js';
import { SessionResponse } from '../../common/contract/staff-api.js';
import { tokenHash } from '../auth/token-hash.js';
import { DEMO_HALL_ID, seedDemoHall } from '../seed/demo-hall.js';
import { startTestPostgres, type TestPostgres } from '../test-support/test-postgres.js';
import { issueDisplayToken, revokeDisplayToken } from './display-tokens.js';
import { createStaffAccount, disableStaff } from './staff-accounts.js';
import { sessionHeaders, signInVia, startProbeApp } from './staff-test-kit.js';

const HALL_2 = 'second-hall';
const STAFF_TOKEN = 'staff-auth-test-api-key';
const HALL_2_STAFF_TOKEN = 'staff-auth-test-api-key-2';
const PASSWORD = 'clerk-one-password';
const PASSWORD_2 = 'hall-two-clerk-password';
const MANAGER_PASSWORD = 'manager-password';

let db: TestPostgres;
let app: FastifyInstance;
let displayToken: string;

beforeAll(async () => {
  db = await startTestPostgres();
  await seedDemoHall(db.pool, { kioskTokens: [], staffToken: STAFF_TOKEN });
  await seedDemoHall(db.pool, { hallId: HALL_2, kioskTokens: [], staffToken: HALL_2_STAFF_TOKEN, staffId: 'api-2' });
  await createStaffAccount(db.pool, { hallId: DEMO_HALL_ID, staffId: 'c1', username: 'clerk1', displayName: 'Clerk One', role: StaffRole.Clerk, password: PASSWORD });
  await createStaffAccount(db.pool, { hallId: DEMO_HALL_ID, staffId: 'm1', username: 'manager', displayName: 'Manager', role: StaffRole.Manager, password: MANAGER_PASSWORD });
  // The same username in the other hall, with another password: accounts are per hall.
  await createStaffAccount(db.pool, { hallId: HALL_2, staffId: 'c1-h2', username: 'clerk1', displayName: 'Clerk Two', role: StaffRole.Clerk, password: PASSWORD_2 });
  displayToken = await issueDisplayToken(db.pool, { hallId: DEMO_HALL_ID, displayId: 'wall-1', name: 'Wall' });
  app = await startProbeApp(db.pool, { limits: { authFailuresPerWindow: 1_000, authCacheTtlMs: 200 } });
});

afterAll(async () => {
  await app.close();
  await db.close();
});

async function signedIn(hallId = DEMO_HALL_ID, username = 'clerk1', password = PASSWORD): Promise<{ sessionId: string; csrfToken: string }> {
  const answer = await signInVia(app, { hallId, username, password });
  expect(answer.status).toBe(200);
  const body = SessionResponse.parse(answer.body);
  if (!answer.sessionId) throw new Error('no session cookie');
  return { sessionId: answer.sessionId, csrfToken: body.csrfToken };
}

const write = (headers: Record<string, string>) => app.inject({ method: 'POST', url: '/v1/test/write', headers, payload: { n: 7 } });

describe('the session cookie', () => {
  it('is httpOnly, SameSite=Strict, Path=/, and Secure only when the request came over https', async () => {
    const plain = await signInVia(app, { hallId: DEMO_HALL_ID, username: 'clerk1', password: PASSWORD });
    expect(plain.setCookie).toMatch(/^hk_session=[A-Za-z0-9_-]{43}; /);
    const attributes = plain.setCookie?.split('; ').slice(1) ?? [];
    expect(attributes).toEqual(expect.arrayContaining(['Path=/', 'HttpOnly', 'SameSite=Strict']));
    expect(attributes).not.toContain('Secure');
    // No Max-Age: the cookie dies with the browser; the server ends the session anyway.
    expect(plain.setCookie).not.toMatch(/Max-Age|Expires/i);

    // Behind a TLS-terminating proxy the portal trusts, X-Forwarded-Proto says https.
    const proxied = await startProbeApp(db.pool, { trustProxy: true, limits: { authFailuresPerWindow: 1_000 } });
    try {
      const secure = await signInVia(proxied, { hallId: DEMO_HALL_ID, username: 'clerk1', password: PASSWORD }, { headers: { 'x-forwarded-proto': 'https' } });
      expect(secure.setCookie?.split('; ')).toContain('Secure');
    } finally {
      await proxied.close();
    }
    // The same header from an untrusted client changes nothing.
    const spoofed = await signInVia(app, { hallId: DEMO_HALL_ID, username: 'clerk1', password: PASSWORD }, { headers: { 'x-forwarded-proto': 'https' } });
    expect(spoofed.setCookie?.split('; ')).not.toContain('Secure');
  });

  it('keeps only the SHA-256 of the session id in the database', async () => {
    const { sessionId } = await signedIn();
    const rows = await db.pool.query('SELECT session_hash FROM staff_sessions WHERE session_hash = $1', [tokenHash(sessionId)]);
    expect(rows.rows).toHaveLength(1);
    const dump = await db.pool.query("SELECT json_agg(s)::text AS dump FROM staff_sessions s");
    expect((dump.rows[0] as { dump: string }).dump).not.toContain(sessionId);
  });

  it('signs the browser in: GET /v1/staff/session gives the person and the CSRF token', async () => {
    const { sessionId, csrfToken } = await signedIn();
    const res = await app.inject({ method: 'GET', url: '/v1/staff/session', headers: { cookie: `hk_session=${sessionId}` } });
    expect(res.statusCode).toBe(200);
    const body = SessionResponse.parse(res.json());
    expect(body).toMatchObject({ staff: { hallId: DEMO_HALL_ID, staffId: 'c1', username: 'clerk1', displayName: 'Clerk One', role: 'clerk' }, csrfToken });
    expect((await app.inject({ method: 'GET', url: '/v1/staff/session' })).json()).toMatchObject({ code: 'unauthorized' });
    expect((await app.inject({ method: 'GET', url: '/v1/staff/session', headers: { cookie: 'hk_session=' + 'x'.repeat(43) } })).statusCode).toBe(401);
  });
});

describe('CSRF on writes made with the session cookie', () => {
  it('refuses a write without the token, with a wrong one, from a foreign origin, or showing no origin', async () => {
    const { sessionId, csrfToken } = await signedIn();
    const other = await signedIn();
    const refusals = [
      await write(sessionHeaders(sessionId)),
      await write(sessionHeaders(sessionId, 'A'.repeat(43))),
      // Another session's token is no better.
      await write(sessionHeaders(sessionId, other.csrfToken)),
      await write(sessionHeaders(sessionId, csrfToken, 'https://evil.example')),
      await write(sessionHeaders(sessionId, csrfToken, 'http://localhost:8081')),
      await write(sessionHeaders(sessionId, csrfToken, null)),
    ];
    expect(refusals.map((r) => [r.statusCode, (r.json() as { code: string }).code])).toEqual(Array(6).fill([403, 'csrf']));

    const audited = await db.pool.query(
      "SELECT count(*)::int AS n FROM audit_log WHERE hall_id = $1 AND actor_id = 'c1' AND action = 'access.csrf' AND outcome = 'refused'",
      [DEMO_HALL_ID],
    );
    expect((audited.rows[0] as { n: number }).n).toBe(6);
  });

  it('accepts the right token from the own origin (or Referer), and needs none for a GET', async () => {
    const { sessionId, csrfToken } = await signedIn();
    const ok = await write(sessionHeaders(sessionId, csrfToken));
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ hallId: DEMO_HALL_ID, staffId: 'c1', role: 'clerk', via: 'session', n: 7 });
    const byReferer = await write({ ...sessionHeaders(sessionId, csrfToken, null), referer: 'http://localhost/counter/' });
    expect(byReferer.statusCode).toBe(200);
    const read = await app.inject({ method: 'GET', url: '/v1/test/whoami', headers: { cookie: `hk_session=${sessionId}`, origin: 'https://evil.example' } });
    expect(read.statusCode).toBe(200);
  });

  it('does not ask a staff API key (bearer) for a CSRF token or an origin', async () => {
    const res = await write({ authorization: `Bearer ${STAFF_TOKEN}`, origin: 'https://elsewhere.example' });
    expect(res.statusCode).toBe(200);
    // The key acts as its account: the migration-made clerk without a password.
    expect(res.json()).toEqual({ hallId: DEMO_HALL_ID, staffId: 'demo-staff', role: 'clerk', via: 'api-key', n: 7 });
  });
});

describe('the throttle in front of the app', () => {
  it('lets a known session through from an address past its failure budget, and holds unknown ones back', async () => {
    const strict = await startProbeApp(db.pool, { limits: { authFailuresPerWindow: 3, authFailureDelayMs: 10 } });
    try {
      await strict.listen({ port: 0, host: '127.0.0.1' });
      const base = `http://127.0.0.1:${(strict.server.address() as AddressInfo).port}`;
      const signIn = await fetch(`${base}/v1/staff/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ hallId: DEMO_HALL_ID, username: 'clerk1', password: PASSWORD }),
      });
      const sessionId = /hk_session=([^;]+)/.exec(signIn.headers.get('set-cookie') ?? '')?.[1] ?? '';
      const who = (cookie: string) => fetch(`${base}/v1/test/whoami`, { headers: { cookie } });
      expect((await who(`hk_session=${sessionId}`)).status).toBe(200);
      // An abuser on the same address (a NAT) uses up its budget.
      for (let i = 0; i < 3; i += 1) await fetch(`${base}/v1/test/whoami`, { headers: { authorization: `Bearer junk-${i}` } });
      expect((await fetch(`${base}/v1/test/whoami`, { headers: { authorization: 'Bearer junk-9' } })).status).toBe(429);
      expect((await who(`other=1; hk_session=${'z'.repeat(43)}`)).status).toBe(429);
      expect((await who(`other=1; hk_session=${sessionId}`)).status).toBe(200);
    } finally {
      strict.server.closeAllConnections();
      await strict.close();
    }
  });
});

describe('minimum roles', () => {
  it('refuses a role below the route minimum with 403 forbidden (session or API key), and audits it', async () => {
    const clerk = await signedIn();
    const asClerk = await app.inject({ method: 'POST', url: '/v1/test/manager-only', headers: sessionHeaders(clerk.sessionId, clerk.csrfToken), payload: { n: 1 } });
    expect(asClerk.statusCode).toBe(403);
    expect(asClerk.json()).toMatchObject({ code: 'forbidden' });
    const asKey = await app.inject({ method: 'POST', url: '/v1/test/manager-only', headers: { authorization: `Bearer ${STAFF_TOKEN}` }, payload: { n: 1 } });
    expect(asKey.json()).toMatchObject({ code: 'forbidden' });

    const manager = await signedIn(DEMO_HALL_ID, 'manager', MANAGER_PASSWORD);
    const asManager = await app.inject({ method: 'POST', url: '/v1/test/manager-only', headers: sessionHeaders(manager.sessionId, manager.csrfToken), payload: { n: 1 } });
    expect(asManager.statusCode).toBe(200);
    expect(asManager.json()).toMatchObject({ staffId: 'm1', role: 'manager' });

    const audited = await db.pool.query(
      `SELECT actor_id, target, detail->>'minRole' AS min_role FROM audit_log WHERE hall_id = $1 AND action = 'access.forbidden' ORDER BY audit_id`,
      [DEMO_HALL_ID],
    );
    expect(audited.rows).toEqual([
      { actor_id: 'c1', target: 'managerOnly', min_role: 'manager' },
      { actor_id: 'demo-staff', target: 'managerOnly', min_role: 'manager' },
    ]);
  });
});

describe('the end of a session', () => {
  it('sign-out revokes the session at once, clears the cookie, and is audited', async () => {
    const { sessionId, csrfToken } = await signedIn();
    const withoutToken = await app.inject({ method: 'POST', url: '/v1/staff/sign-out', headers: sessionHeaders(sessionId) });
    expect(withoutToken.json()).toMatchObject({ code: 'csrf' });
    const out = await app.inject({ method: 'POST', url: '/v1/staff/sign-out', headers: sessionHeaders(sessionId, csrfToken) });
    expect(out.statusCode).toBe(200);
    expect(out.json()).toEqual({ signedOut: true });
    expect(String(out.headers['set-cookie'])).toMatch(/^hk_session=; .*Expires=Thu, 01 Jan 1970/);

    const after = await app.inject({ method: 'GET', url: '/v1/staff/session', headers: { cookie: `hk_session=${sessionId}` } });
    expect(after.statusCode).toBe(401);
    const row = await db.pool.query('SELECT revoked_at IS NOT NULL AS revoked FROM staff_sessions WHERE session_hash = $1', [tokenHash(sessionId)]);
    expect(row.rows).toEqual([{ revoked: true }]);
    const audited = await db.pool.query("SELECT count(*)::int AS n FROM audit_log WHERE action = 'staff.sign-out' AND actor_id = 'c1'");
    expect((audited.rows[0] as { n: number }).n).toBe(1);
  });

  it('ends a session idle past 30 minutes, and one past its absolute end however busy', async () => {
    const idle = await signedIn();
    await db.pool.query("UPDATE staff_sessions SET last_seen_at = clock_timestamp() - interval '31 minutes' WHERE session_hash = $1", [tokenHash(idle.sessionId)]);
    expect((await app.inject({ method: 'GET', url: '/v1/test/whoami', headers: { cookie: `hk_session=${idle.sessionId}` } })).statusCode).toBe(401);

    const old = await signedIn();
    await db.pool.query("UPDATE staff_sessions SET created_at = clock_timestamp() - interval '13 hours', expires_at = clock_timestamp() - interval '1 second' WHERE session_hash = $1", [
      tokenHash(old.sessionId),
    ]);
    expect((await app.inject({ method: 'GET', url: '/v1/test/whoami', headers: { cookie: `hk_session=${old.sessionId}` } })).statusCode).toBe(401);
  });

  it('keeps a session in use alive: a request after a quiet while moves last_seen_at', async () => {
    const { sessionId } = await signedIn();
    await db.pool.query("UPDATE staff_sessions SET last_seen_at = clock_timestamp() - interval '20 minutes' WHERE session_hash = $1", [tokenHash(sessionId)]);
    const res = await app.inject({ method: 'GET', url: '/v1/staff/session', headers: { cookie: `hk_session=${sessionId}` } });
    const body = SessionResponse.parse(res.json());
    // Idle end 30 minutes from now, not 10.
    expect(Date.parse(body.expiresAt) - Date.now()).toBeGreaterThan(25 * 60_000);
    const seen = await db.pool.query<{ age: number }>('SELECT EXTRACT(EPOCH FROM clock_timestamp() - last_seen_at)::float AS age FROM staff_sessions WHERE session_hash = $1', [
      tokenHash(sessionId),
    ]);
    expect(seen.rows[0]?.age).toBeLessThan(60);
  });

  it('ends the sessions of a disabled account', async () => {
    await createStaffAccount(db.pool, { hallId: DEMO_HALL_ID, staffId: 'temp', username: 'temp', displayName: 'Temp', role: StaffRole.Clerk, password: 'temporary-password' });
    const { sessionId } = await signedIn(DEMO_HALL_ID, 'temp', 'temporary-password');
    await disableStaff(db.pool, DEMO_HALL_ID, 'temp');
    expect((await app.inject({ method: 'GET', url: '/v1/test/whoami', headers: { cookie: `hk_session=${sessionId}` } })).statusCode).toBe(401);
  });

  it('a staff API key has no session to show or end', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/staff/session', headers: { authorization: `Bearer ${STAFF_TOKEN}` } });
    expect(res.statusCode).toBe(400);
  });
});

describe('display tokens', () => {
  it('authenticate a hall display as a bearer token, hashed at rest, for display routes only', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/test/display', headers: { authorization: `Bearer ${displayToken}` } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ hallId: DEMO_HALL_ID, displayId: 'wall-1' });
    const stored = await db.pool.query('SELECT token_hash FROM display_tokens WHERE display_id = $1', ['wall-1']);
    expect(stored.rows).toEqual([{ token_hash: tokenHash(displayToken) }]);

    // Not a staff credential, and a staff key is not a display's.
    expect((await app.inject({ method: 'GET', url: '/v1/test/whoami', headers: { authorization: `Bearer ${displayToken}` } })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/v1/test/display', headers: { authorization: `Bearer ${STAFF_TOKEN}` } })).statusCode).toBe(401);
    const { sessionId } = await signedIn();
    expect((await app.inject({ method: 'GET', url: '/v1/test/display', headers: { cookie: `hk_session=${sessionId}` } })).statusCode).toBe(401);
  });

  it('stop working once revoked (within the auth cache TTL), and a new token replaces the old', async () => {
    const token = await issueDisplayToken(db.pool, { hallId: DEMO_HALL_ID, displayId: 'wall-2', name: 'Wall 2' });
    const ask = (t: string) => app.inject({ method: 'GET', url: '/v1/test/display', headers: { authorization: `Bearer ${t}` } });
    expect((await ask(token)).statusCode).toBe(200);
    const replacement = await issueDisplayToken(db.pool, { hallId: DEMO_HALL_ID, displayId: 'wall-2', name: 'Wall 2' });
    expect(await revokeDisplayToken(db.pool, DEMO_HALL_ID, 'wall-2')).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect((await ask(token)).statusCode).toBe(401);
    expect((await ask(replacement)).statusCode).toBe(401);
    const audited = await db.pool.query("SELECT action FROM audit_log WHERE target = 'wall-2' ORDER BY audit_id");
    expect(audited.rows.map((r: { action: string }) => r.action)).toEqual(['display.token-issued', 'display.token-issued', 'display.token-revoked']);
  });
});

describe('two halls', () => {
  it('a session decides its hall: hall 2 sees itself, never hall 1', async () => {
    const hall2 = await signedIn(HALL_2, 'clerk1', PASSWORD_2);
    const who = await app.inject({ method: 'GET', url: '/v1/test/whoami', headers: { cookie: `hk_session=${hall2.sessionId}` } });
    expect(who.json()).toEqual({ hallId: HALL_2, staffId: 'c1-h2', role: 'clerk', via: 'session' });
    const session = SessionResponse.parse((await app.inject({ method: 'GET', url: '/v1/staff/session', headers: { cookie: `hk_session=${hall2.sessionId}` } })).json());
    expect(session.staff).toMatchObject({ hallId: HALL_2, displayName: 'Clerk Two' });
  });

  it('an account signs in to its own hall only (same username, other hall: wrong password)', async () => {
    const crossed = await signInVia(app, { hallId: DEMO_HALL_ID, username: 'clerk1', password: PASSWORD_2 });
    expect(crossed.status).toBe(401);
    expect(crossed.sessionId).toBeUndefined();
    const crossedBack = await signInVia(app, { hallId: HALL_2, username: 'clerk1', password: PASSWORD });
    expect(crossedBack.status).toBe(401);
  });

  it('lists both halls for the sign-in page, without authentication', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/public/halls' });
    expect(res.statusCode).toBe(200);
    expect((res.json() as { halls: { hallId: string }[] }).halls.map((h) => h.hallId)).toEqual([DEMO_HALL_ID, HALL_2]);
  });
});
