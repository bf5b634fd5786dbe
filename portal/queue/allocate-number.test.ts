import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AllocateNumberResponse } from '../../common/contract/sync-api.js';
import { NumberSource } from '../../common/domain/ticket-number.js';
import {
  KIOSK_TOKEN,
  KIOSK_TOKEN_2,
  STAFF_TOKEN,
  TEST_DAY,
  TEST_NOW,
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

async function allocate(ticketId: string, serviceId: string, token = KIOSK_TOKEN): Promise<AllocateNumberResponse> {
  const answer = await h.request('POST', '/v1/kiosk/numbers', { token, body: { ticketId, serviceId } });
  expect(answer.status).toBe(200);
  return AllocateNumberResponse.parse(answer.body);
}

describe('allocateNumber (POST /v1/kiosk/numbers)', () => {
  it('hands out sequential numbers per service, shared by the kiosks of the hall', async () => {
    const a1 = await allocate(randomUUID(), 'social-insurance');
    const a2 = await allocate(randomUUID(), 'social-insurance', KIOSK_TOKEN_2);
    const b1 = await allocate(randomUUID(), 'medical-insurance');
    const a3 = await allocate(randomUUID(), 'social-insurance');
    expect([a1.number, a2.number, a3.number, b1.number]).toEqual(['A001', 'A002', 'A003', 'B001']);
    expect(a1.businessDay).toBe(TEST_DAY);
    expect(a1.serverTime).toBe(TEST_NOW.toISOString());
  });

  it('is idempotent by ticket id', async () => {
    const ticketId = randomUUID();
    const first = await allocate(ticketId, 'housing-fund');
    const again = await allocate(ticketId, 'housing-fund');
    expect(again.number).toBe(first.number);
    const next = await allocate(randomUUID(), 'housing-fund');
    expect(next.number).toBe('C002');
    const rows = await h.db.pool.query('SELECT count(*)::int AS n FROM number_allocations WHERE ticket_id = $1', [ticketId]);
    expect(rows.rows).toEqual([{ n: 1 }]);
  });

  it('gives concurrent requests for one ticket one number', async () => {
    const ticketId = randomUUID();
    const answers = await Promise.all([1, 2, 3, 4].map(() => allocate(ticketId, 'tax')));
    expect(new Set(answers.map((a) => a.number)).size).toBe(1);
  });

  it('refuses the same ticket id for a different service with 409', async () => {
    const ticketId = randomUUID();
    await allocate(ticketId, 'traffic');
    const answer = await h.request('POST', '/v1/kiosk/numbers', { token: KIOSK_TOKEN, body: { ticketId, serviceId: 'tax' } });
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({ code: 'conflict' });
  });

  it('creates no ticket: only the ticket.issued event does', async () => {
    const ticketId = randomUUID();
    await allocate(ticketId, 'exit-entry');
    const tickets = await h.db.pool.query('SELECT 1 FROM tickets WHERE ticket_id = $1', [ticketId]);
    expect(tickets.rows).toHaveLength(0);
  });

  it('counts waiting tickets of the service as waitingAhead', async () => {
    const dbEpoch = randomUUID();
    const events = [1, 2, 3].map((seq) => ticketIssuedEvent(seq, { serviceId: 'business-registration', number: `E1-80${seq}` }));
    expect((await h.request('POST', '/v1/kiosk/events', { token: KIOSK_TOKEN, body: { dbEpoch, events } })).status).toBe(200);
    expect((await allocate(randomUUID(), 'business-registration')).waitingAhead).toBe(3);
    expect((await allocate(randomUUID(), 'general')).waitingAhead).toBe(0);
  });

  it('skips a number a ticket already holds (pushed before the push rules, or a counter reset by hand)', async () => {
    await h.db.pool.query(
      `INSERT INTO tickets (hall_id, ticket_id, service_id, business_day, number, number_source, priority, priority_rank,
                            kiosk_id, issued_at_kiosk)
       VALUES ('demo-city-hall', $1, 'household-registration', $2, 'H001', 'band', 'normal', 2, 'kiosk-1', now())`,
      [randomUUID(), TEST_DAY],
    );
    expect((await allocate(randomUUID(), 'household-registration')).number).toBe('H002');
  });

  it('starts again at 001 on the next business day of the hall', async () => {
    const before = h.now;
    try {
      // 03:30 Shanghai: past the demo hall's 03:00 day start, so a new business day.
      h.now = new Date('2025-03-10T19:30:00.000Z');
      const next = await allocate(randomUUID(), 'social-insurance');
      expect(next).toMatchObject({ number: 'A001', businessDay: '2025-03-11' });
      // 02:30 Shanghai on the 11th still belongs to the 10th.
      h.now = new Date('2025-03-10T18:30:00.000Z');
      expect((await allocate(randomUUID(), 'social-insurance')).businessDay).toBe('2025-03-10');
    } finally {
      h.now = before;
    }
  });

  it('answers 404 unknown-service for a missing or disabled service', async () => {
    const missing = await h.request('POST', '/v1/kiosk/numbers', {
      token: KIOSK_TOKEN,
      body: { ticketId: randomUUID(), serviceId: 'no-such-service' },
    });
    expect(missing).toEqual({ status: 404, body: { code: 'unknown-service', message: expect.any(String) } });
    await h.db.pool.query("UPDATE services SET enabled = false WHERE service_id = 'general'");
    try {
      const disabled = await h.request('POST', '/v1/kiosk/numbers', {
        token: KIOSK_TOKEN,
        body: { ticketId: randomUUID(), serviceId: 'general' },
      });
      expect(disabled.status).toBe(404);
      expect(disabled.body).toMatchObject({ code: 'unknown-service' });
    } finally {
      await h.db.pool.query("UPDATE services SET enabled = true WHERE service_id = 'general'");
    }
  });

  it('goes on past A999 with four digits: A1000', async () => {
    await h.db.pool.query(
      `INSERT INTO number_counters (hall_id, service_id, business_day, last_sequence)
       VALUES ('demo-city-hall', 'exit-entry', $1, 998)
       ON CONFLICT (hall_id, service_id, business_day) DO UPDATE SET last_sequence = 998`,
      [TEST_DAY],
    );
    expect((await allocate(randomUUID(), 'exit-entry')).number).toBe('F999');
    const ticketId = randomUUID();
    expect((await allocate(ticketId, 'exit-entry')).number).toBe('F1000');
    // The kiosk prints it and pushes it back: the portal takes its own four-digit number.
    const event = ticketIssuedEvent(1, { ticketId, serviceId: 'exit-entry', number: 'F1000', numberSource: NumberSource.Portal });
    const pushed = await h.request('POST', '/v1/kiosk/events', { token: KIOSK_TOKEN, body: { dbEpoch: randomUUID(), events: [event] } });
    expect(pushed.body).toMatchObject({ lastSeq: 1, rejected: [] });
    const stored = await h.db.pool.query('SELECT number FROM tickets WHERE ticket_id = $1', [ticketId]);
    expect(stored.rows).toEqual([{ number: 'F1000' }]);
  });

  it('answers 409 when the 7999 online numbers of the day are used up (the band range is not for online numbering)', async () => {
    await h.db.pool.query(
      `INSERT INTO number_counters (hall_id, service_id, business_day, last_sequence)
       VALUES ('demo-city-hall', 'real-estate', $1, 7999)`,
      [TEST_DAY],
    );
    const answer = await h.request('POST', '/v1/kiosk/numbers', {
      token: KIOSK_TOKEN,
      body: { ticketId: randomUUID(), serviceId: 'real-estate' },
    });
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({ code: 'conflict', message: expect.stringContaining('exhausted') });
  });

  describe('one waiting ticket per citizen per service', () => {
    const citizen = 'c1'.repeat(32);

    async function allocateFor(ticketId: string, serviceId: string, citizenHmac: string | null) {
      return h.request('POST', '/v1/kiosk/numbers', { token: KIOSK_TOKEN, body: { ticketId, serviceId, citizenHmac } });
    }

    it('refuses a second ticket with 409 already-waiting while the first waits, then allows it', async () => {
      const dbEpoch = randomUUID();
      const held = ticketIssuedEvent(1, { serviceId: 'tax', number: 'G1-501', citizenHmac: citizen });
      expect((await h.request('POST', '/v1/kiosk/events', { token: KIOSK_TOKEN, body: { dbEpoch, events: [held] } })).status).toBe(200);

      const refused = await allocateFor(randomUUID(), 'tax', citizen);
      expect(refused).toEqual({ status: 409, body: { code: 'already-waiting', message: expect.stringContaining('G1-501') } });
      // Another service, another citizen, or no identification at all: fine.
      expect((await allocateFor(randomUUID(), 'traffic', citizen)).status).toBe(200);
      expect((await allocateFor(randomUUID(), 'tax', 'c2'.repeat(32))).status).toBe(200);
      expect((await allocateFor(randomUUID(), 'tax', null)).status).toBe(200);
      // Asking again for the waiting ticket itself is its own retry, not a second ticket.
      expect((await allocateFor(held.payload.ticketId, 'tax', citizen)).status).toBe(200);

      // window-4 serves business registration and tax (the demo hall's counters).
      expect((await h.request('POST', '/v1/counter/counters/window-4/sign-in', { token: STAFF_TOKEN, body: {} })).status).toBe(200);
      const called = await h.request('POST', '/v1/counter/call-next', { token: STAFF_TOKEN, body: { counterId: 'window-4', serviceIds: ['tax'] } });
      expect(called.body).toMatchObject({ ticket: { number: 'G1-501' } });
      expect((await allocateFor(randomUUID(), 'tax', citizen)).status).toBe(200);
    });

    it("does not count another day's waiting ticket", async () => {
      const dbEpoch = randomUUID();
      const old = ticketIssuedEvent(1, { serviceId: 'general', number: 'K1-901', businessDay: '2025-03-09', citizenHmac: citizen });
      expect((await h.request('POST', '/v1/kiosk/events', { token: KIOSK_TOKEN, body: { dbEpoch, events: [old] } })).status).toBe(200);
      expect((await allocateFor(randomUUID(), 'general', citizen)).status).toBe(200);
    });
  });
});
