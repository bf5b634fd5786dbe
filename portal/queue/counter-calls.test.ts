import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CallNextResponse,
  PushResponse,
  QueueListResponse,
  TicketStatus,
  TicketTransitionResponse,
  type OutboxEvent,
} from '../../common/contract/sync-api.js';
import { Priority } from '../../common/domain/priority.js';
import { NumberSource } from '../../common/domain/ticket-number.js';
import {
  KIOSK_TOKEN,
  STAFF_TOKEN,
  TEST_DAY,
  bookAppointment,
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

beforeEach(async () => {
  await h.db.pool.query('DELETE FROM tickets');
});

/** An identified visitor: elderly priority needs one. */
const CITIZEN = 'c0'.repeat(32);

/**
 * Pushes tickets in the given order, one event per push so receive times are strictly ordered.
 * Each must be accepted (numbers of kiosk-1's own series unless a test says otherwise).
 */
async function issue(tickets: Parameters<typeof ticketIssuedEvent>[1][]): Promise<OutboxEvent[]> {
  const dbEpoch = randomUUID();
  const events = tickets.map((t, i) => ticketIssuedEvent(i + 1, t));
  for (const event of events) {
    const answer = await h.request('POST', '/v1/kiosk/events', { token: KIOSK_TOKEN, body: { dbEpoch, events: [event] } });
    expect(answer.status).toBe(200);
    expect(PushResponse.parse(answer.body).rejected).toEqual([]);
  }
  return events;
}

/** Green channel is granted by staff, never pushed by a kiosk: the ticket is put in the queue as staff would. */
async function grantGreenChannel(number: string): Promise<void> {
  await h.db.pool.query(
    `INSERT INTO tickets (hall_id, ticket_id, service_id, business_day, number, number_source, priority, priority_rank,
                          kiosk_id, issued_at_kiosk)
     VALUES ('demo-city-hall', $1, 'social-insurance', $2, $3, 'kiosk-series', 'green-channel', 1, 'kiosk-1', now())`,
    [randomUUID(), TEST_DAY, number],
  );
}

async function callNext(counterId: string, serviceIds: string[] = []): Promise<CallNextResponse> {
  const answer = await h.request('POST', '/v1/counter/call-next', { token: STAFF_TOKEN, body: { counterId, serviceIds } });
  expect(answer.status).toBe(200);
  return CallNextResponse.parse(answer.body);
}

describe('counter calls', () => {
  it('calls by priority class, then in the order the portal received the tickets', async () => {
    const booked = await bookAppointment(h);
    await issue([
      { number: 'A1-001' },
      { number: 'A1-002', priority: Priority.Elderly, citizenHmac: CITIZEN },
      { number: 'A1-003' },
      { number: 'A1-004', priority: Priority.Appointment, citizenHmac: booked.citizenHmac },
    ]);
    await grantGreenChannel('A1-005');
    const called: (string | undefined)[] = [];
    for (let i = 0; i < 6; i++) called.push((await callNext('w01')).ticket?.number);
    expect(called).toEqual(['A1-004', 'A1-002', 'A1-005', 'A1-001', 'A1-003', undefined]);
  });

  it('marks the called ticket with the counter and the call time', async () => {
    await issue([{ number: 'B1-001', serviceId: 'medical-insurance' }]);
    const { ticket } = await callNext('w02');
    expect(ticket).toMatchObject({ number: 'B1-001', status: TicketStatus.Called, counterId: 'w02', kioskId: 'kiosk-1' });
    expect(ticket?.calledAt).not.toBeNull();
  });

  it('only calls the services the counter handles', async () => {
    await issue([{ number: 'A1-010' }, { number: 'G1-010', serviceId: 'tax' }]);
    expect((await callNext('w03', ['tax'])).ticket?.number).toBe('G1-010');
    expect((await callNext('w03', ['tax'])).ticket).toBeNull();
    expect((await callNext('w04', [])).ticket?.number).toBe('A1-010');
  });

  it("never calls another day's ticket, past or tomorrow's", async () => {
    const before = h.now;
    try {
      // 02:30 in Shanghai on the 11th, still the 10th (the day starts at 03:00): tomorrow's tickets are taken.
      h.now = new Date('2025-03-10T18:30:00.000Z');
      await issue([
        { number: 'A1-020', businessDay: '2025-03-09' },
        { number: 'A1-021', businessDay: '2025-03-11' },
      ]);
      expect((await callNext('w05')).ticket).toBeNull();
    } finally {
      h.now = before;
    }
  });

  it('merges online, band and kiosk-series tickets into one line: priority, then receive order', async () => {
    const dbEpoch = randomUUID();
    // What kiosk-1 may print: numbers the portal allocated to its tickets, its band, its series.
    const online = [randomUUID(), randomUUID()];
    for (const ticketId of online) {
      const allocated = await h.request('POST', '/v1/kiosk/numbers', { token: KIOSK_TOKEN, body: { ticketId, serviceId: 'business-registration' } });
      expect(allocated.status).toBe(200);
    }
    const leased = await h.request('POST', '/v1/kiosk/bands', {
      token: KIOSK_TOKEN,
      body: { leaseId: randomUUID(), serviceId: 'business-registration', businessDay: TEST_DAY, size: 5 },
    });
    expect(leased.body).toMatchObject({ band: { firstSequence: 8001 } });
    const booked = await bookAppointment(h, { serviceId: 'business-registration' });
    const tickets: Parameters<typeof ticketIssuedEvent>[1][] = [
      { number: 'E001', numberSource: NumberSource.Portal, ticketId: online[0] },
      { number: 'E1-001', numberSource: NumberSource.KioskSeries },
      { number: 'E8001', numberSource: NumberSource.Band },
      { number: 'E1-002', numberSource: NumberSource.KioskSeries, priority: Priority.Elderly, citizenHmac: CITIZEN },
      { number: 'E002', numberSource: NumberSource.Portal, ticketId: online[1] },
      { number: 'E8002', numberSource: NumberSource.Band, priority: Priority.Appointment, citizenHmac: booked.citizenHmac },
      { number: 'E1-003', numberSource: NumberSource.KioskSeries },
      { number: 'E8003', numberSource: NumberSource.Band, priority: Priority.Elderly, citizenHmac: CITIZEN },
    ].map((t) => ({ serviceId: 'business-registration', ...t }));
    // One batch: the receive order is the batch's seq order, even within one clock tick.
    const events = tickets.map((t, i) => ticketIssuedEvent(i + 1, t));
    const answer = await h.request('POST', '/v1/kiosk/events', { token: KIOSK_TOKEN, body: { dbEpoch, events } });
    expect(PushResponse.parse(answer.body)).toMatchObject({ lastSeq: 8, rejected: [] });
    const called: (string | undefined)[] = [];
    for (let i = 0; i < tickets.length; i++) called.push((await callNext('w11')).ticket?.number);
    expect(called).toEqual(['E8002', 'E1-002', 'E8003', 'E001', 'E1-001', 'E8001', 'E002', 'E1-003']);
  });

  it('never gives two concurrent counters the same ticket', async () => {
    await issue(Array.from({ length: 8 }, (_, i) => ({ number: `K1-${String(i + 1).padStart(3, '0')}`, serviceId: 'general' })));
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => callNext(`c${i}`)));
    const numbers = answers.map((a) => a.ticket?.number).filter((n): n is string => n !== undefined);
    expect(numbers).toHaveLength(8);
    expect(new Set(numbers).size).toBe(8);
    expect(answers.filter((a) => a.ticket === null)).toHaveLength(2);
  });

  it('skips a ticket another counter holds locked instead of waiting for it', async () => {
    await issue([{ number: 'A1-030' }, { number: 'A1-031' }]);
    const holder = await h.db.pool.connect();
    try {
      await holder.query('BEGIN');
      const locked = await holder.query(
        `SELECT number FROM tickets WHERE status = 'waiting' AND business_day = $1
         ORDER BY priority_rank, received_at, ticket_id LIMIT 1 FOR UPDATE SKIP LOCKED`,
        [TEST_DAY],
      );
      expect(locked.rows).toEqual([{ number: 'A1-030' }]);
      // Without SKIP LOCKED this call would block until the holder commits.
      expect((await callNext('w06')).ticket?.number).toBe('A1-031');
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
    expect((await callNext('w06')).ticket?.number).toBe('A1-030');
  });

  it('completes or no-shows a called ticket, and refuses anything else with 409', async () => {
    const [first, second, waiting] = await issue([{ number: 'A1-040' }, { number: 'A1-041' }, { number: 'A1-042' }]);
    await callNext('w07');
    await callNext('w08');
    const done = await h.request('POST', `/v1/counter/tickets/${first?.payload.ticketId}/complete`, { token: STAFF_TOKEN });
    expect(done.status).toBe(200);
    expect(TicketTransitionResponse.parse(done.body).ticket).toMatchObject({ number: 'A1-040', status: TicketStatus.Completed });
    const absent = await h.request('POST', `/v1/counter/tickets/${second?.payload.ticketId}/no-show`, { token: STAFF_TOKEN });
    expect(TicketTransitionResponse.parse(absent.body).ticket.status).toBe(TicketStatus.NoShow);

    const twice = await h.request('POST', `/v1/counter/tickets/${first?.payload.ticketId}/no-show`, { token: STAFF_TOKEN });
    expect(twice).toEqual({ status: 409, body: { code: 'invalid-transition', message: expect.stringContaining('completed') } });
    const notCalled = await h.request('POST', `/v1/counter/tickets/${waiting?.payload.ticketId}/complete`, { token: STAFF_TOKEN });
    expect(notCalled.status).toBe(409);
    const finished = await h.db.pool.query('SELECT count(*)::int AS n FROM tickets WHERE finished_at IS NOT NULL');
    expect(finished.rows).toEqual([{ n: 2 }]);
  });

  it('answers 404 for an unknown ticket and 400 for a malformed id', async () => {
    const unknown = await h.request('POST', `/v1/counter/tickets/${randomUUID()}/complete`, { token: STAFF_TOKEN });
    expect(unknown).toEqual({ status: 404, body: { code: 'not-found', message: expect.any(String) } });
    const malformed = await h.request('POST', '/v1/counter/tickets/not-a-uuid/complete', { token: STAFF_TOKEN });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ code: 'bad-request', message: expect.stringContaining('ticketId') });
  });

  it("lists today's tickets of every status in calling order", async () => {
    await issue([
      { number: 'A1-050' },
      { number: 'A1-051', priority: Priority.Elderly, citizenHmac: CITIZEN },
      { number: 'A1-052', businessDay: '2025-03-09' },
      { number: 'G1-050', serviceId: 'tax' },
    ]);
    await callNext('w09');
    const answer = await h.request('GET', '/v1/counter/queue', { token: STAFF_TOKEN });
    expect(answer.status).toBe(200);
    const { tickets } = QueueListResponse.parse(answer.body);
    expect(tickets.map((t) => [t.number, t.status])).toEqual([
      ['A1-051', TicketStatus.Called],
      ['A1-050', TicketStatus.Waiting],
      ['G1-050', TicketStatus.Waiting],
    ]);
  });

  it('refuses kiosk tokens on counter routes', async () => {
    const answer = await h.request('POST', '/v1/counter/call-next', { token: KIOSK_TOKEN, body: { counterId: 'w10', serviceIds: [] } });
    expect(answer.status).toBe(401);
  });
});
