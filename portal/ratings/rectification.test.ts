import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PortalErrorCode } from '../../common/contract/errors.js';
import { AppealStatus, OrderResponse, RatingLevel, RectificationStatus, type RectificationOrder } from '../../common/contract/ratings-api.js';
import { StaffRole } from '../../common/contract/route-spec.js';
import { SyncEventType } from '../../common/contract/sync-api.js';
import { CalendarDayKind } from '../../common/domain/hall-calendar.js';
import { addStaffKey, auditLines } from '../counter/counter-test-kit.js';
import { seedDemoHall } from '../seed/demo-hall.js';
import { DEMO_HALL_ID, TEST_NOW, startPortalHarness, type PortalHarness } from '../test-support/portal-harness.js';
import { KioskPusher, POOR, SATISFIED, ordersAs, ratingPayload, serve, signIn } from './ratings-test-kit.js';

/**
 * Rectification orders (整改工单) on a real portal and PostgreSQL: a poor rating opens one, due in
 * the hall's working days over its calendar, assigned to the least loaded manager; a manager moves
 * it open → contacted → rectified | explained → closed; the rated clerk appeals, another manager
 * decides; overdue is flagged against the hall's today; a clerk sees and touches only the orders
 * about their own tickets; two halls never see each other's.
 */

const CLERK_A = 'rect-clerk-a-key';
const CLERK_B = 'rect-clerk-b-key';
const MANAGER_1 = 'rect-manager-1-key';
const MANAGER_2 = 'rect-manager-2-key';
const HALL_2 = 'rect-hall-two';
const HALL_2_KIOSK = 'rect-hall-two-kiosk';
const HALL_2_STAFF = 'rect-hall-two-staff';
const HALL_2_MANAGER = 'rect-hall-two-manager';

let h: PortalHarness;
let kiosk: KioskPusher;
let number = 300;

/** A ticket served by `clerkKey` at `counterId`, rated poorly at the kiosk: its order. */
async function poorlyRated(clerkKey: string, counterId: string, input = POOR): Promise<RectificationOrder> {
  const ticket = await kiosk.ticket({ number: `A1-${++number}` });
  await serve(h, clerkKey, counterId, ticket.ticketId);
  const rating = ratingPayload(ticket.ticketId, input);
  expect((await kiosk.push([kiosk.event(SyncEventType.RatingSubmitted, rating)])).rejected).toEqual([]);
  const order = (await ordersAs(h, MANAGER_1)).find((o) => o.rating.ratingId === rating.ratingId);
  if (!order) throw new Error('no order opened');
  return order;
}

async function post(token: string, path: string, body: unknown) {
  return h.request('POST', path, { token, body });
}
const advance = (token: string, orderId: string, status: RectificationStatus, note = '已处理') =>
  post(token, `/v1/rectifications/${orderId}/advance`, { status, note });
const appeal = (token: string, orderId: string, reason = '群众误评，已有录像为证') => post(token, `/v1/rectifications/${orderId}/appeal`, { reason });
const decide = (token: string, orderId: string, upheld: boolean, note = '复核完毕') =>
  post(token, `/v1/rectifications/${orderId}/appeal/decide`, { upheld, note });

beforeAll(async () => {
  h = await startPortalHarness();
  await addStaffKey(h.db.pool, DEMO_HALL_ID, 'clerk-a', StaffRole.Clerk, CLERK_A);
  await addStaffKey(h.db.pool, DEMO_HALL_ID, 'clerk-b', StaffRole.Clerk, CLERK_B);
  await addStaffKey(h.db.pool, DEMO_HALL_ID, 'manager-1', StaffRole.Manager, MANAGER_1);
  await addStaffKey(h.db.pool, DEMO_HALL_ID, 'manager-2', StaffRole.Manager, MANAGER_2);
  // Three working days; Tuesday to Thursday of the test week are holidays, Saturday is worked (调休).
  const calendar = [
    { day: '2025-03-11', kind: CalendarDayKind.Holiday },
    { day: '2025-03-12', kind: CalendarDayKind.Holiday },
    { day: '2025-03-13', kind: CalendarDayKind.Holiday },
    { day: '2025-03-15', kind: CalendarDayKind.Workday, asWeekday: 1 },
  ];
  await h.db.pool.query('UPDATE halls SET calendar = $2::jsonb, rectification_days = 3 WHERE hall_id = $1', [DEMO_HALL_ID, JSON.stringify(calendar)]);
  await seedDemoHall(h.db.pool, { hallId: HALL_2, kioskTokens: [{ kioskId: 'kiosk-1', token: HALL_2_KIOSK, kioskDigit: 1 }], staffToken: HALL_2_STAFF });
  await addStaffKey(h.db.pool, HALL_2, 'manager-1', StaffRole.Manager, HALL_2_MANAGER);
  await h.db.pool.query(`UPDATE halls SET calendar = '[]'::jsonb, rectification_days = 5 WHERE hall_id = $1`, [HALL_2]);
  kiosk = new KioskPusher(h);
  await signIn(h, CLERK_A, 'window-1');
  await signIn(h, CLERK_B, 'window-2');
});

afterAll(async () => {
  await h.close();
});

describe('a poor rating', () => {
  it('opens an order due three working days later over the holidays, naming counter, clerk and service', async () => {
    const order = await poorlyRated(CLERK_A, 'window-1');
    // Monday 2025-03-10: Tue–Thu are holidays, then Friday (1), the worked Saturday (2), Monday (3).
    expect(order).toMatchObject({
      status: RectificationStatus.Open,
      dueDay: '2025-03-17',
      overdue: false,
      appeal: AppealStatus.None,
      appealReason: null,
      notes: [],
      rating: { counterId: 'window-1', staffId: 'clerk-a', serviceId: 'social-insurance', overall: RatingLevel.Dissatisfied, comment: POOR.comment },
    });
    const stored = await h.db.pool.query('SELECT counter_id, staff_id, service_id FROM rectification_orders WHERE order_id = $1', [order.orderId]);
    expect(stored.rows[0]).toEqual({ counter_id: 'window-1', staff_id: 'clerk-a', service_id: 'social-insurance' });
    const lines = await auditLines(h.db.pool, DEMO_HALL_ID, order.orderId);
    expect(lines).toEqual([expect.objectContaining({ action: 'rectification.open', actor_id: 'kiosk-1', outcome: 'ok' })]);
  });

  it('goes to the least loaded manager; satisfied and basically satisfied open none', async () => {
    const load = async () => {
      const result = await h.db.pool.query<{ assigned_to: string; n: number }>(
        `SELECT assigned_to, count(*)::int AS n FROM rectification_orders WHERE hall_id = $1 AND status <> 'closed' GROUP BY 1 ORDER BY 1`,
        [DEMO_HALL_ID],
      );
      return Object.fromEntries(result.rows.map((r) => [r.assigned_to, r.n]));
    };
    // The first test's order went to manager-1 (a tie, broken by staff id).
    expect(await load()).toEqual({ 'manager-1': 1 });
    const a = await poorlyRated(CLERK_A, 'window-1', { ...POOR, overall: RatingLevel.VeryDissatisfied });
    expect(a.assignedTo).toBe('manager-2');
    const b = await poorlyRated(CLERK_B, 'window-2');
    expect(b.assignedTo).toBe('manager-1');
    expect(await load()).toEqual({ 'manager-1': 2, 'manager-2': 1 });

    const ordersBefore = (await ordersAs(h, MANAGER_1)).length;
    for (const overall of [RatingLevel.BasicallySatisfied, RatingLevel.VerySatisfied]) {
      const ticket = await kiosk.ticket({ number: `A1-${++number}` });
      await serve(h, CLERK_A, 'window-1', ticket.ticketId);
      // A poor dimension with a fair overall level is a rating, not a complaint: no order.
      const input = { ...SATISFIED, overall, attitude: RatingLevel.VeryDissatisfied };
      expect((await kiosk.push([kiosk.event(SyncEventType.RatingSubmitted, ratingPayload(ticket.ticketId, input))])).rejected).toEqual([]);
    }
    expect(await ordersAs(h, MANAGER_1)).toHaveLength(ordersBefore);
  });
});

describe('the order’s workflow', () => {
  it('moves one step at a time with a note, refusing skips, clerks and going back', async () => {
    const order = await poorlyRated(CLERK_A, 'window-1');
    const skip = await advance(MANAGER_1, order.orderId, RectificationStatus.Rectified);
    expect([skip.status, skip.body]).toEqual([409, expect.objectContaining({ code: PortalErrorCode.InvalidTransition })]);
    const byClerk = await advance(CLERK_A, order.orderId, RectificationStatus.Contacted);
    expect([byClerk.status, byClerk.body]).toEqual([403, expect.objectContaining({ code: PortalErrorCode.Forbidden })]);

    expect((await advance(MANAGER_2, order.orderId, RectificationStatus.Contacted, '已电话联系群众')).status).toBe(200);
    const explained = await advance(MANAGER_1, order.orderId, RectificationStatus.Explained, '已向群众解释办理要求');
    expect(explained.status).toBe(200);
    expect((await advance(MANAGER_1, order.orderId, RectificationStatus.Contacted)).status).toBe(409);
    const closed = OrderResponse.parse((await advance(MANAGER_1, order.orderId, RectificationStatus.Closed, '群众认可，结案')).body).order;
    expect(closed.status).toBe(RectificationStatus.Closed);
    expect(closed.notes.map((n) => [n.staffId, n.status, n.text])).toEqual([
      ['manager-2', RectificationStatus.Contacted, '已电话联系群众'],
      ['manager-1', RectificationStatus.Explained, '已向群众解释办理要求'],
      ['manager-1', RectificationStatus.Closed, '群众认可，结案'],
    ]);
    expect((await advance(MANAGER_1, order.orderId, RectificationStatus.Closed)).body).toMatchObject({ code: PortalErrorCode.InvalidTransition });
    const lines = await auditLines(h.db.pool, DEMO_HALL_ID, order.orderId);
    expect(lines.map((l) => [l.action, l.actor_id, l.outcome])).toEqual([
      ['rectification.open', 'kiosk-1', 'ok'],
      ['rectification.advance', 'manager-1', 'refused'],
      ['rectification.advance', 'manager-2', 'ok'],
      ['rectification.advance', 'manager-1', 'ok'],
      ['rectification.advance', 'manager-1', 'refused'],
      ['rectification.advance', 'manager-1', 'ok'],
      ['rectification.advance', 'manager-1', 'refused'],
    ]);
    // The clerk was turned away by the route's role before the order was touched, and that is audited too.
    expect(await auditLines(h.db.pool, DEMO_HALL_ID, 'advanceOrder')).toEqual([
      expect.objectContaining({ action: 'access.forbidden', actor_id: 'clerk-a', outcome: 'refused' }),
    ]);
  });

  it('is overdue after its due day on the hall’s clock, until rectified', async () => {
    const order = await poorlyRated(CLERK_B, 'window-2');
    expect(order.dueDay).toBe('2025-03-17');
    try {
      // The due day itself is still in time, up to the hall's day start (03:00 in Shanghai on the 18th).
      h.now = new Date('2025-03-17T18:30:00.000Z');
      expect((await ordersAs(h, MANAGER_1)).find((o) => o.orderId === order.orderId)?.overdue).toBe(false);
      // 03:30 on the 18th in Shanghai (still the 17th in UTC): overdue by the hall's day, not the server's.
      h.now = new Date('2025-03-17T19:30:00.000Z');
      const late = await ordersAs(h, MANAGER_1);
      expect(late.find((o) => o.orderId === order.orderId)?.overdue).toBe(true);
      expect((await advance(MANAGER_1, order.orderId, RectificationStatus.Contacted)).status).toBe(200);
      expect(OrderResponse.parse((await advance(MANAGER_1, order.orderId, RectificationStatus.Rectified)).body).order.overdue).toBe(false);
    } finally {
      h.now = TEST_NOW;
    }
  });
});

describe('an appeal (申诉复核)', () => {
  it('is the rated clerk’s, once; a manager other than the appellant decides, and upheld closes the order', async () => {
    const order = await poorlyRated(CLERK_A, 'window-1');
    const byOther = await appeal(CLERK_B, order.orderId);
    expect([byOther.status, byOther.body]).toEqual([403, expect.objectContaining({ code: PortalErrorCode.Forbidden })]);
    const filed = await appeal(CLERK_A, order.orderId);
    expect(filed.status).toBe(200);
    expect(OrderResponse.parse(filed.body).order).toMatchObject({ appeal: AppealStatus.Pending, appealReason: '群众误评，已有录像为证' });
    expect((await appeal(CLERK_A, order.orderId)).body).toMatchObject({ code: PortalErrorCode.InvalidTransition });
    // Not closed while the appeal waits; a clerk does not decide.
    expect((await advance(MANAGER_1, order.orderId, RectificationStatus.Contacted)).status).toBe(200);
    expect((await advance(MANAGER_1, order.orderId, RectificationStatus.Explained)).status).toBe(200);
    expect((await advance(MANAGER_1, order.orderId, RectificationStatus.Closed)).body).toMatchObject({ code: PortalErrorCode.InvalidTransition });
    expect((await decide(CLERK_B, order.orderId, true)).status).toBe(403);

    const decided = OrderResponse.parse((await decide(MANAGER_2, order.orderId, true, '录像显示服务规范，申诉成立')).body).order;
    expect(decided).toMatchObject({ appeal: AppealStatus.Upheld, status: RectificationStatus.Closed });
    expect(decided.notes.map((n) => [n.staffId, n.status, n.text])).toEqual([
      ['clerk-a', RectificationStatus.Open, '群众误评，已有录像为证'],
      ['manager-1', RectificationStatus.Contacted, '已处理'],
      ['manager-1', RectificationStatus.Explained, '已处理'],
      ['manager-2', RectificationStatus.Closed, '录像显示服务规范，申诉成立'],
    ]);
    expect((await decide(MANAGER_2, order.orderId, false)).body).toMatchObject({ code: PortalErrorCode.InvalidTransition });
    const actions = (await auditLines(h.db.pool, DEMO_HALL_ID, order.orderId)).map((l) => `${l.action}:${l.outcome}`);
    expect(actions).toContain('rectification.appeal:ok');
    expect(actions).toContain('rectification.appeal:refused');
    expect(actions).toContain('rectification.decide:ok');
  });

  it('rejected, lets the order go on; a manager never decides an appeal about their own ticket', async () => {
    await signIn(h, MANAGER_2, 'window-8');
    const own = await poorlyRated(MANAGER_2, 'window-8');
    expect((await appeal(MANAGER_2, own.orderId)).status).toBe(200);
    expect((await decide(MANAGER_2, own.orderId, true)).body).toMatchObject({ code: PortalErrorCode.Forbidden });
    const rejected = OrderResponse.parse((await decide(MANAGER_1, own.orderId, false, '申诉不成立')).body).order;
    expect(rejected).toMatchObject({ appeal: AppealStatus.Rejected, status: RectificationStatus.Open });
    expect((await advance(MANAGER_1, own.orderId, RectificationStatus.Contacted)).status).toBe(200);
    // Too late to appeal a closed order.
    const closing = await poorlyRated(CLERK_B, 'window-2');
    for (const status of [RectificationStatus.Contacted, RectificationStatus.Rectified, RectificationStatus.Closed]) {
      expect((await advance(MANAGER_1, closing.orderId, status)).status).toBe(200);
    }
    expect((await appeal(CLERK_B, closing.orderId)).body).toMatchObject({ code: PortalErrorCode.InvalidTransition });
  });
});

describe('who sees which orders', () => {
  it('a clerk lists only the orders about their own tickets; a manager the hall’s, by status too', async () => {
    const mine = await poorlyRated(CLERK_A, 'window-1');
    const theirs = await poorlyRated(CLERK_B, 'window-2');
    const a = await ordersAs(h, CLERK_A);
    expect(a.map((o) => o.orderId)).toContain(mine.orderId);
    expect(a.every((o) => o.rating.staffId === 'clerk-a')).toBe(true);
    const b = await ordersAs(h, CLERK_B);
    expect(b.map((o) => o.orderId)).toContain(theirs.orderId);
    expect(b.map((o) => o.orderId)).not.toContain(mine.orderId);
    const all = await ordersAs(h, MANAGER_2);
    expect(all.map((o) => o.orderId)).toEqual(expect.arrayContaining([mine.orderId, theirs.orderId]));
    const open = await ordersAs(h, MANAGER_2, '?status=open');
    expect(open.length).toBeGreaterThan(0);
    expect(open.every((o) => o.status === RectificationStatus.Open)).toBe(true);
    expect((await ordersAs(h, MANAGER_2, '?status=closed')).every((o) => o.status === RectificationStatus.Closed)).toBe(true);
  });

  it('keeps two halls apart: hall 2 neither lists nor moves hall 1’s orders', async () => {
    const order = await poorlyRated(CLERK_A, 'window-1');
    expect(await ordersAs(h, HALL_2_MANAGER)).toEqual([]);
    const moved = await advance(HALL_2_MANAGER, order.orderId, RectificationStatus.Contacted);
    expect([moved.status, moved.body]).toEqual([404, expect.objectContaining({ code: PortalErrorCode.NotFound })]);
    expect((await decide(HALL_2_MANAGER, order.orderId, true)).status).toBe(404);
    expect((await appeal(HALL_2_STAFF, order.orderId)).status).toBe(404);
    // Hall 2's own poor rating opens an order there, assigned to its own manager.
    const hall2 = new KioskPusher(h, HALL_2_KIOSK);
    const ticket = await hall2.ticket({ number: 'A1-777' });
    await signIn(h, HALL_2_STAFF, 'window-1');
    await serve(h, HALL_2_STAFF, 'window-1', ticket.ticketId);
    expect((await hall2.push([hall2.event(SyncEventType.RatingSubmitted, ratingPayload(ticket.ticketId, POOR))])).rejected).toEqual([]);
    const theirs = await ordersAs(h, HALL_2_MANAGER);
    // Hall 2 keeps the default five working days and no calendar: Monday + 5 = the next Monday.
    expect(theirs.map((o) => [o.assignedTo, o.dueDay, o.rating.staffId])).toEqual([['manager-1', '2025-03-17', 'demo-staff']]);
    expect((await ordersAs(h, MANAGER_1)).map((o) => o.orderId)).not.toContain(theirs[0]?.orderId);
    expect((await h.db.pool.query('SELECT 1 FROM rectification_orders WHERE hall_id = $1 AND order_id = $2', [DEMO_HALL_ID, theirs[0]?.orderId])).rows).toEqual([]);
  });
});
