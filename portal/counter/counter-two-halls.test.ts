import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallNextResponse, CountersResponse, QueueListResponse, counterRoutes } from '../../common/contract/counter-api.js';
import { StaffRole } from '../../common/contract/route-spec.js';
import { PushResponse } from '../../common/contract/sync-api.js';
import { seedDemoHall } from '../seed/demo-hall.js';
import {
  DEMO_HALL_ID,
  KIOSK_TOKEN,
  STAFF_TOKEN,
  startPortalHarness,
  ticketIssuedEvent,
  type HttpAnswer,
  type PortalHarness,
} from '../test-support/portal-harness.js';
import { addStaffKey } from './counter-test-kit.js';

/**
 * Two halls on one portal, with the same counter ids, service ids and staff ids: the principal
 * decides the hall, so nothing a clerk or a manager of hall 2 sends reads or changes hall 1's
 * tickets or counters, through any counter route.
 */

const HALL_2 = 'second-city-hall';
const HALL_2_CLERK = 'hall-two-clerk-key';
const HALL_2_MANAGER = 'hall-two-manager-key';

let h: PortalHarness;
const hall1: { waiting: string; called: string; past: string } = { waiting: '', called: '', past: '' };

/** Every row of every table that has a hall_id, for one hall, as text. */
async function snapshotHall(hallId: string): Promise<Record<string, string[]>> {
  const tables = await h.db.pool.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'hall_id' ORDER BY table_name`,
  );
  const snapshot: Record<string, string[]> = {};
  for (const { table_name: table } of tables.rows) {
    const rows = await h.db.pool.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${table}" t WHERE hall_id = $1`, [hallId]);
    snapshot[table] = rows.rows.map((r) => r.row).sort();
  }
  return snapshot;
}

beforeAll(async () => {
  h = await startPortalHarness();
  await seedDemoHall(h.db.pool, { hallId: HALL_2, kioskTokens: [{ kioskId: 'kiosk-1', token: 'hall-two-kiosk', kioskDigit: 1 }], staffToken: 'hall-two-api' });
  // The same staff ids as hall 1's: only the key tells them apart.
  await addStaffKey(h.db.pool, HALL_2, 'demo-staff', StaffRole.Clerk, HALL_2_CLERK);
  await addStaffKey(h.db.pool, HALL_2, 'boss', StaffRole.Manager, HALL_2_MANAGER);
  await addStaffKey(h.db.pool, DEMO_HALL_ID, 'boss', StaffRole.Manager, 'hall-one-manager-key');

  // Hall 1 at work: a waiting ticket, one called at window-1, one left from yesterday.
  const events = [ticketIssuedEvent(1, { number: 'A1-001' }), ticketIssuedEvent(2, { number: 'A1-002' }), ticketIssuedEvent(3, { number: 'A1-003', businessDay: '2025-03-09' })];
  const pushed = await h.request('POST', '/v1/kiosk/events', { token: KIOSK_TOKEN, body: { dbEpoch: randomUUID(), events } });
  expect(PushResponse.parse(pushed.body).rejected).toEqual([]);
  expect((await h.request('POST', '/v1/counter/counters/window-1/sign-in', { token: STAFF_TOKEN, body: {} })).status).toBe(200);
  const call = CallNextResponse.parse((await h.request('POST', '/v1/counter/call-next', { token: STAFF_TOKEN, body: { counterId: 'window-1' } })).body);
  hall1.called = call.ticket?.ticketId ?? '';
  hall1.waiting = events[1]?.payload.ticketId ?? '';
  hall1.past = events[2]?.payload.ticketId ?? '';
  expect(hall1.called).toBe(events[0]?.payload.ticketId);
});

afterAll(async () => {
  await h.close();
});

describe('two halls at their counters', () => {
  it('a clerk or manager of hall 2 cannot read or touch hall 1’s tickets or counters', async () => {
    const before = await snapshotHall(DEMO_HALL_ID);
    expect(before.ticket_segments?.length).toBeGreaterThan(0);
    expect(before.counters?.length).toBe(8);
    const called = new Set<string>();
    const seen: unknown[] = [];
    const as = async (token: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<HttpAnswer> => {
      for (const [name, route] of Object.entries(counterRoutes)) {
        const pattern = new RegExp(`^${route.path.replace(/\{[^}]+\}/g, '[^/]+')}$`);
        if (route.method.toUpperCase() === method && pattern.test(path.split('?')[0] ?? path)) called.add(name);
      }
      const answer = await h.request(method, path, { token, ...(body === undefined ? {} : { body }) });
      seen.push(answer.body);
      return answer;
    };

    // Hall 2's view: its own counters (all signed out), an empty queue, nothing to call.
    const counters = CountersResponse.parse((await as(HALL_2_CLERK, 'GET', '/v1/counter/counters')).body).counters;
    expect(counters.map((c) => [c.counterId, c.state, c.currentTicket])).toEqual(
      Array.from({ length: 8 }, (_, i) => [`window-${i + 1}`, 'signed-out', null]),
    );
    const queue = QueueListResponse.parse((await as(HALL_2_MANAGER, 'GET', '/v1/counter/queue?counterId=window-1')).body);
    expect([queue.waiting, queue.held, queue.noShows, queue.active]).toEqual([[], [], [], []]);
    // Its window-1 is its own: signing in, pausing, calling there changes hall 2's row only.
    expect((await as(HALL_2_CLERK, 'POST', '/v1/counter/counters/window-1/sign-in', {})).status).toBe(200);
    expect((await as(HALL_2_CLERK, 'POST', '/v1/counter/counters/window-1/pause')).status).toBe(200);
    expect((await as(HALL_2_CLERK, 'POST', '/v1/counter/counters/window-1/resume')).status).toBe(200);
    expect((await as(HALL_2_CLERK, 'POST', '/v1/counter/call-next', { counterId: 'window-1' })).body).toEqual({ ticket: null });
    expect((await as(HALL_2_CLERK, 'POST', '/v1/counter/counters/window-1/sign-out')).status).toBe(200);
    await as(HALL_2_MANAGER, 'POST', '/v1/counter/counters/window-8/sign-in', {});

    // Hall 1's tickets by id, with every ticket route: not found, whoever asks.
    const bodies: Record<string, unknown> = {
      call: { counterId: 'window-8' },
      'call-back': { counterId: 'window-8' },
      transfer: { serviceId: 'tax' },
      complete: {},
      cancel: {},
    };
    for (const path of ['call', 'recall', 'start', 'complete', 'no-show', 'requeue', 'hold', 'call-back', 'transfer', 'cancel']) {
      for (const ticketId of [hall1.waiting, hall1.called, hall1.past]) {
        for (const token of [HALL_2_CLERK, HALL_2_MANAGER]) {
          const answer = await as(token, 'POST', `/v1/counter/tickets/${ticketId}/${path}`, bodies[path]);
          expect(answer, `${path} ${ticketId}`).toEqual(
            token === HALL_2_CLERK && (path === 'call' || path === 'call-back')
              ? // The clerk is not at window-8 (hall 2's manager is): refused before the ticket is even looked at.
                { status: 403, body: { code: 'forbidden', message: expect.any(String) } }
              : { status: 404, body: { code: 'not-found', message: `ticket ${ticketId} not found` } },
          );
        }
      }
    }
    // Hall 2's sweep sweeps hall 2: hall 1's ticket of yesterday stays as it is.
    expect((await as(HALL_2_MANAGER, 'POST', '/v1/counter/sweep')).body).toEqual({ swept: 0 });

    expect([...called].sort()).toEqual(Object.keys(counterRoutes).sort());
    expect(JSON.stringify(seen)).not.toContain(DEMO_HALL_ID);
    for (const id of Object.values(hall1)) expect(JSON.stringify(seen.filter((b) => !JSON.stringify(b).includes('not found')))).not.toContain(id);
    expect(await snapshotHall(DEMO_HALL_ID)).toEqual(before);

    // And hall 1's own manager does sweep hall 1's yesterday.
    expect((await h.request('POST', '/v1/counter/sweep', { token: 'hall-one-manager-key' })).body).toEqual({ swept: 1 });
  });
});
