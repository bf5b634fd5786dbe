import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CallNextResponse,
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

/** Pushes tickets in the given order, one event per push so receive times are strictly ordered. */
async function issue(tickets: Parameters<typeof ticketIssuedEvent>[1][]): Promise<OutboxEvent[]> {
  const dbEpoch = randomUUID();
  const events = tickets.map((t, i) => ticketIssuedEvent(i + 1, t));
  for (const event of events) {
    const answer = await h.request('POST', '/v1/kiosk/events', { token: KIOSK_TOKEN, body: { dbEpoch, events: [event] } });
    expect(answer.status).toBe(200);
  }
  return events;
}

async function callNext(counterId: string, serviceIds: string[] = []): Promise<CallNextResponse> {
  const answer = await h.request('POST', '/v1/counter/call-next', { token: STAFF_TOKEN, body: { counterId, serviceIds } });
  expect(answer.status).toBe(200);
  return CallNextResponse.parse(answer.body);
}

describe('counter calls', () => {
  it('calls by priority class, then in the order the portal received the tickets', async () => {
    await issue([
      { number: 'A001' },
      { number: 'A002', priority: Priority.Elderly },
      { number: 'A003' },
      { number: 'A004', priority: Priority.Appointment },
      { number: 'A005', priority: Priority.GreenChannel },
    ]);
    const called: (string | undefined)[] = [];
    for (let i = 0; i < 6; i++) called.push((await callNext('w01')).ticket?.number);
    expect(called).toEqual(['A004', 'A002', 'A005', 'A001', 'A003', undefined]);
  });

  it('marks the called ticket with the counter and the call time', async () => {
    await issue([{ number: 'B001', serviceId: 'medical-insurance' }]);
    const { ticket } = await callNext('w02');
    expect(ticket).toMatchObject({ number: 'B001', status: TicketStatus.Called, counterId: 'w02', kioskId: 'kiosk-1' });
    expect(ticket?.calledAt).not.toBeNull();
  });

  it('only calls the services the counter handles', async () => {
    await issue([{ number: 'A010' }, { number: 'G010', serviceId: 'tax' }]);
    expect((await callNext('w03', ['tax'])).ticket?.number).toBe('G010');
    expect((await callNext('w03', ['tax'])).ticket).toBeNull();
    expect((await callNext('w04', [])).ticket?.number).toBe('A010');
  });

  it("never calls another day's ticket, past or tomorrow's", async () => {
    await issue([
      { number: 'A020', businessDay: '2025-03-09' },
      { number: 'A021', businessDay: '2025-03-11' },
    ]);
    expect((await callNext('w05')).ticket).toBeNull();
  });

  it('merges online, band and kiosk-series tickets into one line: priority, then receive order', async () => {
    const dbEpoch = randomUUID();
    const tickets: Parameters<typeof ticketIssuedEvent>[1][] = [
      { number: 'A001', numberSource: NumberSource.Portal },
      { number: 'A2-001', numberSource: NumberSource.KioskSeries },
      { number: 'A801', numberSource: NumberSource.Band },
      { number: 'A1-001', numberSource: NumberSource.KioskSeries, priority: Priority.Elderly },
      { number: 'A002', numberSource: NumberSource.Portal },
      { number: 'A802', numberSource: NumberSource.Band, priority: Priority.Appointment },
      { number: 'A2-002', numberSource: NumberSource.KioskSeries },
      { number: 'A803', numberSource: NumberSource.Band, priority: Priority.Elderly },
    ];
    // One batch: the receive order is the batch's seq order, even within one clock tick.
    const events = tickets.map((t, i) => ticketIssuedEvent(i + 1, t));
    const answer = await h.request('POST', '/v1/kiosk/events', { token: KIOSK_TOKEN, body: { dbEpoch, events } });
    expect(answer.status).toBe(200);
    const called: (string | undefined)[] = [];
    for (let i = 0; i < tickets.length; i++) called.push((await callNext('w11')).ticket?.number);
    expect(called).toEqual(['A802', 'A1-001', 'A803', 'A001', 'A2-001', 'A801', 'A002', 'A2-002']);
  });

  it('never gives two concurrent counters the same ticket', async () => {
    await issue(Array.from({ length: 8 }, (_, i) => ({ number: `K${String(i + 1).padStart(3, '0')}`, serviceId: 'general' })));
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => callNext(`c${i}`)));
    const numbers = answers.map((a) => a.ticket?.number).filter((n): n is string => n !== undefined);
    expect(numbers).toHaveLength(8);
    expect(new Set(numbers).size).toBe(8);
    expect(answers.filter((a) => a.ticket === null)).toHaveLength(2);
  });

  it('skips a ticket another counter holds locked instead of waiting for it', async () => {
    await issue([{ number: 'A030' }, { number: 'A031' }]);
    const holder = await h.db.pool.connect();
    try {
      await holder.query('BEGIN');
      const locked = await holder.query(
        `SELECT number FROM tickets WHERE status = 'waiting' AND business_day = $1
         ORDER BY priority_rank, received_at, ticket_id LIMIT 1 FOR UPDATE SKIP LOCKED`,
        [TEST_DAY],
      );
      expect(locked.rows).toEqual([{ number: 'A030' }]);
      // Without SKIP LOCKED this call would block until the holder commits.
      expect((await callNext('w06')).ticket?.number).toBe('A031');
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
    expect((await callNext('w06')).ticket?.number).toBe('A030');
  });

  it('completes or no-shows a called ticket, and refuses anything else with 409', async () => {
    const [first, second, waiting] = await issue([{ number: 'A040' }, { number: 'A041' }, { number: 'A042' }]);
    await callNext('w07');
    await callNext('w08');
    const done = await h.request('POST', `/v1/counter/tickets/${first?.payload.ticketId}/complete`, { token: STAFF_TOKEN });
    expect(done.status).toBe(200);
    expect(TicketTransitionResponse.parse(done.body).ticket).toMatchObject({ number: 'A040', status: TicketStatus.Completed });
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
      { number: 'A050' },
      { number: 'A051', priority: Priority.Elderly },
      { number: 'A052', businessDay: '2025-03-09' },
      { number: 'G050', serviceId: 'tax' },
    ]);
    await callNext('w09');
    const answer = await h.request('GET', '/v1/counter/queue', { token: STAFF_TOKEN });
    expect(answer.status).toBe(200);
    const { tickets } = QueueListResponse.parse(answer.body);
    expect(tickets.map((t) => [t.number, t.status])).toEqual([
      ['A051', TicketStatus.Called],
      ['A050', TicketStatus.Waiting],
      ['G050', TicketStatus.Waiting],
    ]);
  });

  it('refuses kiosk tokens on counter routes', async () => {
    const answer = await h.request('POST', '/v1/counter/call-next', { token: KIOSK_TOKEN, body: { counterId: 'w10', serviceIds: [] } });
    expect(answer.status).toBe(401);
  });
});
