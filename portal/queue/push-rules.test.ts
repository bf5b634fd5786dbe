/**
 * Issue 7 §1 "Must show": a forged push of each kind is refused with its code, on a real
 * PostgreSQL, by the set-based batch (POST /v1/kiosk/events) and by the one-event-at-a-time
 * fallback alike; and, on random mixes of honest and forged events, the two paths agree on every
 * outcome (fast-check).
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AllocateNumberResponse,
  AppointmentStatus,
  LeaseBandResponse,
  PushResponse,
  SyncRejectCode,
  type TicketIssuedPayload,
} from '../../common/contract/sync-api.js';
import { Priority } from '../../common/domain/priority.js';
import { NumberSource } from '../../common/domain/ticket-number.js';
import type { KioskPrincipal } from '../auth/principals.js';
import {
  ID_NUMBER_2,
  KIOSK_TOKEN,
  KIOSK_TOKEN_2,
  TEST_DAY,
  TEST_NOW,
  bookAppointment,
  startPortalHarness,
  ticketIssuedEvent,
  ticketPayload,
  type PortalHarness,
} from '../test-support/portal-harness.js';
import { applyOneByOne, applySetBased } from './apply-ticket-batch.js';
import { loadHall, pushWindowOf } from './hall-day.js';
import type { EventRejection, PushContext, TicketEvent } from './ticket-rules.js';

const KIOSK_1: KioskPrincipal = { hallId: 'demo-city-hall', kioskId: 'kiosk-1', kioskDigit: 1 };
const YESTERDAY = '2025-03-09';
const TOMORROW = '2025-03-11';

let h: PortalHarness;
/** The ticket the portal allocated A001 to (kiosk-1, social-insurance, TEST_DAY). */
const allocatedTicket = randomUUID();
/** HMAC of a citizen with a booked social-insurance appointment on TEST_DAY. */
let bookedCitizen = '';
/** HMAC of a citizen whose housing-fund appointment on TEST_DAY was cancelled. */
let cancelledCitizen = '';

beforeAll(async () => {
  h = await startPortalHarness();
  const lease = async (token: string, serviceId: string): Promise<void> => {
    const answer = await h.request('POST', '/v1/kiosk/bands', {
      token,
      body: { leaseId: randomUUID(), serviceId, businessDay: TEST_DAY, size: 50 },
    });
    LeaseBandResponse.parse(answer.body);
  };
  await lease(KIOSK_TOKEN, 'social-insurance'); // A8001-A8050 for kiosk-1
  await lease(KIOSK_TOKEN_2, 'social-insurance'); // A8051-A8100 for kiosk-2
  const allocated = await h.request('POST', '/v1/kiosk/numbers', {
    token: KIOSK_TOKEN,
    body: { ticketId: allocatedTicket, serviceId: 'social-insurance' },
  });
  expect(AllocateNumberResponse.parse(allocated.body).number).toBe('A001');
  bookedCitizen = (await bookAppointment(h)).citizenHmac;
  const cancelled = await bookAppointment(h, { serviceId: 'housing-fund', idNumber: ID_NUMBER_2 });
  cancelledCitizen = cancelled.citizenHmac;
  await h.db.pool.query("UPDATE appointments SET status = $2 WHERE appointment_id = $1", [cancelled.appointmentId, AppointmentStatus.Cancelled]);
});

afterAll(async () => {
  await h.close();
});

interface Case {
  what: string;
  payload: Partial<TicketIssuedPayload>;
  /** null: accepted. */
  code: SyncRejectCode | null;
}

const band = NumberSource.Band;
const portal = NumberSource.Portal;
const series = NumberSource.KioskSeries;

/** One forged push of each kind, and the honest pushes beside them (kiosk-1, digit 1). */
function cases(): Case[] {
  return [
    { what: 'a prefix that is not the service’s', payload: { number: 'B1-001' }, code: SyncRejectCode.WrongPrefix },
    { what: 'another kiosk’s series', payload: { number: 'A2-001' }, code: SyncRejectCode.ForeignSeries },
    { what: 'a band number nobody leased', payload: { number: 'A8101', numberSource: band }, code: SyncRejectCode.NumberNotLeased },
    { what: 'another kiosk’s band number', payload: { number: 'A8051', numberSource: band }, code: SyncRejectCode.NumberNotLeased },
    { what: 'A999 claimed as a band number', payload: { number: 'A999', numberSource: band }, code: SyncRejectCode.NumberNotLeased },
    { what: 'its band number on another day', payload: { number: 'A8003', numberSource: band, businessDay: YESTERDAY }, code: SyncRejectCode.NumberNotLeased },
    { what: 'a band number claimed as the portal’s', payload: { number: 'A8002', numberSource: portal }, code: SyncRejectCode.NumberNotLeased },
    { what: 'a band number claimed as the series', payload: { number: 'A8004' }, code: SyncRejectCode.NumberNotLeased },
    { what: 'a portal number allocated to another ticket', payload: { number: 'A001', numberSource: portal }, code: SyncRejectCode.NumberNotAllocated },
    { what: 'a portal number never allocated', payload: { number: 'A002', numberSource: portal }, code: SyncRejectCode.NumberNotAllocated },
    { what: 'an online number claimed as the series', payload: { number: 'A003', numberSource: series }, code: SyncRejectCode.NumberNotAllocated },
    { what: 'a day long past', payload: { number: 'A1-101', businessDay: '2025-03-01' }, code: SyncRejectCode.WrongBusinessDay },
    { what: 'tomorrow, hours before the day starts', payload: { number: 'A1-102', businessDay: TOMORROW }, code: SyncRejectCode.WrongBusinessDay },
    { what: 'next year', payload: { number: 'A1-103', businessDay: '2026-03-10' }, code: SyncRejectCode.WrongBusinessDay },
    { what: 'an appointment nobody booked', payload: { number: 'A1-201', priority: Priority.Appointment, citizenHmac: 'ab'.repeat(32) }, code: SyncRejectCode.PriorityUnproven },
    { what: 'an appointment without a citizen', payload: { number: 'A1-202', priority: Priority.Appointment }, code: SyncRejectCode.PriorityUnproven },
    {
      what: 'an appointment booked for another service',
      payload: { number: 'B1-203', serviceId: 'medical-insurance', priority: Priority.Appointment, citizenHmac: bookedCitizen },
      code: SyncRejectCode.PriorityUnproven,
    },
    {
      what: 'a cancelled appointment',
      payload: { number: 'C1-204', serviceId: 'housing-fund', priority: Priority.Appointment, citizenHmac: cancelledCitizen },
      code: SyncRejectCode.PriorityUnproven,
    },
    { what: 'green channel from a kiosk', payload: { number: 'A1-205', priority: Priority.GreenChannel, citizenHmac: 'cd'.repeat(32) }, code: SyncRejectCode.PriorityUnproven },
    { what: 'elderly without a citizen', payload: { number: 'A1-206', priority: Priority.Elderly }, code: SyncRejectCode.PriorityUnproven },
    // Honest pushes go in beside them.
    { what: 'its own series', payload: { number: 'A1-001' }, code: null },
    { what: 'its own band', payload: { number: 'A8001', numberSource: band }, code: null },
    { what: 'the portal number allocated to it', payload: { ticketId: allocatedTicket, number: 'A001', numberSource: portal }, code: null },
    { what: 'yesterday', payload: { number: 'A1-002', businessDay: YESTERDAY }, code: null },
    { what: 'a booked appointment', payload: { number: 'A1-003', priority: Priority.Appointment, citizenHmac: bookedCitizen }, code: null },
    { what: 'elderly with a citizen', payload: { number: 'A1-004', priority: Priority.Elderly, citizenHmac: 'ef'.repeat(32) }, code: null },
  ];
}

async function contextAt(client: pg.PoolClient, now: Date, latestAccepted: string | null = null): Promise<PushContext> {
  const hall = await loadHall(client, KIOSK_1.hallId);
  return { kioskId: KIOSK_1.kioskId, kioskDigit: KIOSK_1.kioskDigit, ...pushWindowOf(hall, now), latestAccepted };
}

/** Runs `fn` in a transaction that is always rolled back: each path starts from the same database. */
async function rolledBack<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await h.db.pool.connect();
  try {
    await client.query('BEGIN');
    return await fn(client);
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
}

const codesOf = (events: readonly TicketEvent[], rejections: Map<string, EventRejection>) =>
  events.map((e) => rejections.get(e.eventId)?.code ?? null);

describe('forged pushes', () => {
  it('are refused with their codes by the one-event-at-a-time fallback', async () => {
    const all = cases();
    const events: TicketEvent[] = all.map((c) => ({ eventId: randomUUID(), payload: ticketPayload(c.payload) }));
    const { rejections, inserted } = await rolledBack(async (client) => {
      const result = await applyOneByOne(client, KIOSK_1, events, await contextAt(client, TEST_NOW));
      const rows = await client.query<{ ticket_id: string }>('SELECT ticket_id FROM tickets WHERE ticket_id = ANY($1::uuid[])', [
        events.map((e) => e.payload.ticketId),
      ]);
      return { rejections: result.rejections, inserted: rows.rows.length };
    });
    expect(Object.fromEntries(all.map((c, i) => [c.what, codesOf(events, rejections)[i]]))).toEqual(
      Object.fromEntries(all.map((c) => [c.what, c.code])),
    );
    expect(inserted).toBe(all.filter((c) => c.code === null).length);
  });

  it('are refused with their codes by the set-based push, recorded, and answered again on a retry', async () => {
    const all = cases();
    const events = all.map((c, i) => ticketIssuedEvent(i + 1, c.payload));
    const dbEpoch = randomUUID();
    const answer = await h.request('POST', '/v1/kiosk/events', { token: KIOSK_TOKEN, body: { dbEpoch, events } });
    const pushed = PushResponse.parse(answer.body);
    expect(pushed.lastSeq).toBe(all.length);
    const bySeq = new Map(pushed.rejected.map((r) => [r.seq, r.code]));
    expect(Object.fromEntries(all.map((c, i) => [c.what, bySeq.get(i + 1) ?? null]))).toEqual(
      Object.fromEntries(all.map((c) => [c.what, c.code])),
    );
    for (const r of pushed.rejected) expect(r.reason.length).toBeGreaterThan(10);

    const stored = await h.db.pool.query<{ seq: string; rejected_code: string | null }>(
      'SELECT seq, rejected_code FROM sync_events WHERE db_epoch = $1 ORDER BY seq',
      [dbEpoch],
    );
    expect(stored.rows.map((r) => r.rejected_code)).toEqual(all.map((c) => c.code));
    const inQueue = await h.db.pool.query<{ number: string }>('SELECT number FROM tickets WHERE ticket_id = ANY($1::uuid[]) ORDER BY number', [
      events.map((e) => e.payload.ticketId),
    ]);
    expect(inQueue.rows.map((r) => r.number)).toEqual(['A001', 'A1-001', 'A1-002', 'A1-003', 'A1-004', 'A8001']);

    // The answer was lost: the retry re-answers every rejection so the kiosk still quarantines them.
    const retry = PushResponse.parse((await h.request('POST', '/v1/kiosk/events', { token: KIOSK_TOKEN, body: { dbEpoch, events } })).body);
    expect(retry.rejected.map((r) => [r.seq, r.code])).toEqual(pushed.rejected.map((r) => [r.seq, r.code]));
  });

  it("takes tomorrow's tickets within the hour before the day boundary only", async () => {
    const before = h.now;
    try {
      // 01:30 in Shanghai on the 11th: the demo hall's day starts at 03:00, so still the 10th.
      h.now = new Date('2025-03-10T17:30:00.000Z');
      const early = ticketIssuedEvent(1, { number: 'A1-301', businessDay: TOMORROW });
      const refused = PushResponse.parse((await h.request('POST', '/v1/kiosk/events', { token: KIOSK_TOKEN, body: { dbEpoch: randomUUID(), events: [early] } })).body);
      expect(refused.rejected.map((r) => r.code)).toEqual([SyncRejectCode.WrongBusinessDay]);
      expect(refused.rejected[0]?.reason).toContain('kiosk clock');
      // 02:30: within the hour before the boundary (a kiosk clock a little fast).
      h.now = new Date('2025-03-10T18:30:00.000Z');
      const near = ticketIssuedEvent(1, { number: 'A1-302', businessDay: TOMORROW });
      const accepted = PushResponse.parse((await h.request('POST', '/v1/kiosk/events', { token: KIOSK_TOKEN, body: { dbEpoch: randomUUID(), events: [near] } })).body);
      expect(accepted.rejected).toEqual([]);
    } finally {
      h.now = before;
    }
  });

  it('takes the backlog of a kiosk back after days offline, but not old days from a new kiosk database', async () => {
    const before = h.now;
    const dbEpoch = randomUUID();
    try {
      const pushAt = async (epoch: string, events: ReturnType<typeof ticketIssuedEvent>[]) =>
        PushResponse.parse((await h.request('POST', '/v1/kiosk/events', { token: KIOSK_TOKEN, body: { dbEpoch: epoch, events } })).body);
      // Online on the 10th: the kiosk delivers a ticket of the day.
      expect((await pushAt(dbEpoch, [ticketIssuedEvent(1, { number: 'G1-001', serviceId: 'tax' })])).rejected).toEqual([]);
      // Offline until the 14th: its tickets of the 10th to the 13th arrive then, in seq order.
      h.now = new Date('2025-03-14T02:00:00.000Z');
      const backlog = ['2025-03-10', '2025-03-11', '2025-03-12', '2025-03-13'].map((businessDay, i) =>
        ticketIssuedEvent(i + 2, { number: 'G1-002', serviceId: 'tax', businessDay }),
      );
      expect(await pushAt(dbEpoch, backlog.slice(0, 2))).toMatchObject({ lastSeq: 3, rejected: [] });
      expect(await pushAt(dbEpoch, backlog.slice(2))).toMatchObject({ lastSeq: 5, rejected: [] });
      const cursor = await h.db.pool.query('SELECT latest_business_day::text AS day FROM kiosk_cursors WHERE db_epoch = $1', [dbEpoch]);
      expect(cursor.rows).toEqual([{ day: '2025-03-13' }]);
      // A database that never delivered anything has no such history: the 11th is too old on the 14th.
      const fresh = await pushAt(randomUUID(), [ticketIssuedEvent(1, { number: 'G1-003', serviceId: 'tax', businessDay: '2025-03-11' })]);
      expect(fresh.rejected.map((r) => r.code)).toEqual([SyncRejectCode.WrongBusinessDay]);
    } finally {
      h.now = before;
    }
  });
});

describe('the set-based batch and the one-by-one fallback', () => {
  /** G (tax) on TEST_DAY: kiosk-1 holds G8001-G8050 (and tomorrow's), kiosk-2 G8051-G8100; G001-G003 allocated. */
  const allocatedTax: string[] = [];
  let taxCitizen = '';

  beforeAll(async () => {
    const lease = async (token: string, businessDay: string): Promise<void> => {
      const answer = await h.request('POST', '/v1/kiosk/bands', { token, body: { leaseId: randomUUID(), serviceId: 'tax', businessDay, size: 50 } });
      LeaseBandResponse.parse(answer.body);
    };
    await lease(KIOSK_TOKEN, TEST_DAY);
    await lease(KIOSK_TOKEN, TOMORROW);
    await lease(KIOSK_TOKEN_2, TEST_DAY);
    for (let i = 0; i < 3; i++) {
      const ticketId = randomUUID();
      const answer = await h.request('POST', '/v1/kiosk/numbers', { token: KIOSK_TOKEN, body: { ticketId, serviceId: 'tax' } });
      expect(AllocateNumberResponse.parse(answer.body).number).toBe(`G00${i + 1}`);
      allocatedTax.push(ticketId);
    }
    taxCitizen = (await bookAppointment(h, { serviceId: 'tax' })).citizenHmac;
  });

  /** Mostly honest tickets with few distinct numbers (so they clash), and every kind of forgery. */
  const eventArb = fc.record({
    ticket: fc.constantFrom('fresh', 'fresh', 'fresh', 'fresh', 'shared-1', 'shared-2'),
    serviceId: fc.constantFrom('tax', 'tax', 'tax', 'tax', 'tax', 'tax', 'tax', 'tax', 'traffic', 'no-such-service'),
    wrongLetter: fc.constantFrom(false, false, false, false, false, false, false, false, false, true),
    shape: fc.constantFrom(
      'series-mine', 'series-mine', 'series-mine', 'band-mine', 'band-mine', 'band-mine', 'portal-allocated', 'portal-allocated',
      'series-theirs', 'band-theirs', 'band-none', 'online-as-band', 'band-as-portal', 'online-as-series', 'portal-other-ticket',
    ),
    sequence: fc.integer({ min: 1, max: 2 }),
    businessDay: fc.constantFrom(TEST_DAY, TEST_DAY, TEST_DAY, TEST_DAY, TEST_DAY, TEST_DAY, TEST_DAY, YESTERDAY, TOMORROW, '2025-03-01', '2025-04-10'),
    priority: fc.constantFrom(
      Priority.Normal, Priority.Normal, Priority.Normal, Priority.Normal, Priority.Normal, Priority.Normal,
      Priority.Elderly, Priority.Elderly, Priority.Appointment, Priority.Appointment, Priority.GreenChannel,
    ),
    citizen: fc.constantFrom('booked', 'booked', 'other', 'none'),
  });
  type Drawn = typeof eventArb extends fc.Arbitrary<infer T> ? T : never;

  function toEvent(d: Drawn, shared: Record<'shared-1' | 'shared-2', string>): TicketEvent {
    const letter = (d.serviceId === 'traffic' ? 'J' : 'G') === 'G' ? (d.wrongLetter ? 'J' : 'G') : d.wrongLetter ? 'G' : 'J';
    const [number, numberSource] = {
      'series-mine': [`${letter}1-00${d.sequence}`, series],
      'series-theirs': [`${letter}2-00${d.sequence}`, series],
      'band-mine': [`${letter}800${d.sequence}`, band],
      'band-theirs': [`${letter}805${d.sequence}`, band],
      'band-none': [`${letter}810${d.sequence}`, band],
      'online-as-band': [`${letter}00${d.sequence}`, band],
      'band-as-portal': [`${letter}800${d.sequence}`, portal],
      'online-as-series': [`${letter}00${d.sequence}`, series],
      'portal-allocated': [`${letter}00${d.sequence}`, portal],
      'portal-other-ticket': [`${letter}00${d.sequence}`, portal],
    }[d.shape] as [string, NumberSource];
    const ticketId =
      d.shape === 'portal-allocated' ? (allocatedTax[d.sequence - 1] ?? randomUUID()) : d.ticket === 'fresh' ? randomUUID() : shared[d.ticket];
    const citizenHmac = { booked: taxCitizen, other: '12'.repeat(32), none: null }[d.citizen];
    return {
      eventId: randomUUID(),
      payload: ticketPayload({ ticketId, serviceId: d.serviceId, number, numberSource, businessDay: d.businessDay, priority: d.priority, citizenHmac }),
    };
  }

  interface Outcome {
    codes: (string | null)[];
    queue: string[];
    latestAccepted: string | null;
  }

  async function outcome(
    events: TicketEvent[],
    apply: (client: pg.PoolClient, context: PushContext) => Promise<{ rejections: Map<string, EventRejection>; latestAccepted: string | null }>,
  ): Promise<Outcome> {
    return rolledBack(async (client) => {
      const result = await apply(client, await contextAt(client, TEST_NOW));
      const rows = await client.query<{ row: string }>(
        `SELECT ticket_id || ' ' || business_day || ' ' || number || ' ' || number_source || ' ' || priority AS row FROM tickets
         WHERE ticket_id = ANY($1::uuid[]) ORDER BY receive_seq`,
        [events.map((e) => e.payload.ticketId)],
      );
      return { codes: codesOf(events, result.rejections), queue: rows.rows.map((r) => r.row), latestAccepted: result.latestAccepted };
    });
  }

  it('agree on every outcome for random mixes of honest and forged events', async () => {
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.array(eventArb, { minLength: 1, maxLength: 40 }), async (drawn) => {
        const shared = { 'shared-1': randomUUID(), 'shared-2': randomUUID() };
        const events = drawn.map((d) => toEvent(d, shared));
        const setBased = await outcome(events, (client, context) => applySetBased(client, KIOSK_1, events, context));
        const oneByOne = await outcome(events, (client, context) => applyOneByOne(client, KIOSK_1, events, context));
        expect(oneByOne).toEqual(setBased);
        for (const code of setBased.codes) seen.set(code ?? 'accepted', (seen.get(code ?? 'accepted') ?? 0) + 1);
      }),
      { numRuns: 150, seed: 7_2025 },
    );
    // The mixes did exercise every outcome, clashes within a batch included.
    // Every code a ticket can earn (the rating codes are portal/ratings/'s).
    const ticketCodes = Object.values(SyncRejectCode).filter(
      (c) => c !== SyncRejectCode.InvalidEvent && c !== SyncRejectCode.NotRateable && c !== SyncRejectCode.AlreadyRated,
    );
    expect([...seen.keys()].sort()).toEqual(['accepted', ...ticketCodes].sort());
    expect(seen.get(SyncRejectCode.DuplicateNumber)).toBeGreaterThan(10);
  });
});
