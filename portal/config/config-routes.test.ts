import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfigAuditResponse,
  CounterConfigResponse,
  CountersConfigResponse,
  HallSettingsResponse,
  KioskConfigResponse,
  KiosksConfigResponse,
  KioskTokenResponse,
  ServiceConfigResponse,
  ServicesConfigResponse,
  configRoutes,
  type ServiceConfigView,
  type UpdateServiceRequest,
} from '../../common/contract/config-api.js';
import { CounterResponse } from '../../common/contract/counter-api.js';
import { PortalErrorCode } from '../../common/contract/errors.js';
import { HallEventKind } from '../../common/contract/hall-events.js';
import { StaffRole } from '../../common/contract/route-spec.js';
import { CSRF_HEADER, SESSION_COOKIE, SessionResponse } from '../../common/contract/staff-api.js';
import { AllocateNumberResponse, PullResponse } from '../../common/contract/sync-api.js';
import { verifyPin } from '../../common/node/technician-pin-hash.js';
import { hashPassword } from '../auth/password-hash.js';
import { addStaffKey, hallEventsAfter, lastEventSeq } from '../counter/counter-test-kit.js';
import { seedDemoHall } from '../seed/demo-hall.js';
import {
  DEMO_HALL_ID,
  KIOSK_ID,
  KIOSK_TOKEN,
  TEST_NOW,
  startPortalHarness,
  ticketIssuedEvent,
  type PortalHarness,
} from '../test-support/portal-harness.js';

/**
 * The manager console's configuration API (issue 10 §1) against a real PostgreSQL: who may call
 * it, optimistic versions, the audit trail, kiosk registration and revocation, the PIN that goes
 * no further than its hash, who may sign in where, and the limits (hours, daily quota) numbering
 * obeys. Hall B is the demo hall again under another id: the same service, counter and kiosk ids.
 */

const MANAGER_KEY = 'config-test-manager-key';
const ADMIN_KEY = 'config-test-admin-key';
const CLERK_KEY = 'config-test-clerk-key';
const CLERK_A_KEY = 'config-test-clerk-a-key';
const CLERK_B_KEY = 'config-test-clerk-b-key';
const HALL_B = 'config-test-hall-b';
const B_MANAGER_KEY = 'config-test-hall-b-manager';
const B_KIOSK_TOKEN = 'config-test-hall-b-kiosk';
const MANAGER_PASSWORD = 'manager-password-1';
/** Twelve digits found nowhere else: the database must not hold them anywhere after a kiosk got them as its PIN. */
const PIN = '739154826301';

let h: PortalHarness;

interface Answer {
  status: number;
  body: unknown;
}

async function call(method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${h.baseUrl}${path}`, { method, headers, ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) });
  const text = await res.text();
  return { status: res.status, body: text.length > 0 ? (JSON.parse(text) as unknown) : undefined };
}

const codeOf = (a: Answer): unknown => (a.body as { code?: unknown } | undefined)?.code;

function ok<T>(answer: Answer, schema: { parse(v: unknown): T }): T {
  if (answer.status !== 200) throw new Error(`expected 200, got ${answer.status} ${JSON.stringify(answer.body)}`);
  return schema.parse(answer.body);
}

async function services(token = MANAGER_KEY): Promise<ServiceConfigView[]> {
  return ok(await call('GET', '/v1/manager/services', { token }), ServicesConfigResponse).services;
}

async function service(id: string, token = MANAGER_KEY): Promise<ServiceConfigView> {
  const found = (await services(token)).find((s) => s.id === id);
  if (!found) throw new Error(`no service ${id}`);
  return found;
}

/** The update a console sends: the service as read, with some fields changed, at the version read. */
function edited(s: ServiceConfigView, changes: Partial<UpdateServiceRequest> = {}): UpdateServiceRequest {
  const { prefix, name, description, enabled, sortOrder, hours, dailyQuota, guide, booking, version } = s;
  return { prefix, name, description, enabled, sortOrder, hours, dailyQuota, guide, booking, version, ...changes };
}

async function putService(id: string, body: UpdateServiceRequest, token = MANAGER_KEY): Promise<Answer> {
  return call('PUT', `/v1/manager/services/${id}`, { token, body });
}

async function allocate(serviceId: string, token = KIOSK_TOKEN, ticketId: string = randomUUID()): Promise<Answer> {
  return call('POST', '/v1/kiosk/numbers', { token, body: { ticketId, serviceId } });
}

async function pull(token: string, cursor?: string): Promise<PullResponse> {
  return ok(await call('GET', `/v1/kiosk/pull${cursor ? `?cursor=${cursor}` : ''}`, { token }), PullResponse);
}

async function auditRows(hallId: string, action: string) {
  const result = await h.db.pool.query<{ actor_id: string; target: string | null; at: Date; detail: { before: unknown; after: unknown; via: string } }>(
    'SELECT actor_id, target, at, detail FROM audit_log WHERE hall_id = $1 AND action = $2 ORDER BY audit_id',
    [hallId, action],
  );
  return result.rows;
}

/** Every row of every table of the portal, as JSON text, that contains `needle`. */
async function rowsContaining(needle: string): Promise<string[]> {
  const tables = await h.db.pool.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const found: string[] = [];
  for (const { table_name: table } of tables.rows) {
    const rows = await h.db.pool.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${table}" t WHERE row_to_json(t)::text LIKE $1`, [
      `%${needle}%`,
    ]);
    found.push(...rows.rows.map((r) => `${table}: ${r.row}`));
  }
  return found;
}

async function staffSession(username: string, password: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${h.baseUrl}/v1/staff/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: h.baseUrl },
    body: JSON.stringify({ hallId: DEMO_HALL_ID, username, password }),
  });
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  const session = SessionResponse.parse(await res.json());
  if (!setCookie) throw new Error('no session cookie');
  return { cookie: setCookie.split(';')[0] ?? '', csrf: session.csrfToken };
}

beforeAll(async () => {
  // Revocation bites within the token cache's lifetime: short here, so the test need not wait 5 s.
  h = await startPortalHarness({ limits: { authCacheTtlMs: 100 } });
  const pool = h.db.pool;
  await addStaffKey(pool, DEMO_HALL_ID, 'config-manager', StaffRole.Manager, MANAGER_KEY);
  await addStaffKey(pool, DEMO_HALL_ID, 'config-admin', StaffRole.Admin, ADMIN_KEY);
  await addStaffKey(pool, DEMO_HALL_ID, 'config-clerk', StaffRole.Clerk, CLERK_KEY);
  await addStaffKey(pool, DEMO_HALL_ID, 'clerk-a', StaffRole.Clerk, CLERK_A_KEY);
  await addStaffKey(pool, DEMO_HALL_ID, 'clerk-b', StaffRole.Clerk, CLERK_B_KEY);
  await pool.query(
    `INSERT INTO staff (hall_id, staff_id, username, display_name, role, password_hash) VALUES ($1, 'boss', 'boss', '主任', 'manager', $2)`,
    [DEMO_HALL_ID, await hashPassword(MANAGER_PASSWORD)],
  );
  await seedDemoHall(pool, { hallId: HALL_B, kioskTokens: [{ kioskId: KIOSK_ID, token: B_KIOSK_TOKEN, kioskDigit: 1 }], staffToken: 'config-test-hall-b-staff' });
  await addStaffKey(pool, HALL_B, 'b-manager', StaffRole.Manager, B_MANAGER_KEY);
});

afterAll(async () => {
  await h?.close();
});

/** A path of the route with made-up parameters, and a body the schema would not even need to accept. */
function probePath(path: string): string {
  return path.replace(/\{[^}]+\}/g, 'x-probe');
}

describe('who may configure', () => {
  it('a clerk is refused (403 forbidden) on every configuration route, by key and by session, and nothing changes', async () => {
    const pool = h.db.pool;
    await pool.query(
      `INSERT INTO staff (hall_id, staff_id, username, display_name, role, password_hash) VALUES ($1, 'desk', 'desk', '前台', 'clerk', $2)`,
      [DEMO_HALL_ID, await hashPassword(MANAGER_PASSWORD)],
    );
    const clerk = await staffSession('desk', MANAGER_PASSWORD);
    const before = await services();
    const routes = Object.entries(configRoutes);
    expect(routes.length).toBeGreaterThanOrEqual(15);
    for (const [name, route] of routes) {
      const body = route.request === null ? undefined : { version: 1 };
      const byKey = await call(route.method.toUpperCase(), probePath(route.path), { token: CLERK_KEY, ...(body ? { body } : {}) });
      expect([name, byKey.status, codeOf(byKey)]).toEqual([name, 403, PortalErrorCode.Forbidden]);
      const bySession = await call(route.method.toUpperCase(), probePath(route.path), {
        headers: { cookie: clerk.cookie, [CSRF_HEADER]: clerk.csrf, origin: h.baseUrl },
        ...(body ? { body } : {}),
      });
      expect([name, bySession.status, codeOf(bySession)]).toEqual([name, 403, PortalErrorCode.Forbidden]);
    }
    expect(await services()).toEqual(before);
  });

  it('a manager signed in with a password writes with the session and its CSRF token, and not without it', async () => {
    const boss = await staffSession('boss', MANAGER_PASSWORD);
    const general = await service('general');
    const body = edited(general, { sortOrder: general.sortOrder + 1 });
    const noCsrf = await call('PUT', '/v1/manager/services/general', { headers: { cookie: boss.cookie, origin: h.baseUrl }, body });
    expect([noCsrf.status, codeOf(noCsrf)]).toEqual([403, PortalErrorCode.Csrf]);
    const written = ok(
      await call('PUT', '/v1/manager/services/general', { headers: { cookie: boss.cookie, [CSRF_HEADER]: boss.csrf, origin: h.baseUrl }, body }),
      ServiceConfigResponse,
    );
    expect(written.service.sortOrder).toBe(general.sortOrder + 1);
    expect((await auditRows(DEMO_HALL_ID, 'config.service.update')).at(-1)).toMatchObject({ actor_id: 'boss', detail: { via: 'session' } });
  });

  it("another hall's manager reads and changes only its own hall: this hall's ids are not found there", async () => {
    // A service, a counter and a kiosk only this hall has.
    const general = await service('general');
    ok(
      await call('POST', '/v1/manager/services', {
        token: MANAGER_KEY,
        body: { ...edited(general, { prefix: 'Q', name: { zh: '本厅专办', en: 'Hall A only' } }), version: undefined, serviceId: 'a-only' },
      }),
      ServiceConfigResponse,
    );
    ok(
      await call('POST', '/v1/manager/counters', {
        token: MANAGER_KEY,
        body: { counterId: 'a-only-window', number: 31, name: { zh: '31 号窗口', en: 'Counter 31' }, enabled: true, services: [], allowedStaffIds: [] },
      }),
      CounterConfigResponse,
    );
    const registered = ok(
      await call('POST', '/v1/manager/kiosks', {
        token: MANAGER_KEY,
        body: { kioskId: 'a-only-kiosk', kioskDigit: 7, name: null, offeredServiceIds: null, idleTimeoutMs: null, elderlyAge: null, technicianPin: null },
      }),
      KioskTokenResponse,
    );
    const auditBefore = (await h.db.pool.query('SELECT count(*)::int AS n FROM audit_log WHERE hall_id = $1', [DEMO_HALL_ID])).rows[0];

    expect((await services(B_MANAGER_KEY)).map((s) => s.id)).not.toContain('a-only');
    const bCounters = ok(await call('GET', '/v1/manager/counters', { token: B_MANAGER_KEY }), CountersConfigResponse);
    expect(bCounters.counters.map((c) => c.counterId)).not.toContain('a-only-window');
    const bKiosks = ok(await call('GET', '/v1/manager/kiosks', { token: B_MANAGER_KEY }), KiosksConfigResponse);
    expect(bKiosks.kiosks.map((k) => k.kioskId)).toEqual([KIOSK_ID]);

    const aOnly = await service('a-only');
    expect((await putService('a-only', edited(aOnly, { enabled: false }), B_MANAGER_KEY)).status).toBe(404);
    const counterPut = await call('PUT', '/v1/manager/counters/a-only-window', {
      token: B_MANAGER_KEY,
      body: { version: 1, number: 1, name: { zh: '乙', en: 'B' }, enabled: false, services: [], allowedStaffIds: [] },
    });
    expect(counterPut.status).toBe(404);
    for (const action of ['revoke', 'token']) {
      const answer = await call('POST', `/v1/manager/kiosks/a-only-kiosk/${action}`, { token: B_MANAGER_KEY, body: { version: registered.kiosk.version } });
      expect([action, answer.status]).toEqual([action, 404]);
    }
    // Hall B renames its own social-insurance: hall A's keeps its name.
    const bSocial = await service('social-insurance', B_MANAGER_KEY);
    ok(await putService('social-insurance', edited(bSocial, { name: { zh: '乙厅社保', en: 'Hall B social' } }), B_MANAGER_KEY), ServiceConfigResponse);
    expect((await service('social-insurance')).name.en).not.toBe('Hall B social');
    expect(ok(await call('GET', '/v1/manager/hall', { token: B_MANAGER_KEY }), HallSettingsResponse).hall.hallId).toBe(HALL_B);

    // The kiosk of hall A still works, and hall A's audit has no line of hall B's manager.
    expect((await pull(registered.token)).kiosk.kioskId).toBe('a-only-kiosk');
    const auditAfter = (await h.db.pool.query('SELECT count(*)::int AS n FROM audit_log WHERE hall_id = $1', [DEMO_HALL_ID])).rows[0];
    expect(auditAfter).toEqual(auditBefore);
  });
});

describe('services', () => {
  it('refuses a stale write (409 stale-version) and keeps the first one, with the audit line of who, when, before and after', async () => {
    const read = await service('social-insurance');
    const eventsBefore = await lastEventSeq(h.db.pool, DEMO_HALL_ID);
    const first = ok(await putService('social-insurance', edited(read, { name: { zh: '社会保障综合', en: 'Social Security' } })), ServiceConfigResponse);
    expect(first.service.version).toBe(read.version + 1);
    expect(first.service.searchKeys[0]).toBe('shehuibaozhangzonghe');

    // A second manager edited the same version meanwhile: refused, nothing of it written.
    const stale = await putService('social-insurance', edited(read, { name: { zh: '旧名', en: 'Stale name' } }));
    expect([stale.status, codeOf(stale)]).toEqual([409, PortalErrorCode.StaleVersion]);
    expect((await service('social-insurance')).name).toEqual({ zh: '社会保障综合', en: 'Social Security' });

    const lines = await auditRows(DEMO_HALL_ID, 'config.service.update');
    const line = lines.at(-1);
    expect(line).toMatchObject({ actor_id: 'config-manager', target: 'service:social-insurance', detail: { via: 'api-key' } });
    expect(line?.detail.before).toMatchObject({ name: { en: 'Social Insurance' }, version: read.version });
    expect(line?.detail.after).toMatchObject({ name: { en: 'Social Security' }, version: read.version + 1 });
    expect(Math.abs((line?.at.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);
    // The console reads the same trail.
    const trail = ok(await call('GET', '/v1/manager/config-audit?target=service:social-insurance', { token: MANAGER_KEY }), ConfigAuditResponse);
    expect(trail.entries[0]).toMatchObject({ staffId: 'config-manager', action: 'config.service.update', after: { name: { en: 'Social Security' } } });

    // The kiosks are told to pull, and the write changing nothing changes no version.
    const events = await hallEventsAfter(h.db.pool, DEMO_HALL_ID, eventsBefore);
    expect(events.map((e) => e.kind)).toEqual([HallEventKind.CatalogChanged]);
    const same = ok(await putService('social-insurance', edited(first.service)), ServiceConfigResponse);
    expect(same.service.version).toBe(first.service.version);
  });

  it('a renamed service reaches a kiosk within one pull', async () => {
    const first = await pull(KIOSK_TOKEN);
    const nothingNew = await pull(KIOSK_TOKEN, first.cursor);
    expect(nothingNew.catalog).toBeNull();
    const tax = await service('tax');
    ok(await putService('tax', edited(tax, { name: { zh: '税务服务', en: 'Tax Services' } })), ServiceConfigResponse);
    const next = await pull(KIOSK_TOKEN, first.cursor);
    expect(next.catalog?.services.find((s) => s.id === 'tax')?.name).toEqual({ zh: '税务服务', en: 'Tax Services' });
  });

  it('validates with the kiosks\' schemas: overlapping hours and a bad booking rule are refused (400), nothing written', async () => {
    const real = await service('real-estate');
    const overlap = await putService('real-estate', edited(real, { hours: { '1': [{ opens: '09:00', closes: '12:00' }, { opens: '11:00', closes: '13:00' }] } }));
    expect([overlap.status, codeOf(overlap)]).toEqual([400, PortalErrorCode.BadRequest]);
    const booking = await putService('real-estate', edited(real, { booking: { slotMinutes: 30, capacity: 2, minDaysAhead: 10, maxDaysAhead: 5 } }));
    expect(booking.status).toBe(400);
    expect(await service('real-estate')).toEqual(real);
  });

  it("the prefix: refused while the service has numbers today (409 prefix-in-use), refused when another service has it, free otherwise", async () => {
    // A ticket of today for social-insurance (kiosk-1's series).
    const pushed = await call('POST', '/v1/kiosk/events', { token: KIOSK_TOKEN, body: { dbEpoch: randomUUID(), events: [ticketIssuedEvent(1)] } });
    expect(pushed.status).toBe(200);
    const social = await service('social-insurance');
    const inUse = await putService('social-insurance', edited(social, { prefix: 'Z' }));
    expect([inUse.status, codeOf(inUse)]).toEqual([409, PortalErrorCode.PrefixInUse]);
    expect((await service('social-insurance')).prefix).toBe('A');

    const exit = await service('exit-entry');
    const taken = await putService('exit-entry', edited(exit, { prefix: 'B' }));
    expect([taken.status, codeOf(taken)]).toEqual([409, PortalErrorCode.PrefixTaken]);
    const moved = ok(await putService('exit-entry', edited(exit, { prefix: 'L' })), ServiceConfigResponse);
    expect(moved.service.prefix).toBe('L');
    expect(ok(await allocate('exit-entry'), AllocateNumberResponse).number).toBe('L001');
  });

  it('the daily quota: the portal hands out that many numbers a day and refuses the next (409 daily-quota); a retried ticket keeps its number', async () => {
    const fund = await service('housing-fund');
    ok(await putService('housing-fund', edited(fund, { dailyQuota: 2 })), ServiceConfigResponse);
    const firstId = randomUUID();
    const first = ok(await allocate('housing-fund', KIOSK_TOKEN, firstId), AllocateNumberResponse);
    ok(await allocate('housing-fund'), AllocateNumberResponse);
    const third = await allocate('housing-fund');
    expect([third.status, codeOf(third)]).toEqual([409, PortalErrorCode.DailyQuota]);
    expect(ok(await allocate('housing-fund', KIOSK_TOKEN, firstId), AllocateNumberResponse).number).toBe(first.number);
    // Its catalog entry tells the kiosks the quota.
    expect((await pull(KIOSK_TOKEN)).catalog?.services.find((s) => s.id === 'housing-fund')?.dailyQuota).toBe(2);
    // Tomorrow the count starts again.
    h.now = new Date(TEST_NOW.getTime() + 86_400_000);
    try {
      ok(await allocate('housing-fund'), AllocateNumberResponse);
    } finally {
      h.now = TEST_NOW;
    }
  });

  it('opening hours: with tickets only in hours, the portal refuses a number outside the new hours (409 service-closed) and gives one inside', async () => {
    const medical = await service('medical-insurance');
    ok(await putService('medical-insurance', edited(medical, { hours: { '1': [{ opens: '14:00', closes: '17:00' }] } })), ServiceConfigResponse);
    // Hours are shown, not enforced, until the hall says so (the halls of before keep working).
    expect((await allocate('medical-insurance')).status).toBe(200);

    const hall = ok(await call('GET', '/v1/manager/hall', { token: MANAGER_KEY }), HallSettingsResponse).hall;
    const { hallId: _id, catalogVersion: _c, ...settings } = hall;
    ok(await call('PUT', '/v1/manager/hall', { token: MANAGER_KEY, body: { ...settings, ticketsOnlyInHours: true } }), HallSettingsResponse);
    try {
      // 10:00 on Monday 2025-03-10.
      const closed = await allocate('medical-insurance');
      expect([closed.status, codeOf(closed)]).toEqual([409, PortalErrorCode.ServiceClosed]);
      expect((closed.body as { message: string }).message).toContain('14:00-17:00');
      h.now = new Date('2025-03-10T06:30:00.000Z'); // 14:30
      expect((await allocate('medical-insurance')).status).toBe(200);
    } finally {
      h.now = TEST_NOW;
      const now = ok(await call('GET', '/v1/manager/hall', { token: MANAGER_KEY }), HallSettingsResponse).hall;
      const { hallId: _i, catalogVersion: _v, ...back } = now;
      ok(await call('PUT', '/v1/manager/hall', { token: MANAGER_KEY, body: { ...back, ticketsOnlyInHours: false } }), HallSettingsResponse);
    }
  });
});

describe('kiosks', () => {
  it('a registered kiosk gets its token once: it works, the portal keeps only its SHA-256 and never shows it again', async () => {
    const answer = ok(
      await call('POST', '/v1/manager/kiosks', {
        token: MANAGER_KEY,
        body: { kioskId: 'kiosk-new', kioskDigit: 5, name: '东门 East door', offeredServiceIds: ['tax', 'general'], idleTimeoutMs: 45_000, elderlyAge: 65, technicianPin: null },
      }),
      KioskTokenResponse,
    );
    expect(answer.kiosk).toMatchObject({ kioskId: 'kiosk-new', kioskDigit: 5, active: true, technicianPinSet: false, version: 1 });
    const first = await pull(answer.token);
    expect(first.kiosk).toEqual({ kioskId: 'kiosk-new', kioskDigit: 5 });
    expect(first.settings).toMatchObject({ offeredServiceIds: ['tax', 'general'], idleTimeoutMs: 45_000, elderlyAge: 65, technicianPinHash: null });

    const stored = await h.db.pool.query<{ token_hash: string }>('SELECT token_hash FROM kiosks WHERE hall_id = $1 AND kiosk_id = $2', [DEMO_HALL_ID, 'kiosk-new']);
    expect(stored.rows[0]?.token_hash).toBe(createHash('sha256').update(answer.token).digest('hex'));
    expect(await rowsContaining(answer.token)).toEqual([]);
    const listed = await call('GET', '/v1/manager/kiosks', { token: MANAGER_KEY });
    expect(JSON.stringify(listed.body)).not.toContain(answer.token);
    expect(JSON.stringify(listed.body)).not.toContain(stored.rows[0]?.token_hash);
    const trail = await call('GET', '/v1/manager/config-audit?target=kiosk:kiosk-new', { token: MANAGER_KEY });
    expect(JSON.stringify(trail.body)).not.toContain(answer.token);

    // The digit is the hall's only once among its active kiosks; an id only once at all.
    const sameDigit = await call('POST', '/v1/manager/kiosks', {
      token: MANAGER_KEY,
      body: { kioskId: 'kiosk-other', kioskDigit: 5, name: null, offeredServiceIds: null, idleTimeoutMs: null, elderlyAge: null, technicianPin: null },
    });
    expect([sameDigit.status, codeOf(sameDigit)]).toEqual([409, PortalErrorCode.DigitTaken]);
    const sameId = await call('POST', '/v1/manager/kiosks', {
      token: MANAGER_KEY,
      body: { kioskId: 'kiosk-new', kioskDigit: 6, name: null, offeredServiceIds: null, idleTimeoutMs: null, elderlyAge: null, technicianPin: null },
    });
    expect([sameId.status, codeOf(sameId)]).toEqual([409, PortalErrorCode.Conflict]);
  });

  it('a revoked kiosk is refused (401) and its digit is free; a new token makes it work again, the old one does not', async () => {
    const registered = ok(
      await call('POST', '/v1/manager/kiosks', {
        token: MANAGER_KEY,
        body: { kioskId: 'kiosk-gone', kioskDigit: 8, name: null, offeredServiceIds: null, idleTimeoutMs: null, elderlyAge: null, technicianPin: null },
      }),
      KioskTokenResponse,
    );
    expect((await pull(registered.token)).kiosk.kioskId).toBe('kiosk-gone');
    const revoked = ok(await call('POST', '/v1/manager/kiosks/kiosk-gone/revoke', { token: MANAGER_KEY, body: { version: 1 } }), KioskConfigResponse);
    expect(revoked.kiosk).toMatchObject({ active: false, version: 2 });
    await new Promise((resolve) => setTimeout(resolve, 250));
    for (const path of ['/v1/kiosk/pull', '/v1/kiosk/catalog']) {
      const refused = await call('GET', path, { token: registered.token });
      expect([path, refused.status, codeOf(refused)]).toEqual([path, 401, PortalErrorCode.Unauthorized]);
    }
    expect((await allocate('general', registered.token)).status).toBe(401);
    expect(await auditRows(DEMO_HALL_ID, 'config.kiosk.revoke')).toHaveLength(1);

    // Its digit can go to another kiosk now.
    ok(
      await call('POST', '/v1/manager/kiosks', {
        token: MANAGER_KEY,
        body: { kioskId: 'kiosk-heir', kioskDigit: 8, name: null, offeredServiceIds: null, idleTimeoutMs: null, elderlyAge: null, technicianPin: null },
      }),
      KioskTokenResponse,
    );
    // Back with a new token: its digit is taken now, so first another one (a revoked kiosk's digit may change).
    const stale = await call('POST', '/v1/manager/kiosks/kiosk-gone/token', { token: MANAGER_KEY, body: { version: 2 } });
    expect([stale.status, codeOf(stale)]).toEqual([409, PortalErrorCode.DigitTaken]);
    const moved = ok(
      await call('PUT', '/v1/manager/kiosks/kiosk-gone', {
        token: MANAGER_KEY,
        body: { version: 2, kioskDigit: 9, name: null, offeredServiceIds: null, idleTimeoutMs: null, elderlyAge: null },
      }),
      KioskConfigResponse,
    );
    const renewed = ok(await call('POST', '/v1/manager/kiosks/kiosk-gone/token', { token: MANAGER_KEY, body: { version: moved.kiosk.version } }), KioskTokenResponse);
    expect(renewed.token).not.toBe(registered.token);
    expect((await pull(renewed.token)).kiosk).toEqual({ kioskId: 'kiosk-gone', kioskDigit: 9 });
    expect((await call('GET', '/v1/kiosk/pull', { token: registered.token })).status).toBe(401);
  });

  it('the digit of a kiosk revoked today stays taken until the next business day, when it printed series numbers with it', async () => {
    const blank = { name: null, offeredServiceIds: null, idleTimeoutMs: null, elderlyAge: null, technicianPin: null };
    const old = ok(await call('POST', '/v1/manager/kiosks', { token: MANAGER_KEY, body: { ...blank, kioskId: 'kiosk-three', kioskDigit: 3 } }), KioskTokenResponse);
    const pushed = await call('POST', '/v1/kiosk/events', {
      token: old.token,
      body: { dbEpoch: randomUUID(), events: [ticketIssuedEvent(1, { number: 'A3-801' })] },
    });
    expect((pushed.body as { rejected: unknown[] }).rejected).toEqual([]);
    ok(await call('POST', '/v1/manager/kiosks/kiosk-three/revoke', { token: MANAGER_KEY, body: { version: old.kiosk.version } }), KioskConfigResponse);
    const today = await call('POST', '/v1/manager/kiosks', { token: MANAGER_KEY, body: { ...blank, kioskId: 'kiosk-three-b', kioskDigit: 3 } });
    expect([today.status, codeOf(today)]).toEqual([409, PortalErrorCode.DigitTaken]);
    h.now = new Date(TEST_NOW.getTime() + 86_400_000);
    try {
      ok(await call('POST', '/v1/manager/kiosks', { token: MANAGER_KEY, body: { ...blank, kioskId: 'kiosk-three-b', kioskDigit: 3 } }), KioskTokenResponse);
    } finally {
      h.now = TEST_NOW;
    }
  });

  it("an active kiosk's digit does not change (409 kiosk-active): it marks numbers the kiosk may hold offline", async () => {
    const kiosks = ok(await call('GET', '/v1/manager/kiosks', { token: MANAGER_KEY }), KiosksConfigResponse).kiosks;
    const one = kiosks.find((k) => k.kioskId === KIOSK_ID);
    if (!one) throw new Error('no kiosk-1');
    const answer = await call('PUT', `/v1/manager/kiosks/${KIOSK_ID}`, {
      token: MANAGER_KEY,
      body: { version: one.version, kioskDigit: 4, name: null, offeredServiceIds: null, idleTimeoutMs: null, elderlyAge: null },
    });
    expect([answer.status, codeOf(answer)]).toEqual([409, PortalErrorCode.KioskActive]);
  });

  it('the technician PIN: the kiosk pulls a scrypt hash of it, the PIN itself is nowhere in the database; a settings change tells kiosks to pull', async () => {
    const kiosks = ok(await call('GET', '/v1/manager/kiosks', { token: MANAGER_KEY }), KiosksConfigResponse).kiosks;
    const one = kiosks.find((k) => k.kioskId === KIOSK_ID);
    if (!one) throw new Error('no kiosk-1');
    const eventsBefore = await lastEventSeq(h.db.pool, DEMO_HALL_ID);
    const changed = ok(
      await call('PUT', `/v1/manager/kiosks/${KIOSK_ID}`, {
        token: MANAGER_KEY,
        body: { version: one.version, kioskDigit: one.kioskDigit, name: '大厅 1 号机', offeredServiceIds: ['social-insurance'], idleTimeoutMs: 30_000, elderlyAge: 70, technicianPin: PIN },
      }),
      KioskConfigResponse,
    );
    expect(changed.kiosk).toMatchObject({ technicianPinSet: true, version: one.version + 1 });
    expect((await hallEventsAfter(h.db.pool, DEMO_HALL_ID, eventsBefore)).map((e) => e.kind)).toEqual([HallEventKind.CatalogChanged]);

    const settings = (await pull(KIOSK_TOKEN)).settings;
    expect(settings).toMatchObject({ version: one.version + 1, offeredServiceIds: ['social-insurance'], idleTimeoutMs: 30_000, elderlyAge: 70 });
    const hash = settings?.technicianPinHash ?? '';
    expect(hash).toMatch(/^scrypt\$/);
    expect(await verifyPin(PIN, hash)).toBe(true);
    expect(await verifyPin('739154826302', hash)).toBe(false);
    expect(await rowsContaining(PIN)).toEqual([]);
    // The audit line says the PIN changed, not what it is, nor its hash.
    const line = (await auditRows(DEMO_HALL_ID, 'config.kiosk.update')).at(-1);
    expect(line?.detail.after).toMatchObject({ technicianPinSet: true, technicianPinChanged: true });
    expect(JSON.stringify(line)).not.toContain(hash.split('$')[5] ?? 'none');

    // Absent keeps the PIN, null removes it.
    const kept = ok(
      await call('PUT', `/v1/manager/kiosks/${KIOSK_ID}`, {
        token: MANAGER_KEY,
        body: { version: changed.kiosk.version, kioskDigit: one.kioskDigit, name: null, offeredServiceIds: null, idleTimeoutMs: null, elderlyAge: null },
      }),
      KioskConfigResponse,
    );
    expect(kept.kiosk.technicianPinSet).toBe(true);
    ok(
      await call('PUT', `/v1/manager/kiosks/${KIOSK_ID}`, {
        token: MANAGER_KEY,
        body: { version: kept.kiosk.version, kioskDigit: one.kioskDigit, name: null, offeredServiceIds: null, idleTimeoutMs: null, elderlyAge: null, technicianPin: null },
      }),
      KioskConfigResponse,
    );
    expect((await pull(KIOSK_TOKEN)).settings?.technicianPinHash).toBeNull();
  });
});

describe('counters', () => {
  it('a clerk not allowed at a counter cannot sign in there (403 counter-not-allowed); an allowed one and a manager can', async () => {
    const counters = ok(await call('GET', '/v1/manager/counters', { token: MANAGER_KEY }), CountersConfigResponse).counters;
    const window3 = counters.find((c) => c.counterId === 'window-3');
    if (!window3) throw new Error('no window-3');
    const { counterId: _id, ...settings } = window3;
    const written = ok(
      await call('PUT', '/v1/manager/counters/window-3', {
        token: MANAGER_KEY,
        body: { ...settings, services: [{ serviceId: 'housing-fund', weight: 3 }, { serviceId: 'real-estate', weight: 1 }], allowedStaffIds: ['clerk-a'] },
      }),
      CounterConfigResponse,
    );
    expect(written.counter).toMatchObject({ allowedStaffIds: ['clerk-a'], version: window3.version + 1, services: [{ serviceId: 'housing-fund', weight: 3 }, { serviceId: 'real-estate', weight: 1 }] });

    const refused = await call('POST', '/v1/counter/counters/window-3/sign-in', { token: CLERK_B_KEY, body: { serviceIds: [] } });
    expect([refused.status, codeOf(refused)]).toEqual([403, PortalErrorCode.CounterNotAllowed]);
    const allowed = ok(await call('POST', '/v1/counter/counters/window-3/sign-in', { token: CLERK_A_KEY, body: { serviceIds: [] } }), CounterResponse);
    expect(allowed.counter.staffId).toBe('clerk-a');
    ok(await call('POST', '/v1/counter/counters/window-3/sign-out', { token: CLERK_A_KEY }), CounterResponse);
    ok(await call('POST', '/v1/counter/counters/window-3/sign-in', { token: ADMIN_KEY, body: { serviceIds: [] } }), CounterResponse);
    ok(await call('POST', '/v1/counter/counters/window-3/sign-out', { token: ADMIN_KEY }), CounterResponse);
    // A counter that lists nobody takes any clerk, as before.
    ok(await call('POST', '/v1/counter/counters/window-6/sign-in', { token: CLERK_B_KEY, body: { serviceIds: [] } }), CounterResponse);

    // Stale, and an unknown member of staff.
    const stale = await call('PUT', '/v1/manager/counters/window-3', { token: MANAGER_KEY, body: { ...settings, allowedStaffIds: [] } });
    expect([stale.status, codeOf(stale)]).toEqual([409, PortalErrorCode.StaleVersion]);
    const unknown = await call('PUT', '/v1/manager/counters/window-3', { token: MANAGER_KEY, body: { ...written.counter, allowedStaffIds: ['nobody-here'] } });
    expect(unknown.status).toBe(404);
    // Disabling a counter someone is signed in at is refused: they would be stuck.
    const window6 = ok(await call('GET', '/v1/manager/counters', { token: MANAGER_KEY }), CountersConfigResponse).counters.find((c) => c.counterId === 'window-6');
    if (!window6) throw new Error('no window-6');
    const busy = await call('PUT', '/v1/manager/counters/window-6', { token: MANAGER_KEY, body: { ...window6, enabled: false } });
    expect([busy.status, codeOf(busy)]).toEqual([409, PortalErrorCode.Conflict]);
  });
});

describe('the hall', () => {
  it('the notice and voice reach the displays; the time zone does not move while the day has numbers (409 day-in-progress)', async () => {
    const hall = ok(await call('GET', '/v1/manager/hall', { token: MANAGER_KEY }), HallSettingsResponse).hall;
    const { hallId: _id, catalogVersion: _c, ...settings } = hall;
    const eventsBefore = await lastEventSeq(h.db.pool, DEMO_HALL_ID);
    const written = ok(
      await call('PUT', '/v1/manager/hall', {
        token: MANAGER_KEY,
        body: { ...settings, displayNotice: { zh: '今日下午 4 点停止取号', en: 'No new tickets after 4 pm today' }, voice: { repeat: 3, english: true }, retention: { personalDataDays: 14, eventPayloadDays: null }, rectificationDays: 7 },
      }),
      HallSettingsResponse,
    );
    expect(written.hall).toMatchObject({ version: hall.version + 1, rectificationDays: 7, retention: { personalDataDays: 14, eventPayloadDays: null } });
    const events = await hallEventsAfter(h.db.pool, DEMO_HALL_ID, eventsBefore);
    expect(events).toEqual([expect.objectContaining({ kind: HallEventKind.DisplaySettings, payload: { notice: { zh: '今日下午 4 点停止取号', en: 'No new tickets after 4 pm today' }, voiceRepeat: 3, voiceEnglish: true } })]);

    const stale = await call('PUT', '/v1/manager/hall', { token: MANAGER_KEY, body: settings });
    expect([stale.status, codeOf(stale)]).toEqual([409, PortalErrorCode.StaleVersion]);
    const { hallId: _i, catalogVersion: _v, ...current } = written.hall;
    const zone = await call('PUT', '/v1/manager/hall', { token: MANAGER_KEY, body: { ...current, timeZone: 'Asia/Urumqi' } });
    expect([zone.status, codeOf(zone)]).toEqual([409, PortalErrorCode.DayInProgress]);
    const unknownZone = await call('PUT', '/v1/manager/hall', { token: MANAGER_KEY, body: { ...current, timeZone: 'Mars/Olympus_Mons' } });
    expect(unknownZone.status).toBe(400);
    expect(ok(await call('GET', '/v1/manager/hall', { token: MANAGER_KEY }), HallSettingsResponse).hall.timeZone).toBe('Asia/Shanghai');
    // The day it changes on is one without numbers: the business day of hall B has none yet.
    const bHall = ok(await call('GET', '/v1/manager/hall', { token: B_MANAGER_KEY }), HallSettingsResponse).hall;
    const { hallId: _b, catalogVersion: _bc, ...bSettings } = bHall;
    expect(ok(await call('PUT', '/v1/manager/hall', { token: B_MANAGER_KEY, body: { ...bSettings, timeZone: 'Asia/Urumqi' } }), HallSettingsResponse).hall.timeZone).toBe('Asia/Urumqi');
  });
});
