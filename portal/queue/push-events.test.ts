import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PushResponse, SyncRejectCode } from '../../common/contract/sync-api.js';
import { Priority } from '../../common/domain/priority.js';
import {
  KIOSK_TOKEN,
  KIOSK_TOKEN_2,
  startPortalHarness,
  ticketIssuedEvent,
  type PortalHarness,
} from '../test-support/portal-harness.js';

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
    const events = [ticketIssuedEvent(1, { number: 'A101' }), ticketIssuedEvent(2, { number: 'A102' })];
    const first = await push({ dbEpoch, events });
    expect(first).toMatchObject({ lastSeq: 2, rejected: [] });
    const again = await push({ dbEpoch, events });
    expect(again).toMatchObject({ lastSeq: 2, rejected: [] });
    expect(await ticketCount("number IN ('A101', 'A102')", [])).toBe(2);
    expect(await cursor(dbEpoch)).toBe(2);
    const recorded = await h.db.pool.query('SELECT seq FROM sync_events WHERE db_epoch = $1 ORDER BY seq', [dbEpoch]);
    expect(recorded.rows.map((r: { seq: string }) => Number(r.seq))).toEqual([1, 2]);
  });

  it('stops at a gap and resumes once the missing event arrives', async () => {
    const dbEpoch = randomUUID();
    const e1 = ticketIssuedEvent(1, { number: 'A201' });
    const e2 = ticketIssuedEvent(2, { number: 'A202' });
    const e3 = ticketIssuedEvent(3, { number: 'A203' });
    const e5 = ticketIssuedEvent(5, { number: 'A205' });
    expect((await push({ dbEpoch, events: [e1, e3] })).lastSeq).toBe(1);
    expect(await ticketCount("number LIKE 'A20_'", [])).toBe(1);
    expect((await push({ dbEpoch, events: [e2, e3, e5] })).lastSeq).toBe(3);
    expect(await ticketCount("number LIKE 'A20_'", [])).toBe(3);
    expect(await cursor(dbEpoch)).toBe(3);
  });

  it('answers the cursor unchanged when a batch starts past a gap', async () => {
    const dbEpoch = randomUUID();
    const answer = await push({ dbEpoch, events: [ticketIssuedEvent(4, { number: 'A299' })] });
    expect(answer.lastSeq).toBe(0);
    expect(await ticketCount("number = 'A299'", [])).toBe(0);
  });

  it('applies a reordered batch in seq order', async () => {
    const dbEpoch = randomUUID();
    const events = [3, 1, 2].map((seq) => ticketIssuedEvent(seq, { number: `B30${seq}`, serviceId: 'medical-insurance' }));
    expect((await push({ dbEpoch, events })).lastSeq).toBe(3);
    const r = await h.db.pool.query<{ number: string }>(
      "SELECT number FROM tickets WHERE number LIKE 'B30_' ORDER BY received_at, ticket_id",
    );
    expect(r.rows.map((row) => row.number)).toEqual(['B301', 'B302', 'B303']);
  });

  it('rejects an unknown service without blocking the events after it', async () => {
    const dbEpoch = randomUUID();
    const bad = ticketIssuedEvent(2, { serviceId: 'no-such-service', number: 'Z001' });
    const events = [ticketIssuedEvent(1, { number: 'A401' }), bad, ticketIssuedEvent(3, { number: 'A403' })];
    const answer = await push({ dbEpoch, events });
    expect(answer.lastSeq).toBe(3);
    expect(answer.rejected).toEqual([
      { seq: 2, eventId: bad.eventId, code: SyncRejectCode.UnknownService, reason: expect.stringContaining('no-such-service') },
    ]);
    expect(await ticketCount("number IN ('A401', 'A403', 'Z001')", [])).toBe(2);
    const stored = await h.db.pool.query('SELECT rejected_code FROM sync_events WHERE hall_id = $1 AND event_id = $2', [
      'demo-city-hall',
      bad.eventId,
    ]);
    expect(stored.rows).toEqual([{ rejected_code: 'unknown-service' }]);
    // The kiosk retries the same batch: nothing is re-applied or re-reported.
    expect(await push({ dbEpoch, events })).toMatchObject({ lastSeq: 3, rejected: [] });
  });

  it('rejects a number that belongs to another ticket that day, and keeps going', async () => {
    const dbEpoch = randomUUID();
    const original = ticketIssuedEvent(1, { number: 'A501' });
    const clash = ticketIssuedEvent(2, { number: 'A501' });
    const answer = await push({ dbEpoch, events: [original, clash, ticketIssuedEvent(3, { number: 'A502' })] });
    expect(answer.lastSeq).toBe(3);
    expect(answer.rejected.map((r) => [r.seq, r.code])).toEqual([[2, SyncRejectCode.DuplicateNumber]]);
    const owner = await h.db.pool.query("SELECT ticket_id FROM tickets WHERE number = 'A501'");
    expect(owner.rows).toEqual([{ ticket_id: original.payload.ticketId }]);
  });

  it('rejects an event PostgreSQL cannot store (an impossible date) and keeps going', async () => {
    const dbEpoch = randomUUID();
    const bad = ticketIssuedEvent(1, { number: 'A551', businessDay: '2025-02-30' });
    const answer = await push({ dbEpoch, events: [bad, ticketIssuedEvent(2, { number: 'A552' })] });
    expect(answer.lastSeq).toBe(2);
    expect(answer.rejected.map((r) => [r.seq, r.code])).toEqual([[1, SyncRejectCode.InvalidEvent]]);
    expect(await ticketCount("number IN ('A551', 'A552')", [])).toBe(1);
  });

  it('does not create a second ticket when the same ticket comes again under a new event id', async () => {
    const dbEpoch = randomUUID();
    const first = ticketIssuedEvent(1, { number: 'A601' });
    const retried = { ...ticketIssuedEvent(2), payload: first.payload };
    const answer = await push({ dbEpoch, events: [first, retried] });
    expect(answer).toMatchObject({ lastSeq: 2, rejected: [] });
    expect(await ticketCount('ticket_id = $1', [first.payload.ticketId])).toBe(1);
  });

  it('treats an event id already received under another epoch as consumed', async () => {
    const event = ticketIssuedEvent(1, { number: 'A651' });
    await push({ dbEpoch: randomUUID(), events: [event] });
    // The kiosk database was restored: new epoch, the same event is pushed again.
    const restoredEpoch = randomUUID();
    expect(await push({ dbEpoch: restoredEpoch, events: [event] })).toMatchObject({ lastSeq: 1, rejected: [] });
    expect(await ticketCount('ticket_id = $1', [event.payload.ticketId])).toBe(1);
  });

  it('stores the priority rank so appointment tickets sort first', async () => {
    const dbEpoch = randomUUID();
    const events = [
      ticketIssuedEvent(1, { number: 'C701', serviceId: 'housing-fund', priority: Priority.Appointment }),
      ticketIssuedEvent(2, { number: 'C702', serviceId: 'housing-fund', priority: Priority.Elderly }),
    ];
    await push({ dbEpoch, events });
    const r = await h.db.pool.query("SELECT number, priority_rank FROM tickets WHERE number LIKE 'C70_' ORDER BY number");
    expect(r.rows).toEqual([
      { number: 'C701', priority_rank: 0 },
      { number: 'C702', priority_rank: 1 },
    ]);
  });

  it('keeps one cursor per kiosk: two kiosks may use the same seq numbers', async () => {
    const dbEpoch = randomUUID();
    expect((await push({ dbEpoch, events: [ticketIssuedEvent(1, { number: 'A801' })] }, KIOSK_TOKEN)).lastSeq).toBe(1);
    expect((await push({ dbEpoch, events: [ticketIssuedEvent(1, { number: 'A802' })] }, KIOSK_TOKEN_2)).lastSeq).toBe(1);
    const r = await h.db.pool.query("SELECT kiosk_id FROM tickets WHERE number IN ('A801', 'A802') ORDER BY number");
    expect(r.rows).toEqual([{ kiosk_id: 'kiosk-1' }, { kiosk_id: 'kiosk-2' }]);
  });

  it('serialises concurrent pushes of the same batch: each event is applied once', async () => {
    const dbEpoch = randomUUID();
    const events = [1, 2, 3].map((seq) => ticketIssuedEvent(seq, { number: `D90${seq}`, serviceId: 'real-estate' }));
    const answers = await Promise.all([push({ dbEpoch, events }), push({ dbEpoch, events }), push({ dbEpoch, events })]);
    expect(answers.map((a) => a.lastSeq)).toEqual([3, 3, 3]);
    expect(await ticketCount("number LIKE 'D90_'", [])).toBe(3);
  });

  it('refuses a malformed batch with 400 and a summary of the problem', async () => {
    const answer = await h.request('POST', '/v1/kiosk/events', {
      token: KIOSK_TOKEN,
      body: { dbEpoch: randomUUID(), events: [{ ...ticketIssuedEvent(1), payload: { ...ticketIssuedEvent(1).payload, number: 'bad' } }] },
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ code: 'bad-request', message: expect.stringContaining('events.0.payload.number') });
  });
});
