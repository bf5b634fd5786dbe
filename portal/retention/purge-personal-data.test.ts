/**
 * The portal purge (issue 7 §6, "Must show"), on a real PostgreSQL seeded with the demo hall and
 * a second hall eight time zones west. The test's clock runs 40 days: tickets, appointments and
 * events are pushed and booked "then" through the real code paths, with the database's receive
 * stamps set to the same instants.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaffRole } from '../../common/contract/route-spec.js';
import { type OutboxEvent, type PushResponse } from '../../common/contract/sync-api.js';
import { addDays } from '../../common/domain/business-day.js';
import type { KioskPrincipal } from '../auth/principals.js';
import { createAppointment } from '../queue/appointments.js';
import { pushEvents } from '../queue/push-events.js';
import { DEMO_HALL_ID, seedDemoHall } from '../seed/demo-hall.js';
import { ID_NUMBER, ID_NUMBER_2, ticketIssuedEvent } from '../test-support/portal-harness.js';
import { startTestPostgres, type TestPostgres } from '../test-support/test-postgres.js';
import { purgePersonalData } from './purge-personal-data.js';
import { startRetentionSchedule } from './retention-schedule.js';

const DAY_MS = 86_400_000;
/** 10:00 in Shanghai on 2025-03-10 (the demo hall's day starts at 03:00). */
const T0 = new Date('2025-03-10T02:00:00.000Z');
const at = (days: number): Date => new Date(T0.getTime() + days * DAY_MS);
const dayOf = (days: number): string => addDays('2025-03-10', days);
/** 40 days on: Shanghai's business day is 2025-04-19, Los Angeles' still 2025-04-18. */
const PURGE_AT = at(40);
const POLICY = { personalDataDays: 30, eventPayloadDays: 30, batchSize: 2 };
const HMAC = 'ab'.repeat(32);
const WEST_HALL = 'west-hall';

const EAST: KioskPrincipal = { hallId: DEMO_HALL_ID, kioskId: 'kiosk-1', kioskDigit: 1 };
const WEST: KioskPrincipal = { hallId: WEST_HALL, kioskId: 'kiosk-w', kioskDigit: 1 };

let db: TestPostgres;
let pool: pg.Pool;
const epoch = randomUUID();
/** Pushed 40 days before the purge: 5 tickets with a citizen, then one the portal refuses. */
const oldBatch: OutboxEvent[] = [
  ...[1, 2, 3, 4, 5].map((seq) => ticketIssuedEvent(seq, { number: `A1-00${seq}`, businessDay: dayOf(0), issuedAt: at(0).toISOString(), citizenHmac: HMAC })),
  ticketIssuedEvent(6, { serviceId: 'no-such-service', number: 'A1-006', businessDay: dayOf(0), issuedAt: at(0).toISOString() }),
];
/** Business day 2025-03-19 in both halls: over 30 days in Shanghai's calendar on PURGE_AT, not yet in Los Angeles'. */
const boundaryEast = ticketIssuedEvent(7, { number: 'A1-007', businessDay: dayOf(9), issuedAt: at(9).toISOString(), citizenHmac: HMAC });
const boundaryWest = ticketIssuedEvent(1, { number: 'A1-001', businessDay: dayOf(9), issuedAt: at(9.5).toISOString(), citizenHmac: HMAC });
/** Pushed the day before the purge. */
const recent = ticketIssuedEvent(8, { number: 'A1-008', businessDay: dayOf(39), issuedAt: at(39).toISOString(), citizenHmac: HMAC });
let oldAppointment = '';
let recentAppointment = '';

/** Pushes as the kiosk would at `now`, then stamps the events as received then. */
async function pushAt(kiosk: KioskPrincipal, dbEpoch: string, events: OutboxEvent[], now: Date): Promise<PushResponse> {
  for (const e of events) e.occurredAt = now.toISOString();
  const answer = await pushEvents(pool, kiosk, { dbEpoch, events }, now);
  await pool.query('UPDATE sync_events SET received_at = $3 WHERE hall_id = $1 AND event_id = ANY($2::uuid[])', [kiosk.hallId, events.map((e) => e.eventId), now]);
  return answer;
}

async function ticket(hallId: string, ticketId: string): Promise<{ citizen_hmac: string | null } | undefined> {
  return (await pool.query<{ citizen_hmac: string | null }>('SELECT citizen_hmac FROM tickets WHERE hall_id = $1 AND ticket_id = $2', [hallId, ticketId])).rows[0];
}

async function event(hallId: string, eventId: string): Promise<{ payload: unknown; seq: string; rejected_code: string | null } | undefined> {
  return (await pool.query('SELECT payload, seq, rejected_code FROM sync_events WHERE hall_id = $1 AND event_id = $2', [hallId, eventId])).rows[0];
}

async function appointment(id: string): Promise<{ citizen_hmac: string | null; change_seq: string }> {
  return (await pool.query('SELECT citizen_hmac, change_seq FROM appointments WHERE hall_id = $1 AND appointment_id = $2', [DEMO_HALL_ID, id])).rows[0];
}

async function count(sql: string): Promise<number> {
  return Number((await pool.query<{ n: string }>(sql)).rows[0]?.n);
}

beforeAll(async () => {
  db = await startTestPostgres();
  pool = db.pool;
  await seedDemoHall(pool, { kioskTokens: [{ kioskId: EAST.kioskId, token: 'retention-east-token', kioskDigit: 1 }], staffToken: 'retention-east-staff' });
  await seedDemoHall(pool, { hallId: WEST_HALL, kioskTokens: [{ kioskId: WEST.kioskId, token: 'retention-west-token', kioskDigit: 1 }], staffToken: 'retention-west-staff' });
  await pool.query("UPDATE halls SET time_zone = 'America/Los_Angeles', business_day_start_hour = 0 WHERE hall_id = $1", [WEST_HALL]);

  const first = await pushAt(EAST, epoch, oldBatch, at(0));
  expect(first.lastSeq).toBe(6);
  expect(first.rejected.map((r) => r.seq)).toEqual([6]);
  expect((await pushAt(EAST, epoch, [boundaryEast], at(9))).rejected).toEqual([]);
  expect((await pushAt(WEST, randomUUID(), [boundaryWest], at(9.5))).rejected).toEqual([]);
  expect((await pushAt(EAST, epoch, [recent], at(39))).rejected).toEqual([]);

  const staff = { hallId: DEMO_HALL_ID, staffId: 'demo-staff', role: StaffRole.Clerk, via: 'api-key' } as const;
  const book = async (days: number, idNumber: string): Promise<string> => {
    const start = new Date(at(days).getTime() + 4 * 3_600_000);
    const request = { serviceId: 'social-insurance', windowStart: start.toISOString(), windowEnd: new Date(start.getTime() + 1_800_000).toISOString(), idNumber };
    return (await createAppointment(pool, staff, request, at(days))).appointment.appointmentId;
  };
  oldAppointment = await book(0, ID_NUMBER);
  recentAppointment = await book(39, ID_NUMBER_2);
}, 120_000);

afterAll(async () => {
  await db?.close();
});

describe('portal purge of personal data', () => {
  it('stops between batches when told to, leaving the rest for the next run', async () => {
    const stopped = new AbortController();
    stopped.abort();
    const report = await purgePersonalData(pool, { policy: POLICY, now: PURGE_AT, signal: stopped.signal });
    expect(report).toMatchObject({ complete: false, batches: 0, ticketsCleared: 0 });
    expect((await ticket(DEMO_HALL_ID, oldBatch[0]!.payload.ticketId))?.citizen_hmac).toBe(HMAC);
  });

  it('clears citizen HMACs and event payloads past their retention, in batches, and keeps the recent ones', async () => {
    const eventsBefore = await count('SELECT count(*) AS n FROM sync_events');
    const seqBefore = await count(`SELECT appointment_seq AS n FROM halls WHERE hall_id = '${DEMO_HALL_ID}'`);
    const oldChangeSeq = (await appointment(oldAppointment)).change_seq;

    const report = await purgePersonalData(pool, { policy: POLICY, now: PURGE_AT });
    expect(report).toMatchObject({ halls: 2, complete: true, ticketsCleared: 6, appointmentsCleared: 1, eventPayloadsPurged: 8 });
    // Batches of 2: 6 tickets take 4 statements (the last one finds nothing), and so on per table and hall.
    expect(report.batches).toBeGreaterThanOrEqual(4 + 1 + 4 + 3);

    // Old: HMAC and payload gone; the event rows (the dedupe record) and the refusal are kept.
    for (const e of oldBatch.slice(0, 5)) {
      expect((await ticket(DEMO_HALL_ID, e.payload.ticketId))?.citizen_hmac).toBeNull();
      expect(await event(DEMO_HALL_ID, e.eventId)).toMatchObject({ payload: null, seq: String(e.seq), rejected_code: null });
    }
    expect((await event(DEMO_HALL_ID, oldBatch[5]!.eventId))).toMatchObject({ payload: null, seq: '6' });
    expect((await event(DEMO_HALL_ID, oldBatch[5]!.eventId))?.rejected_code).not.toBeNull();
    expect(await count('SELECT count(*) AS n FROM sync_events')).toBe(eventsBefore);
    expect((await appointment(oldAppointment)).citizen_hmac).toBeNull();

    // The hall's own calendar decides: the same business day is past the limit in Shanghai only.
    expect((await ticket(DEMO_HALL_ID, boundaryEast.payload.ticketId))?.citizen_hmac).toBeNull();
    expect((await ticket(WEST_HALL, boundaryWest.payload.ticketId))?.citizen_hmac).toBe(HMAC);
    // Received on day 9.5, 30.5 days before: its payload goes whatever the hall's calendar says.
    expect((await event(WEST_HALL, boundaryWest.eventId))?.payload).toBeNull();

    // Recent: untouched.
    expect((await ticket(DEMO_HALL_ID, recent.payload.ticketId))?.citizen_hmac).toBe(HMAC);
    expect((await event(DEMO_HALL_ID, recent.eventId))?.payload).toMatchObject({ citizenHmac: HMAC, ticketId: recent.payload.ticketId });
    expect((await appointment(recentAppointment)).citizen_hmac).toMatch(/^[0-9a-f]{64}$/);

    // Clearing an old appointment is no change for kiosks to pull: no counter moved.
    expect((await appointment(oldAppointment)).change_seq).toBe(oldChangeSeq);
    expect(await count(`SELECT appointment_seq AS n FROM halls WHERE hall_id = '${DEMO_HALL_ID}'`)).toBe(seqBefore);
  });

  it('finds nothing left on a second run', async () => {
    const report = await purgePersonalData(pool, { policy: POLICY, now: PURGE_AT });
    expect(report).toMatchObject({ halls: 2, complete: true, ticketsCleared: 0, appointmentsCleared: 0, eventPayloadsPurged: 0 });
  });

  it('answers a replay of purged events as before: consumed once, refusal repeated, nothing applied or restored', async () => {
    const tickets = await count('SELECT count(*) AS n FROM tickets');
    const events = await count('SELECT count(*) AS n FROM sync_events');

    // The same batch again on the same database epoch (the answer to the first push was lost).
    const again = await pushEvents(pool, EAST, { dbEpoch: epoch, events: oldBatch }, PURGE_AT);
    expect(again.lastSeq).toBe(8);
    expect(again.rejected.map((r) => [r.seq, r.eventId])).toEqual([[6, oldBatch[5]!.eventId]]);

    // The same events under a new epoch (a kiosk restored from a backup): consumed, not applied.
    const restored = await pushEvents(pool, EAST, { dbEpoch: randomUUID(), events: oldBatch }, PURGE_AT);
    expect(restored.lastSeq).toBe(6);

    expect(await count('SELECT count(*) AS n FROM tickets')).toBe(tickets);
    expect(await count('SELECT count(*) AS n FROM sync_events')).toBe(events);
    for (const e of oldBatch) expect((await event(DEMO_HALL_ID, e.eventId))?.payload).toBeNull();
    expect((await ticket(DEMO_HALL_ID, oldBatch[0]!.payload.ticketId))?.citizen_hmac).toBeNull();
  });

  it('still moves the appointment counter for real changes', async () => {
    const before = (await appointment(recentAppointment)).change_seq;
    await pool.query("UPDATE appointments SET status = 'cancelled' WHERE hall_id = $1 AND appointment_id = $2", [DEMO_HALL_ID, recentAppointment]);
    expect(Number((await appointment(recentAppointment)).change_seq)).toBeGreaterThan(Number(before));
  });

  it('runs inside the portal process on a schedule: at start, then never two at once, and stops cleanly', async () => {
    const reports: number[] = [];
    const schedule = startRetentionSchedule(pool, {
      policy: { ...POLICY, intervalMs: 60_000 },
      // 80 days on, the recent rows are past the limit too.
      clock: () => at(80),
      onReport: (r) => reports.push(r.ticketsCleared),
      onError: (err) => {
        throw err;
      },
    });
    const first = schedule.runNow();
    expect(schedule.runNow()).toBe(first);
    expect((await first)?.ticketsCleared).toBe(2);
    await schedule.stop();
    expect(reports).toEqual([2]);
    expect(await schedule.runNow()).toMatchObject({ complete: false, batches: 0 });
    expect((await ticket(DEMO_HALL_ID, recent.payload.ticketId))?.citizen_hmac).toBeNull();
    expect((await ticket(WEST_HALL, boundaryWest.payload.ticketId))?.citizen_hmac).toBeNull();
  });

  it("a hall's own retention periods (its manager's, issue 10) win over the portal's policy, in that hall only", async () => {
    const east = ticketIssuedEvent(9, { number: 'A1-009', businessDay: dayOf(85), issuedAt: at(85).toISOString(), citizenHmac: HMAC });
    const west = ticketIssuedEvent(1, { number: 'A1-002', businessDay: dayOf(84), issuedAt: at(85).toISOString(), citizenHmac: HMAC });
    expect((await pushAt(EAST, epoch, [east], at(85))).rejected).toEqual([]);
    expect((await pushAt(WEST, randomUUID(), [west], at(85))).rejected).toEqual([]);
    await pool.query('UPDATE halls SET personal_data_days = 2, event_payload_days = 1 WHERE hall_id = $1', [DEMO_HALL_ID]);
    try {
      // Three days on: past the hall's two days and one day, well within the policy's thirty.
      const report = await purgePersonalData(pool, { policy: POLICY, now: at(88) });
      expect(report).toMatchObject({ complete: true, ticketsCleared: 1, eventPayloadsPurged: 1 });
      expect((await ticket(DEMO_HALL_ID, east.payload.ticketId))?.citizen_hmac).toBeNull();
      expect((await event(DEMO_HALL_ID, east.eventId))?.payload).toBeNull();
      expect((await ticket(WEST_HALL, west.payload.ticketId))?.citizen_hmac).toBe(HMAC);
      expect((await event(WEST_HALL, west.eventId))?.payload).not.toBeNull();
    } finally {
      await pool.query('UPDATE halls SET personal_data_days = NULL, event_payload_days = NULL WHERE hall_id = $1', [DEMO_HALL_ID]);
    }
  });
});
