import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallNextResponse, QueueListResponse, counterRoutes } from '../../common/contract/counter-api.js';
import { AllocateNumberResponse, CatalogResponse, LeaseBandResponse, PullResponse, syncRoutes } from '../../common/contract/sync-api.js';
import { NumberSource } from '../../common/domain/ticket-number.js';
import { seedDemoHall } from '../seed/demo-hall.js';
import {
  DEMO_HALL_ID,
  KIOSK_TOKEN,
  STAFF_TOKEN,
  TEST_DAY,
  bookAppointment,
  startPortalHarness,
  ticketIssuedEvent,
  type HttpAnswer,
  type PortalHarness,
} from '../test-support/portal-harness.js';

/**
 * Two halls on one portal (issue 7, "Must show"): nothing hall 2's kiosk or staff can send reads
 * or changes hall 1's data. Hall 2 is the demo hall again under another id, with the same
 * service ids, prefixes, kiosk id and kiosk digit: only the token tells the halls apart. Hall 2
 * even reuses hall 1's ticket ids, lease ids and pull cursor as its own idempotency keys.
 */

const HALL_2 = 'second-city-hall';
const HALL_2_KIOSK_TOKEN = 'hall-two-kiosk-token';
const HALL_2_STAFF_TOKEN = 'hall-two-staff-token';

let h: PortalHarness;

/** Which syncRoutes entries hall 2 called: every one must be (portal/counter/ checks counterRoutes). */
const called = new Set<string>();

function routeOf(method: 'GET' | 'POST', path: string): string {
  const pathname = path.split('?')[0] ?? path;
  for (const [contract, routes] of [['', syncRoutes], ['counter.', counterRoutes]] as const) {
    for (const [name, route] of Object.entries(routes)) {
      const pattern = new RegExp(`^${route.path.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      if (route.method.toUpperCase() === method && pattern.test(pathname)) return `${contract}${name}`;
    }
  }
  throw new Error(`no route ${method} ${path}`);
}

async function asHall2(method: 'GET' | 'POST', path: string, token: string, body?: unknown): Promise<HttpAnswer> {
  called.add(routeOf(method, path));
  return h.request(method, path, { token, ...(body === undefined ? {} : { body }) });
}

/** Every row of every table that has a hall_id, for one hall, as text: what "hall 1's data" is. */
async function snapshotHall(hallId: string): Promise<Record<string, string[]>> {
  const tables = await h.db.pool.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.columns
     WHERE table_schema = 'public' AND column_name = 'hall_id' ORDER BY table_name`,
  );
  const snapshot: Record<string, string[]> = {};
  for (const { table_name: table } of tables.rows) {
    const rows = await h.db.pool.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${table}" t WHERE hall_id = $1`, [hallId]);
    snapshot[table] = rows.rows.map((r) => r.row).sort();
  }
  return snapshot;
}

interface Hall1 {
  allocatedTicketId: string;
  seriesTicketId: string;
  calledTicketId: string;
  leaseId: string;
  bandId: string;
  appointmentId: string;
  appointmentReference: string;
  citizenKey: string;
  cursor: string;
}

let hall1: Hall1;

beforeAll(async () => {
  h = await startPortalHarness();
  await seedDemoHall(h.db.pool, {
    hallId: HALL_2,
    kioskTokens: [{ kioskId: 'kiosk-1', token: HALL_2_KIOSK_TOKEN, kioskDigit: 1 }],
    staffToken: HALL_2_STAFF_TOKEN,
  });

  // Hall 1 at work: an online number pushed as a ticket, a series ticket, a band, an appointment, a call.
  const allocatedTicketId = randomUUID();
  const allocated = AllocateNumberResponse.parse(
    (
      await h.request('POST', '/v1/kiosk/numbers', {
        token: KIOSK_TOKEN,
        body: { ticketId: allocatedTicketId, serviceId: 'social-insurance' },
      })
    ).body,
  );
  const series = ticketIssuedEvent(2, { number: 'A1-001', numberSource: NumberSource.KioskSeries });
  const pushed = await h.request('POST', '/v1/kiosk/events', {
    token: KIOSK_TOKEN,
    body: {
      dbEpoch: randomUUID(),
      events: [ticketIssuedEvent(1, { ticketId: allocatedTicketId, number: allocated.number, numberSource: NumberSource.Portal }), series],
    },
  });
  expect(pushed.body).toMatchObject({ lastSeq: 2, rejected: [] });
  const leaseId = randomUUID();
  const band = LeaseBandResponse.parse(
    (
      await h.request('POST', '/v1/kiosk/bands', {
        token: KIOSK_TOKEN,
        body: { leaseId, serviceId: 'social-insurance', businessDay: TEST_DAY, size: 20 },
      })
    ).body,
  ).band;
  const appointment = await bookAppointment(h);
  expect((await h.request('POST', '/v1/counter/counters/window-1/sign-in', { token: STAFF_TOKEN, body: {} })).status).toBe(200);
  const call = CallNextResponse.parse(
    (await h.request('POST', '/v1/counter/call-next', { token: STAFF_TOKEN, body: { counterId: 'window-1', serviceIds: [] } })).body,
  );
  if (!call.ticket) throw new Error('hall 1 had nothing to call');
  const pulled = PullResponse.parse((await h.request('GET', '/v1/kiosk/pull', { token: KIOSK_TOKEN })).body);
  hall1 = {
    allocatedTicketId,
    seriesTicketId: series.payload.ticketId,
    calledTicketId: call.ticket.ticketId,
    leaseId,
    bandId: band.bandId,
    appointmentId: appointment.appointmentId,
    appointmentReference: appointment.reference,
    citizenKey: pulled.citizenKey,
    cursor: pulled.cursor,
  };
});

afterAll(async () => {
  await h.close();
});

describe('two halls side by side', () => {
  it('no route lets hall 2 read or change hall 1’s data', async () => {
    const before = await snapshotHall(DEMO_HALL_ID);
    expect(before.tickets).toHaveLength(2);
    const answers: HttpAnswer[] = [];
    const kiosk = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
      const answer = await asHall2(method, path, HALL_2_KIOSK_TOKEN, body);
      answers.push(answer);
      return answer;
    };
    const staff = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
      const answer = await asHall2(method, path, HALL_2_STAFF_TOKEN, body);
      answers.push(answer);
      return answer;
    };

    // Staff first, while hall 2 has no tickets: hall 1's queue must stay out of reach.
    expect(QueueListResponse.parse((await staff('GET', '/v1/counter/queue')).body).waiting).toEqual([]);
    // Hall 2's window-1 (the same id as hall 1's): its own counter.
    expect((await staff('POST', '/v1/counter/counters/window-1/sign-in', {})).status).toBe(200);
    expect(CallNextResponse.parse((await staff('POST', '/v1/counter/call-next', { counterId: 'window-1', serviceIds: [] })).body)).toEqual({
      ticket: null,
    });
    for (const action of ['complete', 'no-show']) {
      for (const ticketId of [hall1.calledTicketId, hall1.seriesTicketId]) {
        const answer = await staff('POST', `/v1/counter/tickets/${ticketId}/${action}`);
        expect(answer).toEqual({ status: 404, body: { code: 'not-found', message: `ticket ${ticketId} not found` } });
      }
    }
    expect((await staff('POST', '/v1/hall/appointments', { serviceId: 'social-insurance', windowStart: '2025-03-10T06:00:00.000Z', windowEnd: '2025-03-10T06:30:00.000Z', idNumber: '11010519491231002X' })).status).toBe(200);

    // The kiosk: its own catalog, its own identity and key, none of hall 1's bands or appointments.
    const catalog = CatalogResponse.parse((await kiosk('GET', '/v1/kiosk/catalog')).body);
    expect(catalog.hall.hallId).toBe(HALL_2);
    // Hall 1's tickets are none of hall 2's to rate (portal/ratings/ checks a served one).
    expect((await kiosk('POST', '/v1/kiosk/tickets/rateable', { ticketId: hall1.calledTicketId })).body).toMatchObject({ tickets: [] });
    // Cases are the kiosk's hall's only (portal/cases/cases.test.ts checks it with a case under the same HMAC in each hall).
    expect((await kiosk('POST', '/v1/kiosk/cases/lookup', { citizenHmac: 'c1'.repeat(32) })).body).toMatchObject({ cases: [] });
    for (const path of ['/v1/kiosk/pull', `/v1/kiosk/pull?cursor=${hall1.cursor}`]) {
      const pulled = PullResponse.parse((await kiosk('GET', path)).body);
      expect(pulled.citizenKey).not.toBe(hall1.citizenKey);
      expect(pulled.bands).toEqual([]);
      // Only hall 2's own appointment, booked above.
      expect(pulled.appointments.map((a) => a.appointmentId)).not.toContain(hall1.appointmentId);
      expect(pulled.appointments).toHaveLength(1);
    }
    // Hall 1's ticket id as hall 2's idempotency key: hall 2's own number, from its own counter.
    const allocated = AllocateNumberResponse.parse(
      (await kiosk('POST', '/v1/kiosk/numbers', { ticketId: hall1.allocatedTicketId, serviceId: 'social-insurance' })).body,
    );
    expect(allocated.number).toBe('A001');
    // Hall 1's lease id: a band of hall 2's own.
    const band = LeaseBandResponse.parse(
      (await kiosk('POST', '/v1/kiosk/bands', { leaseId: hall1.leaseId, serviceId: 'social-insurance', businessDay: TEST_DAY, size: 20 })).body,
    ).band;
    expect(band.bandId).not.toBe(hall1.bandId);
    // Hall 1's ticket ids and numbers pushed by hall 2: tickets of hall 2, hall 1's untouched.
    const pushed = await kiosk('POST', '/v1/kiosk/events', {
      dbEpoch: randomUUID(),
      events: [
        ticketIssuedEvent(1, { ticketId: hall1.allocatedTicketId, number: 'A001', numberSource: NumberSource.Portal }),
        ticketIssuedEvent(2, { ticketId: hall1.seriesTicketId, number: 'A1-001', numberSource: NumberSource.KioskSeries }),
      ],
    });
    expect(pushed.body).toMatchObject({ lastSeq: 2, rejected: [] });
    // Now hall 2 has tickets: its staff sees and calls those, never hall 1's.
    const queue = QueueListResponse.parse((await staff('GET', '/v1/counter/queue')).body).waiting;
    expect(queue.map((t) => t.kioskId)).toEqual(['kiosk-1', 'kiosk-1']);
    const call = CallNextResponse.parse((await staff('POST', '/v1/counter/call-next', { counterId: 'window-1', serviceIds: [] })).body);
    expect(call.ticket?.ticketId).toBe(hall1.allocatedTicketId);
    expect((await staff('POST', `/v1/counter/tickets/${hall1.allocatedTicketId}/complete`)).status).toBe(200);

    expect([...called].filter((name) => !name.startsWith('counter.')).sort()).toEqual(Object.keys(syncRoutes).sort());
    // Nothing of hall 1 in any answer hall 2 got (ids hall 2 chose itself aside).
    const seen = JSON.stringify(answers.map((a) => a.body));
    for (const secret of [DEMO_HALL_ID, hall1.bandId, hall1.appointmentId, hall1.appointmentReference, hall1.citizenKey]) {
      expect(seen).not.toContain(secret);
    }
    // And every row of hall 1, in every table, exactly as it was.
    expect(await snapshotHall(DEMO_HALL_ID)).toEqual(before);
  });
});
