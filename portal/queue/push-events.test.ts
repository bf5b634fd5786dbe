import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { MAX_PUSH_BATCH, PushResponse, SyncRejectCode } from '../../common/contract/sync-api.js';
import { Priority } from '../../common/domain/priority.js';
import { NumberSource } from '../../common/domain/ticket-number.js';
import {
  KIOSK_TOKEN,
  KIOSK_TOKEN_2,
  TEST_NOW,
  bookAppointment,
  startPortalHarness,
  ticketIssuedEvent,
  type PortalHarness,
} from '../test-support/portal-harness.js';
import { pushEvents } from './push-events.js';

const KIOSK_PRINCIPAL = { hallId: 'demo-city-hall', kioskId: 'kiosk-1', kioskDigit: 1 };

let h: PortalHarness;

beforeAll(async () => {
  h = await startPortalHarness();
});

afterAll(async () => {
  await h.close();
});

async function push(body: unknown, token = KIOSK_TOKEN): Promise<PushResponse> {
  const answer = await h.request('POST', '/v1/kiosk/events', { token, body });
  expect(answer.status).toBe(200);
  return PushResponse.parse(answer.body);
}

async function ticketCount(where: string, params: unknown[]): Promise<number> {
  const r = await h.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM tickets WHERE ${where}`, params);
  return r.rows[0]?.n ?? -1;
}

async function cursor(dbEpoch: string): Promise<number | null> {
  const r = await h.db.pool.query<{ last_seq: string }>('SELECT last_seq FROM kiosk_cursors WHERE db_epoch = $1', [dbEpoch]);
  return r.rows[0] ? Number(r.rows[0].last_seq) : null;
}

describe('push (POST /v1/kiosk/events)', () => {
  it('applies a batch once even when it is pushed twice', async () => {
    const dbEpoch = randomUUID();
    const events = [ticketIssuedEvent(1, { number: 'A1-101' }), ticketIssuedEvent(2, { number: 'A1-102' })];
    const first = await push({ dbEpoch, events });
    expect(first).toMatchObject({ lastSeq: 2, rejected: [] });
    const again = await push({ dbEpoch, events });
    expect(again).toMatchObject({ lastSeq: 2, rejected: [] });
    expect(await ticketCount("number IN ('A1-101', 'A1-102')", [])).toBe(2);
    expect(await cursor(dbEpoch)).toBe(2);
    const recorded = await h.db.pool.query('SELECT seq FROM sync_events WHERE db_epoch = $1 ORDER BY seq', [dbEpoch]);
    expect(recorded.rows.map((r: { seq: string }) => Number(r.seq))).toEqual([1, 2]);
  });

  it('stops at a gap and resumes once the missing event arrives', async () => {
    const dbEpoch = randomUUID();
    const e1 = ticketIssuedEvent(1, { number: 'A1-201' });
    const e2 = ticketIssuedEvent(2, { number: 'A1-202' });
    const e3 = ticketIssuedEvent(3, { number: 'A1-203' });
    const e5 = ticketIssuedEvent(5, { number: 'A1-205' });
    expect((await push({ dbEpoch, events: [e1, e3] })).lastSeq).toBe(1);
    expect(await ticketCount("number LIKE 'A1-20_'", [])).toBe(1);
    expect((await push({ dbEpoch, events: [e2, e3, e5] })).lastSeq).toBe(3);
    expect(await ticketCount("number LIKE 'A1-20_'", [])).toBe(3);
    expect(await cursor(dbEpoch)).toBe(3);
  });

  it('answers the cursor unchanged when a batch starts past a gap', async () => {
    const dbEpoch = randomUUID();
    const answer = await push({ dbEpoch, events: [ticketIssuedEvent(4, { number: 'A1-299' })] });
    expect(answer.lastSeq).toBe(0);
    expect(await ticketCount("number = 'A1-299'", [])).toBe(0);
  });

  it('applies a reordered batch in seq order', async () => {
    const dbEpoch = randomUUID();
    const events = [3, 1, 2].map((seq) => ticketIssuedEvent(seq, { number: `B1-30${seq}`, serviceId: 'medical-insurance' }));
    expect((await push({ dbEpoch, events })).lastSeq).toBe(3);
    const r = await h.db.pool.query<{ number: string }>(
      "SELECT number FROM tickets WHERE number LIKE 'B1-30_' ORDER BY received_at, ticket_id",
    );
    expect(r.rows.map((row) => row.number)).toEqual(['B1-301', 'B1-302', 'B1-303']);
  });

  it('rejects an unknown service without blocking the events after it', async () => {
    const dbEpoch = randomUUID();
    const bad = ticketIssuedEvent(2, { serviceId: 'no-such-service', number: 'Z001' });
    const events = [ticketIssuedEvent(1, { number: 'A1-401' }), bad, ticketIssuedEvent(3, { number: 'A1-403' })];
    const answer = await push({ dbEpoch, events });
    expect(answer.lastSeq).toBe(3);
    expect(answer.rejected).toEqual([
      { seq: 2, eventId: bad.eventId, code: SyncRejectCode.UnknownService, reason: expect.stringContaining('no-such-service') },
    ]);
    expect(await ticketCount("number IN ('A1-401', 'A1-403', 'Z001')", [])).toBe(2);
    const stored = await h.db.pool.query('SELECT rejected_code FROM sync_events WHERE hall_id = $1 AND event_id = $2', [
      'demo-city-hall',
      bad.eventId,
    ]);
    expect(stored.rows).toEqual([{ rejected_code: 'unknown-service' }]);
    // The answer was lost and the kiosk retries the same batch: nothing is re-applied, but the
    // rejection is answered again so the kiosk still quarantines the event instead of trimming it.
    expect(await push({ dbEpoch, events })).toMatchObject({
      lastSeq: 3,
      rejected: [{ seq: 2, eventId: bad.eventId, code: SyncRejectCode.UnknownService }],
    });
    expect(await ticketCount("number IN ('A1-401', 'A1-403', 'Z001')", [])).toBe(2);
  });

  it('rejects a number that belongs to another ticket that day, and keeps going', async () => {
    const dbEpoch = randomUUID();
    const original = ticketIssuedEvent(1, { number: 'A1-501' });
    const clash = ticketIssuedEvent(2, { number: 'A1-501' });
    const answer = await push({ dbEpoch, events: [original, clash, ticketIssuedEvent(3, { number: 'A1-502' })] });
    expect(answer.lastSeq).toBe(3);
    expect(answer.rejected.map((r) => [r.seq, r.code])).toEqual([[2, SyncRejectCode.DuplicateNumber]]);
    const owner = await h.db.pool.query("SELECT ticket_id FROM tickets WHERE number = 'A1-501'");
    expect(owner.rows).toEqual([{ ticket_id: original.payload.ticketId }]);
  });

  it('rejects an event PostgreSQL cannot store (an impossible date) and keeps going', async () => {
    const dbEpoch = randomUUID();
    const bad = ticketIssuedEvent(1, { number: 'A1-551', businessDay: '2025-02-30' });
    const answer = await push({ dbEpoch, events: [bad, ticketIssuedEvent(2, { number: 'A1-552' })] });
    expect(answer.lastSeq).toBe(2);
    expect(answer.rejected.map((r) => [r.seq, r.code])).toEqual([[1, SyncRejectCode.InvalidEvent]]);
    expect(await ticketCount("number IN ('A1-551', 'A1-552')", [])).toBe(1);
  });

  it('does not create a second ticket when the same ticket comes again under a new event id', async () => {
    const dbEpoch = randomUUID();
    const first = ticketIssuedEvent(1, { number: 'A1-601' });
    const retried = { ...ticketIssuedEvent(2), payload: first.payload };
    const answer = await push({ dbEpoch, events: [first, retried] });
    expect(answer).toMatchObject({ lastSeq: 2, rejected: [] });
    expect(await ticketCount('ticket_id = $1', [first.payload.ticketId])).toBe(1);
  });

  it('treats an event id already received under another epoch as consumed', async () => {
    const event = ticketIssuedEvent(1, { number: 'A1-651' });
    await push({ dbEpoch: randomUUID(), events: [event] });
    // The kiosk database was restored: new epoch, the same event is pushed again.
    const restoredEpoch = randomUUID();
    expect(await push({ dbEpoch: restoredEpoch, events: [event] })).toMatchObject({ lastSeq: 1, rejected: [] });
    expect(await ticketCount('ticket_id = $1', [event.payload.ticketId])).toBe(1);
  });

  it('stores the priority rank so appointment tickets sort first', async () => {
    const dbEpoch = randomUUID();
    const booked = await bookAppointment(h, { serviceId: 'housing-fund' });
    const events = [
      ticketIssuedEvent(1, { number: 'C1-701', serviceId: 'housing-fund', priority: Priority.Appointment, citizenHmac: booked.citizenHmac }),
      ticketIssuedEvent(2, { number: 'C1-702', serviceId: 'housing-fund', priority: Priority.Elderly, citizenHmac: 'e1'.repeat(32) }),
    ];
    expect(await push({ dbEpoch, events })).toMatchObject({ lastSeq: 2, rejected: [] });
    const r = await h.db.pool.query("SELECT number, priority_rank FROM tickets WHERE number LIKE 'C1-70_' ORDER BY number");
    expect(r.rows).toEqual([
      { number: 'C1-701', priority_rank: 0 },
      { number: 'C1-702', priority_rank: 1 },
    ]);
  });

  it('keeps one cursor per kiosk: two kiosks may use the same seq numbers', async () => {
    const dbEpoch = randomUUID();
    expect((await push({ dbEpoch, events: [ticketIssuedEvent(1, { number: 'A1-851' })] }, KIOSK_TOKEN)).lastSeq).toBe(1);
    expect((await push({ dbEpoch, events: [ticketIssuedEvent(1, { number: 'A2-851' })] }, KIOSK_TOKEN_2)).lastSeq).toBe(1);
    const r = await h.db.pool.query("SELECT kiosk_id FROM tickets WHERE number IN ('A1-851', 'A2-851') ORDER BY number");
    expect(r.rows).toEqual([{ kiosk_id: 'kiosk-1' }, { kiosk_id: 'kiosk-2' }]);
  });

  it('serialises concurrent pushes of the same batch: each event is applied once', async () => {
    const dbEpoch = randomUUID();
    const events = [1, 2, 3].map((seq) => ticketIssuedEvent(seq, { number: `D1-90${seq}`, serviceId: 'real-estate' }));
    const answers = await Promise.all([push({ dbEpoch, events }), push({ dbEpoch, events }), push({ dbEpoch, events })]);
    expect(answers.map((a) => a.lastSeq)).toEqual([3, 3, 3]);
    expect(await ticketCount("number LIKE 'D1-90_'", [])).toBe(3);
  });

  it('refuses a malformed batch with 400 and a summary of the problem', async () => {
    const answer = await h.request('POST', '/v1/kiosk/events', {
      token: KIOSK_TOKEN,
      body: { dbEpoch: randomUUID(), events: [{ ...ticketIssuedEvent(1), payload: { ...ticketIssuedEvent(1).payload, number: 'bad' } }] },
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ code: 'bad-request', message: expect.stringContaining('events.0.payload.number') });
  });

  it('accepts a second waiting ticket of the same citizen pushed by a kiosk: the printed number is the truth', async () => {
    const dbEpoch = randomUUID();
    const citizenHmac = 'ab'.repeat(32);
    const events = [
      ticketIssuedEvent(1, { number: 'J1-101', serviceId: 'traffic', citizenHmac }),
      ticketIssuedEvent(2, { number: 'J1-001', serviceId: 'traffic', citizenHmac, numberSource: NumberSource.KioskSeries }),
    ];
    expect(await push({ dbEpoch, events })).toMatchObject({ lastSeq: 2, rejected: [] });
    expect(await ticketCount("citizen_hmac = $1 AND status = 'waiting'", [citizenHmac])).toBe(2);
  });

  it('decides a large mixed batch set-based with the outcome of each event', async () => {
    const dbEpoch = randomUUID();
    await h.request('POST', '/v1/kiosk/numbers', { token: KIOSK_TOKEN, body: { ticketId: randomUUID(), serviceId: 'exit-entry' } });
    const events = Array.from({ length: 400 }, (_, i) =>
      ticketIssuedEvent(i + 1, { serviceId: 'exit-entry', number: `F1-${String(i + 1).padStart(3, '0')}`, numberSource: NumberSource.KioskSeries }),
    );
    const first = events[0];
    if (!first) throw new Error('no events');
    // 10: unknown service; 20: F001, allocated online to another ticket, claimed as the portal's;
    // 30: the number of event 5 again; 40: event 6's ticket again (a retry under a new event id):
    // no-op; 50: another kiosk's series; 60: an online number claimed as a band number.
    events[9] = ticketIssuedEvent(10, { serviceId: 'no-such-service', number: 'Z010' });
    events[19] = ticketIssuedEvent(20, { serviceId: 'exit-entry', number: 'F001', numberSource: NumberSource.Portal });
    events[29] = ticketIssuedEvent(30, { serviceId: 'exit-entry', number: 'F1-005', numberSource: NumberSource.KioskSeries });
    events[39] = { ...ticketIssuedEvent(40), payload: events[5]?.payload ?? first.payload };
    events[49] = ticketIssuedEvent(50, { serviceId: 'exit-entry', number: 'F2-050' });
    events[59] = ticketIssuedEvent(60, { serviceId: 'exit-entry', number: 'F060', numberSource: NumberSource.Band });
    const answer = await push({ dbEpoch, events });
    expect(answer.lastSeq).toBe(400);
    expect(answer.rejected.map((r) => [r.seq, r.code])).toEqual([
      [10, SyncRejectCode.UnknownService],
      [20, SyncRejectCode.NumberNotAllocated],
      [30, SyncRejectCode.DuplicateNumber],
      [50, SyncRejectCode.ForeignSeries],
      [60, SyncRejectCode.NumberNotLeased],
    ]);
    // 400 less the six replaced events (none of which carries an F1- number that is inserted).
    expect(await ticketCount("number LIKE 'F1-%'", [])).toBe(394);
    const order = await h.db.pool.query<{ number: string }>(
      "SELECT number FROM tickets WHERE number LIKE 'F1-%' ORDER BY received_at, receive_seq LIMIT 3",
    );
    expect(order.rows.map((r) => r.number)).toEqual(['F1-001', 'F1-002', 'F1-003']);
  });

  it('applies an event id carried twice in one batch once', async () => {
    const dbEpoch = randomUUID();
    const once = ticketIssuedEvent(1, { number: 'A1-951' });
    const twice = { ...once, seq: 2 };
    expect(await push({ dbEpoch, events: [once, twice, ticketIssuedEvent(3, { number: 'A1-953' })] })).toMatchObject({
      lastSeq: 3,
      rejected: [],
    });
    expect(await ticketCount("number IN ('A1-951', 'A1-953')", [])).toBe(2);
  });

  it('refuses timestamps PostgreSQL cannot store (year 0) one by one, recording the event', async () => {
    const dbEpoch = randomUUID();
    const badOccurred = { ...ticketIssuedEvent(1, { number: 'A1-961' }), occurredAt: '0000-01-01T00:00:00Z' };
    const badIssued = ticketIssuedEvent(2, { number: 'A1-962', issuedAt: '0000-01-01T00:00:00Z' });
    const answer = await push({ dbEpoch, events: [badOccurred, badIssued, ticketIssuedEvent(3, { number: 'A1-963' })] });
    expect(answer.lastSeq).toBe(3);
    expect(answer.rejected.map((r) => [r.seq, r.code])).toEqual([
      [1, SyncRejectCode.InvalidEvent],
      [2, SyncRejectCode.InvalidEvent],
    ]);
    expect(await ticketCount("number IN ('A1-961', 'A1-962', 'A1-963')", [])).toBe(1);
    const recorded = await h.db.pool.query('SELECT occurred_at, rejected_code FROM sync_events WHERE event_id = $1', [badOccurred.eventId]);
    expect(recorded.rows).toEqual([{ occurred_at: null, rejected_code: 'invalid-event' }]);
  });

  it('falls back to one event at a time when a concurrent push takes a number meanwhile', async () => {
    const holder = await h.db.pool.connect();
    try {
      await holder.query('BEGIN');
      const pid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
      await holder.query(
        `INSERT INTO tickets (hall_id, ticket_id, service_id, business_day, number, number_source, priority, priority_rank,
                              kiosk_id, issued_at_kiosk)
         VALUES ('demo-city-hall', $1, 'social-insurance', '2025-03-10', 'A1-971', 'kiosk-series', 'normal', 2, 'kiosk-1', now())`,
        [randomUUID()],
      );
      const dbEpoch = randomUUID();
      // The push reads its facts without seeing the uncommitted A971, then its insert waits for it.
      const pending = push({ dbEpoch, events: [ticketIssuedEvent(1, { number: 'A1-971' }), ticketIssuedEvent(2, { number: 'A1-972' })] });
      for (;;) {
        const waiting = await h.db.pool.query(
          // The insert is inside a WITH (it opens the ticket's first segment too).
          "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid <> $1 AND query LIKE '%INSERT INTO tickets%'",
          [pid],
        );
        if (waiting.rows.length > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await holder.query('COMMIT');
      const answer = await pending;
      expect(answer.lastSeq).toBe(2);
      expect(answer.rejected.map((r) => [r.seq, r.code, r.reason])).toEqual([
        [1, SyncRejectCode.DuplicateNumber, expect.stringContaining('already belongs to another ticket')],
      ]);
      expect(await ticketCount("number = 'A1-972'", [])).toBe(1);
    } finally {
      holder.release();
    }
  });

  it('applies a batch with the same few statements whatever its size (set-based, not per event)', async () => {
    // Counts statements, not time: a regression to one round trip per event shows up here.
    const statementsFor = async (size: number, first: number): Promise<number> => {
      let statements = 0;
      const counting = {
        connect: async () => {
          const client = await h.db.pool.connect();
          const query = client.query.bind(client) as (...args: unknown[]) => unknown;
          return Object.assign(Object.create(client) as pg.PoolClient, {
            query: (...args: unknown[]) => {
              statements += 1;
              return query(...args);
            },
            release: (err?: Error | boolean) => client.release(err),
          });
        },
      } as unknown as pg.Pool;
      const events = Array.from({ length: size }, (_, i) =>
        ticketIssuedEvent(i + 1, { serviceId: 'general', number: `K1-${String(first + i).padStart(4, '0')}`, numberSource: NumberSource.KioskSeries }),
      );
      const answer = await pushEvents(counting, KIOSK_PRINCIPAL, { dbEpoch: randomUUID(), events }, TEST_NOW);
      expect(answer).toMatchObject({ lastSeq: size, rejected: [] });
      return statements;
    };
    const one = await statementsFor(1, 9000);
    expect(await statementsFor(MAX_PUSH_BATCH, 1000)).toBe(one);
    // 12: with the hall's `queue.waiting` event of the batch (its counts, then the event).
    expect(one).toBeLessThanOrEqual(12);
    expect(await ticketCount("number LIKE 'K1-1___'", [])).toBe(MAX_PUSH_BATCH);
  });
});
