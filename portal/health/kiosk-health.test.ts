import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DeviceState } from '../../common/contract/device-status.js';
import { PortalErrorCode } from '../../common/contract/errors.js';
import {
  KIOSK_HEALTH_MAX_BYTES,
  KIOSK_HEALTH_PATH,
  KioskHealthListResponse,
  KioskHealthReason,
  KioskHealthState,
  type KioskHealthReport,
  type KioskHealthView,
} from '../../common/contract/kiosk-health-api.js';
import { PrinterState } from '../../common/contract/kiosk-status.js';
import { StaffRole } from '../../common/contract/route-spec.js';
import { BACKLOG_GROWING_MIN, BACKLOG_GROWING_RED_REPORTS } from '../../common/domain/kiosk-health.js';
import { hashPassword } from '../auth/password-hash.js';
import { addStaffKey } from '../counter/counter-test-kit.js';
import { seedDemoHall } from '../seed/demo-hall.js';
import { sessionHeaders, signInVia } from '../staff/staff-test-kit.js';
import {
  DEMO_HALL_ID,
  KIOSK_ID,
  KIOSK_ID_2,
  KIOSK_TOKEN,
  KIOSK_TOKEN_2,
  STAFF_TOKEN,
  TEST_NOW,
  startPortalHarness,
  type HttpAnswer,
  type PortalHarness,
} from '../test-support/portal-harness.js';

/**
 * Issue 10 §2 at the portal: kiosks report with their sync, the portal keeps the latest report
 * per kiosk stamped with its own clock, and the hall's managers list every kiosk with its colour.
 * A real PostgreSQL, the real app; the portal's clock is the harness's (`h.now`).
 */

const HALL_2 = 'second-city-hall';
const HALL_2_KIOSK_TOKEN = 'hall-two-kiosk-token';
const HALL_2_KIOSK = 'kiosk-9';
const MANAGER_KEY = 'hall-one-manager-key';
const ADMIN_KEY = 'hall-one-admin-key';
const HALL_2_MANAGER_KEY = 'hall-two-manager-key';
const MANAGER_PASSWORD = 'a-manager-password-long-enough';
const PATH = '/v1/manager/kiosks/health';
const INTERVAL = 30_000;

let h: PortalHarness;

function report(overrides: Partial<KioskHealthReport> = {}): KioskHealthReport {
  return {
    kioskId: KIOSK_ID,
    reportedAt: h.now.toISOString(),
    appVersion: '0.1.0',
    pullIntervalMs: INTERVAL,
    printer: { state: PrinterState.Ready, errors: 0 },
    reader: { state: DeviceState.Ready, errors: 0 },
    scanner: { state: DeviceState.NotConfigured, errors: 0 },
    backlog: 0,
    quarantined: 0,
    clockOffsetMs: 0,
    heldClockOffsetMs: null,
    dataFreeBytes: 40 * 1024 ** 3,
    ...overrides,
  };
}

function send(body: unknown, token = KIOSK_TOKEN): Promise<HttpAnswer> {
  return h.request('POST', KIOSK_HEALTH_PATH, { token, body });
}

async function wall(token = MANAGER_KEY): Promise<Map<string, KioskHealthView>> {
  const answer = await h.request('GET', PATH, { token });
  expect(answer.status).toBe(200);
  const list = KioskHealthListResponse.parse(answer.body);
  return new Map(list.kiosks.map((k) => [k.kioskId, k]));
}

async function kiosk(id: string, token = MANAGER_KEY): Promise<KioskHealthView> {
  const view = (await wall(token)).get(id);
  if (!view) throw new Error(`${id} is not on the wall`);
  return view;
}

const reasons = (view: KioskHealthView): string[] => view.findings.map((f) => `${f.severity}:${f.reason}`);
const later = (ms: number): Date => new Date(h.now.getTime() + ms);

/** Every kiosk_health row, as text: what a refused report must leave as it was. */
async function healthRows(): Promise<string[]> {
  const rows = await h.db.pool.query<{ row: string }>('SELECT row_to_json(t)::text AS row FROM kiosk_health t ORDER BY hall_id, kiosk_id');
  return rows.rows.map((r) => r.row);
}

beforeAll(async () => {
  h = await startPortalHarness();
  await addStaffKey(h.db.pool, DEMO_HALL_ID, 'boss', StaffRole.Manager, MANAGER_KEY);
  await addStaffKey(h.db.pool, DEMO_HALL_ID, 'chief', StaffRole.Admin, ADMIN_KEY);
  await seedDemoHall(h.db.pool, {
    hallId: HALL_2,
    kioskTokens: [{ kioskId: HALL_2_KIOSK, token: HALL_2_KIOSK_TOKEN, kioskDigit: 9 }],
    staffToken: 'hall-two-api',
  });
  await addStaffKey(h.db.pool, HALL_2, 'boss', StaffRole.Manager, HALL_2_MANAGER_KEY);
  const hash = await hashPassword(MANAGER_PASSWORD, { cost: { N: 1024, r: 8, p: 1 } });
  await h.db.pool.query(
    `INSERT INTO staff (hall_id, staff_id, username, display_name, role, password_hash, password_changed_at)
     VALUES ($1, 'wall-manager', 'wallmanager', 'Wall manager', 'manager', $2, clock_timestamp())`,
    [DEMO_HALL_ID, hash],
  );
});

afterAll(async () => {
  await h?.close();
});

beforeEach(async () => {
  h.now = TEST_NOW;
  await h.db.pool.query('DELETE FROM kiosk_health');
});

describe('a kiosk reports its health', () => {
  it('an honest report is stored and listed: green, last seen on the portal’s clock, the kiosk clock measured', async () => {
    const before = await wall();
    expect(before.get(KIOSK_ID)).toMatchObject({ state: KioskHealthState.Red, lastSeenAt: null, latest: null, silentAfterMs: null });
    expect(reasons(before.get(KIOSK_ID)!)).toEqual(['red:never-seen']);

    // The kiosk's clock is 7 s behind the portal's; it says so (its accepted offset) and its stamp shows it.
    const answer = await send(report({ reportedAt: later(-7_000).toISOString(), clockOffsetMs: 7_000, backlog: 3, quarantined: 1 }));
    expect(answer).toEqual({ status: 200, body: { serverTime: TEST_NOW.toISOString() } });

    h.now = later(5_000);
    const view = await kiosk(KIOSK_ID);
    expect(view).toMatchObject({
      kioskDigit: 1,
      state: KioskHealthState.Green,
      findings: [],
      lastSeenAt: TEST_NOW.toISOString(),
      silentAfterMs: 2 * INTERVAL,
    });
    expect(view.latest).toMatchObject({
      receivedAt: TEST_NOW.toISOString(),
      reportedAt: new Date(TEST_NOW.getTime() - 7_000).toISOString(),
      observedClockOffsetMs: 7_000,
      clockOffsetMs: 7_000,
      backlog: 3,
      quarantined: 1,
      appVersion: '0.1.0',
      printer: { state: PrinterState.Ready, errors: 0 },
      dataFreeBytes: 40 * 1024 ** 3,
    });
    // The other kiosk of the hall has not reported: still red, never seen.
    expect(reasons(await kiosk(KIOSK_ID_2))).toEqual(['red:never-seen']);
  });

  it('a kiosk with its printer out is red; paper back in, it is green at its next report', async () => {
    await send(report({ printer: { state: PrinterState.PaperOut, errors: 2 } }));
    const out = await kiosk(KIOSK_ID);
    expect(out.state).toBe(KioskHealthState.Red);
    expect(reasons(out)).toEqual(['red:printer-paper-out']);

    await send(report({ printer: { state: PrinterState.PaperNearEnd, errors: 2 } }));
    expect(reasons(await kiosk(KIOSK_ID))).toEqual(['amber:printer-paper-near-end']);
    await send(report({ printer: { state: PrinterState.Ready, errors: 2 } }));
    expect((await kiosk(KIOSK_ID)).state).toBe(KioskHealthState.Green);
  });

  it('a kiosk turns red as silent once two of its own sync intervals pass without a report', async () => {
    await send(report({ pullIntervalMs: 10_000 }));
    h.now = later(20_000);
    expect((await kiosk(KIOSK_ID)).state).toBe(KioskHealthState.Green);
    h.now = later(1);
    const silent = await kiosk(KIOSK_ID);
    expect(silent).toMatchObject({ state: KioskHealthState.Red, lastSeenAt: TEST_NOW.toISOString(), silentAfterMs: 20_000 });
    expect(reasons(silent)).toEqual(['red:silent']);
    // It speaks again: green at once.
    await send(report({ pullIntervalMs: 10_000 }));
    expect((await kiosk(KIOSK_ID)).state).toBe(KioskHealthState.Green);
  });

  it('a backlog that keeps growing report after report turns amber, then red; once it drains the kiosk is green', async () => {
    const backlogs = [0, BACKLOG_GROWING_MIN + 1, BACKLOG_GROWING_MIN + 40, BACKLOG_GROWING_MIN + 90];
    const states: string[] = [];
    for (const backlog of backlogs) {
      await send(report({ backlog }));
      const view = await kiosk(KIOSK_ID);
      states.push(`${view.state}:${view.latest?.backlogGrowthReports ?? -1}`);
    }
    expect(BACKLOG_GROWING_RED_REPORTS).toBe(3);
    expect(states).toEqual(['green:0', 'amber:1', 'amber:2', 'red:3']);
    expect(reasons(await kiosk(KIOSK_ID))).toEqual(['red:backlog-growing']);
    await send(report({ backlog: 12 }));
    expect((await kiosk(KIOSK_ID)).state).toBe(KioskHealthState.Green);
  });

  it('a kiosk clock 10 minutes off is red, whatever offset the kiosk claims', async () => {
    await send(report({ reportedAt: later(-600_000).toISOString(), clockOffsetMs: 0 }));
    const view = await kiosk(KIOSK_ID);
    expect(view.latest?.observedClockOffsetMs).toBe(600_000);
    expect(reasons(view)).toEqual(['red:clock-drift']);
  });
});

describe('a report the portal does not believe', () => {
  it('is refused with a coded 400 (413 when oversized) and changes nothing', async () => {
    await send(report({ backlog: 4 }));
    const before = await healthRows();
    expect(before).toHaveLength(1);

    const refused: [string, unknown][] = [
      ['another hall’s kiosk id', report({ kioskId: HALL_2_KIOSK })],
      ['another kiosk of the same hall', report({ kioskId: KIOSK_ID_2, printer: { state: PrinterState.PaperOut, errors: 0 } })],
      ['a negative backlog', report({ backlog: -1 })],
      ['an absurd backlog', report({ backlog: 1e12 })],
      ['a fractional error count', report({ printer: { state: PrinterState.Ready, errors: 1.5 } })],
      ['an unknown printer state', { ...report(), printer: { state: 'on-fire', errors: 0 } }],
      ['a pull interval of zero', report({ pullIntervalMs: 0 })],
      ['a pull interval of a week', report({ pullIntervalMs: 7 * 86_400_000 })],
      ['an exabyte free', report({ dataFreeBytes: 2 ** 60 })],
      ['a clock offset of a millennium', report({ clockOffsetMs: 1000 * 366 * 86_400_000 })],
      ['a held offset without an accepted one', report({ clockOffsetMs: null, heldClockOffsetMs: 5 })],
      ['a stamp that is not a time', report({ reportedAt: 'yesterday' })],
      ['a stamp of the year 1000', report({ reportedAt: '1000-01-01T00:00:00.000Z' })],
      ['a version with markup', report({ appVersion: '<script>' })],
      ['a missing field', { ...report(), backlog: undefined }],
      ['no object at all', [report()]],
    ];
    for (const [what, body] of refused) {
      const answer = await send(body);
      expect({ what, status: answer.status, body: answer.body }).toMatchObject({
        what,
        status: 400,
        body: { code: PortalErrorCode.BadRequest, message: expect.any(String) },
      });
    }
    const oversized = await send({ ...report(), padding: 'x'.repeat(KIOSK_HEALTH_MAX_BYTES) });
    expect(oversized).toMatchObject({ status: 413, body: { code: PortalErrorCode.BadRequest } });

    expect(await healthRows()).toEqual(before);
    expect(reasons(await kiosk(KIOSK_ID_2))).toEqual(['red:never-seen']);
    expect((await kiosk(HALL_2_KIOSK, HALL_2_MANAGER_KEY)).latest).toBeNull();
  });

  it('needs a kiosk token: no token, a staff key or a revoked kiosk is refused', async () => {
    expect((await send(report(), '')).status).toBe(401);
    expect((await send(report(), MANAGER_KEY)).status).toBe(401);
    await h.db.pool.query(`UPDATE kiosks SET revoked_at = clock_timestamp() WHERE hall_id = $1 AND kiosk_id = $2`, [DEMO_HALL_ID, KIOSK_ID_2]);
    try {
      const revoked = await h.request('POST', KIOSK_HEALTH_PATH, { token: KIOSK_TOKEN_2, body: report({ kioskId: KIOSK_ID_2 }) });
      expect(revoked.status).toBe(401);
      // A revoked kiosk is no longer one of the hall's: not on the wall.
      expect((await wall()).has(KIOSK_ID_2)).toBe(false);
    } finally {
      await h.db.pool.query(`UPDATE kiosks SET revoked_at = NULL WHERE hall_id = $1 AND kiosk_id = $2`, [DEMO_HALL_ID, KIOSK_ID_2]);
    }
    expect(await healthRows()).toEqual([]);
  });
});

describe('the manager’s wall', () => {
  it('is for managers and admins, by API key or signed-in session; clerks and kiosks are refused', async () => {
    await send(report());
    expect((await h.request('GET', PATH, { token: STAFF_TOKEN })).body).toMatchObject({ code: PortalErrorCode.Forbidden });
    expect((await h.request('GET', PATH, { token: KIOSK_TOKEN })).status).toBe(401);
    expect((await h.request('GET', PATH)).status).toBe(401);
    expect((await kiosk(KIOSK_ID, ADMIN_KEY)).state).toBe(KioskHealthState.Green);

    const signIn = await signInVia(h.app, { hallId: DEMO_HALL_ID, username: 'wallmanager', password: MANAGER_PASSWORD });
    expect(signIn.status).toBe(200);
    const bySession = await h.app.inject({ method: 'GET', url: PATH, headers: sessionHeaders(signIn.sessionId ?? '') });
    expect(bySession.statusCode).toBe(200);
    expect(KioskHealthListResponse.parse(bySession.json()).kiosks.map((k) => k.kioskId)).toEqual([KIOSK_ID, KIOSK_ID_2]);
  });

  it('another hall’s manager sees only their own hall: nothing of this hall’s kiosks or reports', async () => {
    await send(report({ printer: { state: PrinterState.PaperOut, errors: 0 } }));
    expect((await send(report({ kioskId: HALL_2_KIOSK }), HALL_2_KIOSK_TOKEN)).status).toBe(200);

    const theirs = await h.request('GET', PATH, { token: HALL_2_MANAGER_KEY });
    const list = KioskHealthListResponse.parse(theirs.body);
    expect(list.kiosks.map((k) => k.kioskId)).toEqual([HALL_2_KIOSK]);
    expect(list.kiosks[0]?.state).toBe(KioskHealthState.Green);
    expect(JSON.stringify(theirs.body)).not.toContain(KIOSK_ID);
    expect(JSON.stringify(theirs.body)).not.toContain(KioskHealthReason.PrinterPaperOut);

    const ours = await wall();
    expect([...ours.keys()]).toEqual([KIOSK_ID, KIOSK_ID_2]);
    expect(ours.get(KIOSK_ID)?.state).toBe(KioskHealthState.Red);
  });
});
