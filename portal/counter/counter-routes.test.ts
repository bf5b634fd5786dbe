import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CallNextResponse,
  CounterResponse,
  CounterState,
  CountersResponse,
  QueueListResponse,
  TicketStatus,
  TicketTransitionResponse,
  type QueueTicket,
} from '../../common/contract/counter-api.js';
import { HallEventKind } from '../../common/contract/hall-events.js';
import { StaffRole } from '../../common/contract/route-spec.js';
import { PushResponse } from '../../common/contract/sync-api.js';
import { Priority } from '../../common/domain/priority.js';
import { NumberSource } from '../../common/domain/ticket-number.js';
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
import { addStaffKey, auditLines, hallEventsAfter, lastEventSeq, segmentsOf, tilingProblems } from './counter-test-kit.js';
import { TICKET_TRANSITIONS, TicketAction } from './ticket-life.js';

/**
 * The counter API over HTTP, on a real PostgreSQL: every transition of the table and every
 * refusal, the counters' rules, the calling order, and what each change tells the hall (audit
 * lines, hall events). Machine clients with staff API keys: the demo key (a clerk), a second
 * clerk and a manager.
 */

let h: PortalHarness;
/** The demo staff API key: clerk `demo-staff`. */
const CLERK = STAFF_TOKEN;
const CLERK_B = 'counter-test-clerk-b-key';
const MANAGER = 'counter-test-manager-key';

beforeAll(async () => {
  h = await startPortalHarness();
  await addStaffKey(h.db.pool, DEMO_HALL_ID, 'clerk-b', StaffRole.Clerk, CLERK_B);
  await addStaffKey(h.db.pool, DEMO_HALL_ID, 'boss', StaffRole.Manager, MANAGER);
});

afterAll(async () => {
  await h.close();
});

beforeEach(async () => {
  await h.db.pool.query('DELETE FROM tickets');
  await h.db.pool.query(
    `UPDATE counters SET staff_id = NULL, signed_in_via = NULL, signed_in_at = NULL, paused = false, active_service_ids = '{}'`,
  );
  await h.db.pool.query('UPDATE halls SET no_show_after_calls = 3');
  await h.db.pool.query('DELETE FROM audit_log');
});

const CITIZEN = 'c0'.repeat(32);
let nextSeries = 100;

/** Pushes tickets one batch each (so receive times are strictly ordered); returns their ids. */
async function push(tickets: Parameters<typeof ticketIssuedEvent>[1][]): Promise<string[]> {
  const dbEpoch = randomUUID();
  const ids: string[] = [];
  for (const [i, t] of tickets.entries()) {
    const event = ticketIssuedEvent(i + 1, { number: `A1-${nextSeries++}`, ...t });
    const answer = await h.request('POST', '/v1/kiosk/events', { token: KIOSK_TOKEN, body: { dbEpoch, events: [event] } });
    expect(PushResponse.parse(answer.body).rejected).toEqual([]);
    ids.push(event.payload.ticketId);
  }
  return ids;
}

function api(token: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<HttpAnswer> {
  return h.request(method, path, { token, ...(body === undefined ? {} : { body }) });
}

async function signIn(token: string, counterId: string, serviceIds: string[] = []): Promise<void> {
  const answer = await api(token, 'POST', `/v1/counter/counters/${counterId}/sign-in`, { serviceIds });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
}

async function callNext(token: string, counterId: string, serviceIds: string[] = []): Promise<QueueTicket | null> {
  const answer = await api(token, 'POST', '/v1/counter/call-next', { counterId, serviceIds });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return CallNextResponse.parse(answer.body).ticket;
}

function act(token: string, ticketId: string, action: string, body?: unknown): Promise<HttpAnswer> {
  return api(token, 'POST', `/v1/counter/tickets/${ticketId}/${action}`, body);
}

async function ok(answer: Promise<HttpAnswer>): Promise<QueueTicket> {
  const a = await answer;
  expect(a.status, JSON.stringify(a.body)).toBe(200);
  return TicketTransitionResponse.parse(a.body).ticket;
}

function refused(status: number, code: string, message?: string) {
  return { status, body: { code, message: message ?? expect.any(String) } };
}

async function queue(token: string, counterId?: string): Promise<QueueListResponse> {
  const answer = await api(token, 'GET', `/v1/counter/queue${counterId ? `?counterId=${counterId}` : ''}`);
  expect(answer.status).toBe(200);
  return QueueListResponse.parse(answer.body);
}

async function ticketRow(ticketId: string): Promise<{ ticket_id: string; status: string; received_at: Date; closed_reason: string | null }> {
  const result = await h.db.pool.query('SELECT ticket_id::text, status, received_at, closed_reason FROM tickets WHERE ticket_id = $1', [ticketId]);
  return result.rows[0] as { ticket_id: string; status: string; received_at: Date; closed_reason: string | null };
}

async function expectTiled(ticketId: string): Promise<void> {
  expect(tilingProblems(await ticketRow(ticketId), await segmentsOf(h.db.pool, DEMO_HALL_ID, ticketId))).toEqual([]);
}

describe('the ticket at the counter', () => {
  it('call-next calls the next ticket to the counter and tells the hall', async () => {
    const [id] = await push([{}]);
    await signIn(CLERK, 'window-1');
    const since = await lastEventSeq(h.db.pool, DEMO_HALL_ID);
    const called = await callNext(CLERK, 'window-1');
    expect(called).toMatchObject({ ticketId: id, status: TicketStatus.Called, counterId: 'window-1', callCount: 1 });
    expect(called?.calledAt).not.toBeNull();

    const events = await hallEventsAfter(h.db.pool, DEMO_HALL_ID, since);
    expect(events.map((e) => e.kind)).toEqual([
      HallEventKind.TicketUpdated,
      HallEventKind.TicketCalled,
      HallEventKind.CounterUpdated,
      HallEventKind.QueueWaiting,
    ]);
    expect(events[1]?.payload).toEqual({
      ticketId: id,
      number: called?.number,
      serviceId: 'social-insurance',
      counterId: 'window-1',
      counterNumber: 1,
      counterName: { zh: '1 号窗口', en: 'Counter 1' },
      callCount: 1,
      recall: false,
    });
    expect(events[2]?.payload).toEqual({ counterId: 'window-1', state: CounterState.Busy });
    expect(events[3]?.payload).toEqual({ counts: [{ serviceId: 'social-insurance', waiting: 0 }] });
    expect(await auditLines(h.db.pool, DEMO_HALL_ID, id)).toEqual([
      expect.objectContaining({ actor_id: 'demo-staff', action: 'ticket.call', outcome: 'ok', detail: expect.objectContaining({ from: 'waiting', to: 'called' }) }),
    ]);
    await expectTiled(id ?? '');
  });

  it('recall counts calls and, past the hall limit, makes the ticket a no-show', async () => {
    await h.db.pool.query('UPDATE halls SET no_show_after_calls = 2');
    const [id = ''] = await push([{}]);
    await signIn(CLERK, 'window-1');
    await callNext(CLERK, 'window-1');
    const since = await lastEventSeq(h.db.pool, DEMO_HALL_ID);
    expect(await ok(act(CLERK, id, 'recall'))).toMatchObject({ status: TicketStatus.Called, callCount: 2 });
    const recallEvents = await hallEventsAfter(h.db.pool, DEMO_HALL_ID, since);
    expect(recallEvents.map((e) => e.kind)).toEqual([HallEventKind.TicketUpdated, HallEventKind.TicketCalled]);
    expect(recallEvents[1]?.payload).toMatchObject({ callCount: 2, recall: true });

    const third = await ok(act(CLERK, id, 'recall'));
    expect(third).toMatchObject({ status: TicketStatus.NoShow, callCount: 2 });
    expect((await auditLines(h.db.pool, DEMO_HALL_ID, id)).map((l) => l.action)).toEqual(['ticket.call', 'ticket.recall', 'ticket.no-show']);
    // The counter is free again.
    const counters = CountersResponse.parse((await api(CLERK, 'GET', '/v1/counter/counters')).body).counters;
    expect(counters.find((c) => c.counterId === 'window-1')).toMatchObject({ state: CounterState.Idle, currentTicket: null });
    expect((await segmentsOf(h.db.pool, DEMO_HALL_ID, id)).map((s) => s.state)).toEqual(['waiting', 'called', 'called', 'no-show']);
    await expectTiled(id);
  });

  it('start, then complete with a case number (办件编号); a machine client may send no body', async () => {
    const [first = '', second = ''] = await push([{}, {}]);
    await signIn(CLERK, 'window-1');
    await callNext(CLERK, 'window-1');
    expect(await ok(act(CLERK, first, 'start'))).toMatchObject({ status: TicketStatus.Serving });
    expect(await ok(act(CLERK, first, 'complete', { caseNumber: 'SB-2025-0001' }))).toMatchObject({
      status: TicketStatus.Done,
      caseNumber: 'SB-2025-0001',
    });
    await callNext(CLERK, 'window-1');
    expect(await ok(act(CLERK, second, 'complete'))).toMatchObject({ status: TicketStatus.Done, caseNumber: null });
    expect((await act(CLERK, second, 'complete', { caseNumber: 'no spaces!' })).status).toBe(400);
    const segments = await segmentsOf(h.db.pool, DEMO_HALL_ID, first);
    expect(segments.map((s) => [s.state, s.counter_id, s.staff_id])).toEqual([
      ['waiting', null, null],
      ['called', 'window-1', 'demo-staff'],
      ['serving', 'window-1', 'demo-staff'],
    ]);
    await expectTiled(first);
    await expectTiled(second);
  });

  it('no-show, then requeue: back in the line at the back of its class, counter cleared', async () => {
    const [a = '', b = '', c = ''] = await push([{}, {}, {}]);
    await signIn(CLERK, 'window-1');
    expect((await callNext(CLERK, 'window-1'))?.ticketId).toBe(a);
    expect(await ok(act(CLERK, a, 'no-show'))).toMatchObject({ status: TicketStatus.NoShow, counterId: 'window-1' });
    expect((await queue(CLERK, 'window-1')).noShows.map((t) => t.ticketId)).toEqual([a]);
    const requeued = await ok(act(CLERK, a, 'requeue'));
    expect(requeued).toMatchObject({ status: TicketStatus.Waiting, counterId: null, callCount: 0 });
    expect(Date.parse(requeued.queueAt)).toBeGreaterThan(Date.parse(requeued.receivedAt));
    expect((await queue(CLERK)).waiting.map((t) => [t.ticketId, t.position])).toEqual([
      [b, 1],
      [c, 2],
      [a, 3],
    ]);
    await expectTiled(a);
  });

  it('hold frees the counter; call back brings the ticket back to the same counter', async () => {
    const [a = '', b = ''] = await push([{}, {}]);
    await signIn(CLERK, 'window-1');
    await callNext(CLERK, 'window-1');
    await ok(act(CLERK, a, 'start'));
    const since = await lastEventSeq(h.db.pool, DEMO_HALL_ID);
    expect(await ok(act(CLERK, a, 'hold'))).toMatchObject({ status: TicketStatus.Held, counterId: 'window-1' });
    expect((await hallEventsAfter(h.db.pool, DEMO_HALL_ID, since)).map((e) => [e.kind, 'state' in e.payload ? e.payload.state : null])).toEqual([
      [HallEventKind.TicketUpdated, null],
      [HallEventKind.CounterUpdated, CounterState.Idle],
    ]);
    expect((await queue(CLERK, 'window-1')).held.map((t) => t.ticketId)).toEqual([a]);
    // The counter calls the next one meanwhile; a call back must wait until it is free again.
    expect((await callNext(CLERK, 'window-1'))?.ticketId).toBe(b);
    expect(await act(CLERK, a, 'call-back', { counterId: 'window-1' })).toEqual(refused(409, 'counter-busy'));
    await ok(act(CLERK, b, 'complete'));
    // Held at window-1: only window-1 calls it back.
    await signIn(CLERK, 'window-2');
    expect(await act(CLERK, a, 'call-back', { counterId: 'window-2' })).toEqual(refused(409, 'conflict'));
    const back = await ok(act(CLERK, a, 'call-back', { counterId: 'window-1' }));
    expect(back).toMatchObject({ status: TicketStatus.Called, counterId: 'window-1', callCount: 1 });
    const events = await hallEventsAfter(h.db.pool, DEMO_HALL_ID, since);
    expect(events.filter((e) => e.kind === HallEventKind.TicketCalled).at(-1)?.payload).toMatchObject({ ticketId: a, recall: false });
    expect((await segmentsOf(h.db.pool, DEMO_HALL_ID, a)).map((s) => s.state)).toEqual(['waiting', 'called', 'serving', 'held', 'called']);
    await expectTiled(a);
  });

  it('transfer to another service keeps the number and the time waited; a new priority moves it up', async () => {
    const [a = ''] = await push([{}, { serviceId: 'medical-insurance', number: 'B1-500' }, { serviceId: 'medical-insurance', number: 'B1-501' }]);
    await signIn(CLERK, 'window-1');
    const called = await callNext(CLERK, 'window-1');
    expect(called?.ticketId).toBe(a);
    const moved = await ok(act(CLERK, a, 'transfer', { serviceId: 'medical-insurance' }));
    expect(moved).toMatchObject({ status: TicketStatus.Waiting, serviceId: 'medical-insurance', number: called?.number, callCount: 0 });
    expect(moved.queueAt).toBe(called?.queueAt);
    // It was received first: it heads the medical-insurance line, ahead of B1-500.
    expect((await queue(CLERK)).waiting.filter((t) => t.serviceId === 'medical-insurance').map((t) => t.number)).toEqual([
      called?.number,
      'B1-500',
      'B1-501',
    ]);
    // A clerk may grant the green channel while transferring: C jumps the line of its class.
    await signIn(CLERK_B, 'window-2', ['medical-insurance']);
    expect((await callNext(CLERK_B, 'window-2'))?.ticketId).toBe(a);
    await ok(act(CLERK_B, a, 'complete'));
    expect((await callNext(CLERK_B, 'window-2'))?.number).toBe('B1-500');
    const up = await ok(act(CLERK_B, (await queue(CLERK_B)).active[0]?.ticketId ?? '', 'transfer', { serviceId: 'medical-insurance', priority: Priority.GreenChannel }));
    expect(up.priority).toBe(Priority.GreenChannel);
    expect((await queue(CLERK_B)).waiting.map((t) => t.number)).toEqual(['B1-500', 'B1-501']);
    expect((await segmentsOf(h.db.pool, DEMO_HALL_ID, a)).map((s) => [s.state, s.service_id])).toEqual([
      ['waiting', 'social-insurance'],
      ['called', 'social-insurance'],
      ['waiting', 'medical-insurance'],
      ['called', 'medical-insurance'],
    ]);
    await expectTiled(a);
  });

  it('transfer to a counter: only that counter calls the ticket, whatever its services', async () => {
    const [a = '', b = ''] = await push([{}, {}]);
    await signIn(CLERK, 'window-1');
    await signIn(CLERK_B, 'window-3');
    await callNext(CLERK, 'window-1');
    expect(await ok(act(CLERK, a, 'transfer', { counterId: 'window-3' }))).toMatchObject({ status: TicketStatus.Waiting, targetCounterId: 'window-3' });
    expect((await queue(CLERK_B, 'window-3')).waiting.map((t) => t.ticketId)).toEqual([a]);
    // window-1 skips it (it waits for window-3) and calls the next one.
    expect((await callNext(CLERK, 'window-1'))?.ticketId).toBe(b);
    // window-3 serves housing and real estate, yet calls it: it was sent there.
    expect(await callNext(CLERK_B, 'window-3')).toMatchObject({ ticketId: a, counterId: 'window-3', targetCounterId: null });
    expect(await act(CLERK, a, 'transfer', { serviceId: 'tax', counterId: 'window-1' })).toMatchObject({ status: 400 });
    expect(await act(MANAGER, a, 'transfer', { counterId: 'window-99' })).toEqual(refused(404, 'not-found'));
    expect(await act(MANAGER, a, 'transfer', { serviceId: 'nope' })).toEqual(refused(404, 'unknown-service'));
  });

  it('cancel: a clerk cancels a ticket at their counter, a manager any waiting ticket', async () => {
    const [a = '', b = ''] = await push([{}, {}]);
    await signIn(CLERK, 'window-1');
    await callNext(CLERK, 'window-1');
    expect(await ok(act(CLERK, a, 'cancel', { reason: 'visitor left' }))).toMatchObject({ status: TicketStatus.Cancelled });
    expect(await act(CLERK, b, 'cancel')).toEqual(refused(403, 'forbidden'));
    expect(await ok(act(MANAGER, b, 'cancel'))).toMatchObject({ status: TicketStatus.Cancelled });
    const rows = await h.db.pool.query('SELECT closed_reason FROM tickets WHERE ticket_id = ANY($1::uuid[])', [[a, b]]);
    expect(rows.rows).toEqual([{ closed_reason: 'staff' }, { closed_reason: 'staff' }]);
    expect((await auditLines(h.db.pool, DEMO_HALL_ID, a)).at(-1)).toMatchObject({ action: 'ticket.cancel', detail: expect.objectContaining({ reason: 'visitor left' }) });
    await expectTiled(a);
    await expectTiled(b);
  });

  it('calls a given waiting ticket out of order, if the counter serves its service', async () => {
    const [a = '', b = '', tax = ''] = await push([{}, {}, { serviceId: 'tax', number: 'G1-100' }]);
    await signIn(CLERK, 'window-1');
    expect(await ok(act(CLERK, b, 'call', { counterId: 'window-1' }))).toMatchObject({ ticketId: b, status: TicketStatus.Called });
    await ok(act(CLERK, b, 'complete'));
    expect(await act(CLERK, tax, 'call', { counterId: 'window-1' })).toEqual(refused(409, 'conflict', 'counter window-1 does not serve tax'));
    expect((await queue(CLERK)).waiting.map((t) => t.ticketId)).toEqual([a, tax]);
  });

  it('refuses every action from every state the table does not allow, with 409 invalid-transition', async () => {
    // One ticket in each state, at counters signed in by the manager; calls go to window-2, kept free.
    await signIn(MANAGER, 'window-8');
    await signIn(MANAGER, 'window-1');
    await signIn(MANAGER, 'window-2');
    const [waiting = '', called = '', serving = '', held = '', noShow = '', done = '', cancelled = ''] = await push([{}, {}, {}, {}, {}, {}, {}]);
    const at = { counterId: 'window-8' };
    await ok(act(MANAGER, called, 'call', { counterId: 'window-1' }));
    await ok(act(MANAGER, held, 'call', at));
    await ok(act(MANAGER, held, 'hold'));
    await ok(act(MANAGER, noShow, 'call', at));
    await ok(act(MANAGER, noShow, 'no-show'));
    await ok(act(MANAGER, done, 'call', at));
    await ok(act(MANAGER, done, 'complete'));
    await ok(act(MANAGER, cancelled, 'cancel'));
    await ok(act(MANAGER, serving, 'call', at));
    await ok(act(MANAGER, serving, 'start'));
    const byStatus: Record<TicketStatus, string> = {
      [TicketStatus.Waiting]: waiting,
      [TicketStatus.Called]: called,
      [TicketStatus.Serving]: serving,
      [TicketStatus.Held]: held,
      [TicketStatus.NoShow]: noShow,
      [TicketStatus.Done]: done,
      [TicketStatus.Cancelled]: cancelled,
    };
    const routes: Partial<Record<TicketAction, { path: string; body?: unknown }>> = {
      [TicketAction.Call]: { path: 'call', body: { counterId: 'window-2' } },
      [TicketAction.Recall]: { path: 'recall' },
      [TicketAction.Start]: { path: 'start' },
      [TicketAction.Complete]: { path: 'complete' },
      [TicketAction.NoShow]: { path: 'no-show' },
      [TicketAction.Requeue]: { path: 'requeue' },
      [TicketAction.Hold]: { path: 'hold' },
      [TicketAction.CallBack]: { path: 'call-back', body: { counterId: 'window-2' } },
      [TicketAction.Transfer]: { path: 'transfer', body: { serviceId: 'social-insurance' } },
      [TicketAction.Cancel]: { path: 'cancel' },
    };
    let refusals = 0;
    for (const [action, route] of Object.entries(routes) as [TicketAction, { path: string; body?: unknown }][]) {
      for (const status of Object.values(TicketStatus)) {
        if (TICKET_TRANSITIONS[action].from.includes(status)) continue;
        const answer = await act(MANAGER, byStatus[status], route.path, route.body);
        expect(answer, `${action} from ${status}`).toEqual(refused(409, 'invalid-transition', expect.stringContaining(`is ${status}; only a`)));
        refusals += 1;
      }
    }
    expect(refusals).toBe(53);
    // Nothing moved, nothing was told: every ticket is still where it was.
    const statuses = await h.db.pool.query('SELECT ticket_id::text AS id, status FROM tickets');
    expect(Object.fromEntries(statuses.rows.map((r: { id: string; status: string }) => [r.id, r.status]))).toEqual(
      Object.fromEntries(Object.entries(byStatus).map(([status, id]) => [id, status])),
    );
    const refusedLines = (await auditLines(h.db.pool, DEMO_HALL_ID)).filter((l) => l.outcome === 'refused' && l.detail.code === 'invalid-transition');
    expect(refusedLines).toHaveLength(53);
  });

  it('answers 404 for an unknown ticket and 400 for a malformed id', async () => {
    const unknown = randomUUID();
    expect(await act(MANAGER, unknown, 'complete')).toEqual(refused(404, 'not-found', `ticket ${unknown} not found`));
    const malformed = await act(MANAGER, 'not-a-uuid', 'complete');
    expect(malformed).toEqual(refused(400, 'bad-request', 'invalid path: ticketId: Invalid UUID'));
  });
});

describe('counters', () => {
  it('signs in with a choice of services, pauses, resumes and signs out, each state told to the hall', async () => {
    const since = await lastEventSeq(h.db.pool, DEMO_HALL_ID);
    const signedIn = await api(CLERK, 'POST', '/v1/counter/counters/window-2/sign-in', { serviceIds: ['medical-insurance'] });
    expect(CounterResponse.parse(signedIn.body).counter).toMatchObject({
      counterId: 'window-2',
      number: 2,
      state: CounterState.Idle,
      staffId: 'demo-staff',
      staffName: null,
      serviceIds: ['medical-insurance', 'social-insurance'],
      activeServiceIds: ['medical-insurance'],
      currentTicket: null,
    });
    expect(CounterResponse.parse((await api(CLERK, 'POST', '/v1/counter/counters/window-2/pause')).body).counter.state).toBe(CounterState.Paused);
    expect(await api(CLERK, 'POST', '/v1/counter/call-next', { counterId: 'window-2' })).toEqual(refused(409, 'counter-paused'));
    expect(CounterResponse.parse((await api(CLERK, 'POST', '/v1/counter/counters/window-2/resume')).body).counter.state).toBe(CounterState.Idle);
    expect(CounterResponse.parse((await api(CLERK, 'POST', '/v1/counter/counters/window-2/sign-out')).body).counter.state).toBe(
      CounterState.SignedOut,
    );
    expect((await hallEventsAfter(h.db.pool, DEMO_HALL_ID, since)).map((e) => ('state' in e.payload ? e.payload.state : e.kind))).toEqual([
      CounterState.Idle,
      CounterState.Paused,
      CounterState.Idle,
      CounterState.SignedOut,
    ]);
    expect((await auditLines(h.db.pool, DEMO_HALL_ID, 'window-2')).map((l) => [l.action, l.outcome])).toEqual([
      ['counter.sign-in', 'ok'],
      ['counter.pause', 'ok'],
      ['ticket.call', 'refused'],
      ['counter.resume', 'ok'],
      ['counter.sign-out', 'ok'],
    ]);
  });

  it('calls only from the services chosen at sign-in, and refuses services the counter does not serve', async () => {
    await push([{}, { serviceId: 'medical-insurance', number: 'B1-700' }]);
    await signIn(CLERK, 'window-2', ['medical-insurance']);
    expect((await callNext(CLERK, 'window-2'))?.number).toBe('B1-700');
    expect(await api(CLERK, 'POST', '/v1/counter/counters/window-1/sign-in', { serviceIds: ['tax'] })).toEqual(refused(404, 'unknown-service'));
    await signIn(CLERK_B, 'window-1');
    expect(await api(CLERK_B, 'POST', '/v1/counter/call-next', { counterId: 'window-1', serviceIds: ['tax'] })).toEqual(
      refused(404, 'unknown-service', 'counter window-1 does not serve tax'),
    );
  });

  it('refuses calls at a counter nobody is signed in at, or someone else is', async () => {
    await push([{}]);
    expect(await api(CLERK, 'POST', '/v1/counter/call-next', { counterId: 'window-1' })).toEqual(refused(409, 'counter-signed-out'));
    expect(await api(CLERK, 'POST', '/v1/counter/call-next', { counterId: 'window-77' })).toEqual(refused(404, 'not-found'));
    await signIn(CLERK, 'window-1');
    expect(await api(CLERK_B, 'POST', '/v1/counter/counters/window-1/sign-in', {})).toEqual(refused(409, 'counter-taken'));
    expect(await api(CLERK_B, 'POST', '/v1/counter/call-next', { counterId: 'window-1' })).toEqual(refused(403, 'forbidden'));
    expect(await api(CLERK_B, 'POST', '/v1/counter/counters/window-1/pause')).toEqual(refused(403, 'forbidden'));
    expect(await api(CLERK_B, 'POST', '/v1/counter/counters/window-1/sign-out')).toEqual(refused(403, 'forbidden'));
    // A manager may call to any signed-in counter, and sign out a clerk who walked away.
    expect(await callNext(MANAGER, 'window-1')).toMatchObject({ counterId: 'window-1' });
    expect(await api(MANAGER, 'POST', '/v1/counter/counters/window-1/sign-out')).toEqual(refused(409, 'counter-busy'));
  });

  it('call-next on a busy counter: refused, unless its ticket has had the hall number of calls', async () => {
    const [a = '', b = ''] = await push([{}, {}]);
    await signIn(CLERK, 'window-1');
    await callNext(CLERK, 'window-1');
    expect(await api(CLERK, 'POST', '/v1/counter/call-next', { counterId: 'window-1' })).toEqual(refused(409, 'counter-busy'));
    await ok(act(CLERK, a, 'recall'));
    await ok(act(CLERK, a, 'recall'));
    // Three calls made: call-next gives up on A (no-show) and calls B.
    expect((await callNext(CLERK, 'window-1'))?.ticketId).toBe(b);
    expect((await ticketRow(a)).status).toBe(TicketStatus.NoShow);
    expect((await auditLines(h.db.pool, DEMO_HALL_ID, a)).at(-1)).toMatchObject({ action: 'ticket.no-show', detail: expect.objectContaining({ automatic: expect.any(String) }) });
    // Serving is never given up on.
    await ok(act(CLERK, b, 'start'));
    expect(await api(CLERK, 'POST', '/v1/counter/call-next', { counterId: 'window-1' })).toEqual(refused(409, 'counter-busy'));
  });

  it('a clerk acts only on tickets at their own counter; a manager on any', async () => {
    const [a = ''] = await push([{}]);
    await signIn(CLERK, 'window-1');
    await callNext(CLERK, 'window-1');
    for (const action of ['recall', 'start', 'complete', 'no-show', 'hold', 'cancel']) {
      expect(await act(CLERK_B, a, action), action).toEqual(refused(403, 'forbidden'));
    }
    expect(await act(CLERK_B, a, 'transfer', { serviceId: 'tax' })).toEqual(refused(403, 'forbidden'));
    expect((await ticketRow(a)).status).toBe(TicketStatus.Called);
    expect(await ok(act(MANAGER, a, 'start'))).toMatchObject({ status: TicketStatus.Serving });
  });

  it('lists the counters with their derived state and current ticket', async () => {
    const [a = ''] = await push([{}]);
    await signIn(CLERK, 'window-1');
    await signIn(CLERK_B, 'window-2');
    await api(CLERK_B, 'POST', '/v1/counter/counters/window-2/pause');
    await callNext(CLERK, 'window-1');
    const counters = CountersResponse.parse((await api(CLERK, 'GET', '/v1/counter/counters')).body).counters;
    expect(counters.map((c) => [c.counterId, c.state, c.currentTicket?.ticketId ?? null])).toEqual([
      ['window-1', CounterState.Busy, a],
      ['window-2', CounterState.Paused, null],
      ['window-3', CounterState.SignedOut, null],
      ['window-4', CounterState.SignedOut, null],
      ['window-5', CounterState.SignedOut, null],
      ['window-6', CounterState.SignedOut, null],
      ['window-7', CounterState.SignedOut, null],
      ['window-8', CounterState.SignedOut, null],
    ]);
    expect(counters[7]?.serviceIds).toEqual([]);
  });
});

describe('the calling order, shown with its reasons', () => {
  it('priority class first; within appointments, the appointment time; then the portal receive time', async () => {
    // Two appointments: the later window (14:00) pushed first, the earlier one (10:30) second.
    const late = await bookAppointment(h, { windowStart: '2025-03-10T06:00:00.000Z', windowEnd: '2025-03-10T06:30:00.000Z' });
    const early = await bookAppointment(h, {
      idNumber: '440304199001011233',
      windowStart: '2025-03-10T02:30:00.000Z',
      windowEnd: '2025-03-10T03:00:00.000Z',
    });
    await push([
      { number: 'A1-001' },
      { number: 'A1-002', priority: Priority.Appointment, citizenHmac: late.citizenHmac },
      { number: 'A1-003', priority: Priority.Elderly, citizenHmac: CITIZEN },
      { number: 'A1-004', priority: Priority.Appointment, citizenHmac: early.citizenHmac, maskedName: '张*三' },
      { number: 'A1-005' },
    ]);
    const { waiting } = await queue(CLERK);
    expect(waiting.map((t) => [t.position, t.number, t.priority, t.appointmentAt])).toEqual([
      [1, 'A1-004', Priority.Appointment, '2025-03-10T02:30:00.000Z'],
      [2, 'A1-002', Priority.Appointment, '2025-03-10T06:00:00.000Z'],
      [3, 'A1-003', Priority.Elderly, null],
      [4, 'A1-001', Priority.Normal, null],
      [5, 'A1-005', Priority.Normal, null],
    ]);
    expect(waiting[0]?.maskedName).toBe('张*三');
    for (const t of waiting) expect(t.queueAt).toBe(t.receivedAt);
    await signIn(CLERK, 'window-1');
    const called: (string | undefined)[] = [];
    for (let i = 0; i < 6; i++) {
      const t = await callNext(CLERK, 'window-1');
      called.push(t?.number);
      if (t) await ok(act(CLERK, t.ticketId, 'complete'));
    }
    expect(called).toEqual(['A1-004', 'A1-002', 'A1-003', 'A1-001', 'A1-005', undefined]);
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
    const first = (leased.body as { band: { firstSequence: number } }).band.firstSequence;
    const band = (i: number) => `E${first + i}`;
    const tickets: Parameters<typeof ticketIssuedEvent>[1][] = [
      { number: 'E001', numberSource: NumberSource.Portal, ticketId: online[0] },
      { number: 'E1-001', numberSource: NumberSource.KioskSeries },
      { number: band(0), numberSource: NumberSource.Band },
      { number: 'E1-002', numberSource: NumberSource.KioskSeries, priority: Priority.Elderly, citizenHmac: CITIZEN },
      { number: 'E002', numberSource: NumberSource.Portal, ticketId: online[1] },
      { number: 'E1-003', numberSource: NumberSource.KioskSeries },
      { number: band(1), numberSource: NumberSource.Band, priority: Priority.Elderly, citizenHmac: CITIZEN },
    ].map((t) => ({ serviceId: 'business-registration', ...t }));
    // One batch: the receive order is the batch's seq order, even within one clock tick.
    const events = tickets.map((t, i) => ticketIssuedEvent(i + 1, t));
    const answer = await h.request('POST', '/v1/kiosk/events', { token: KIOSK_TOKEN, body: { dbEpoch, events } });
    expect(PushResponse.parse(answer.body)).toMatchObject({ lastSeq: 7, rejected: [] });
    await signIn(CLERK, 'window-4');
    const called: (string | undefined)[] = [];
    for (let i = 0; i < tickets.length; i++) {
      const t = await callNext(CLERK, 'window-4');
      called.push(t?.number);
      if (t) await ok(act(CLERK, t.ticketId, 'complete'));
    }
    expect(called).toEqual(['E1-002', band(1), 'E001', 'E1-001', band(0), 'E002', 'E1-003']);
  });

  it('skips a ticket another counter holds locked instead of waiting for it', async () => {
    const [a = '', b = ''] = await push([{}, {}]);
    await signIn(CLERK, 'window-1');
    const holder = await h.db.pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM tickets WHERE ticket_id = $1 FOR UPDATE', [a]);
      // Without SKIP LOCKED this call would wait until the holder commits.
      expect((await callNext(CLERK, 'window-1'))?.ticketId).toBe(b);
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
    await ok(act(CLERK, b, 'complete'));
    expect((await callNext(CLERK, 'window-1'))?.ticketId).toBe(a);
  });

  it("never calls another day's ticket, past or tomorrow's", async () => {
    const before = h.now;
    try {
      // 02:30 in Shanghai on the 11th, still the 10th (the day starts at 03:00): tomorrow's tickets are taken.
      h.now = new Date('2025-03-10T18:30:00.000Z');
      const [old = ''] = await push([{ businessDay: '2025-03-09' }, { businessDay: '2025-03-11' }]);
      await signIn(CLERK, 'window-1');
      expect(await callNext(CLERK, 'window-1')).toBeNull();
      expect(await act(CLERK, old, 'call', { counterId: 'window-1' })).toEqual(refused(409, 'invalid-transition', expect.stringContaining('business day 2025-03-09')));
    } finally {
      h.now = before;
    }
  });

  it('lists a counter’s line, its held tickets and no-shows, and the hall’s active tickets', async () => {
    const [a = '', b = '', , d = ''] = await push([{}, {}, { serviceId: 'tax', number: 'G1-200' }, {}]);
    await signIn(CLERK, 'window-1');
    await signIn(CLERK_B, 'window-2');
    await callNext(CLERK, 'window-1');
    await ok(act(CLERK, a, 'hold'));
    await callNext(CLERK, 'window-1');
    await ok(act(CLERK, b, 'no-show'));
    await callNext(CLERK_B, 'window-2');
    const mine = await queue(CLERK, 'window-1');
    expect(mine.waiting).toEqual([]);
    expect(mine.held.map((t) => t.ticketId)).toEqual([a]);
    expect(mine.noShows.map((t) => t.ticketId)).toEqual([b]);
    expect(mine.active.map((t) => [t.ticketId, t.counterId])).toEqual([[d, 'window-2']]);
    expect(mine.noShowAfterCalls).toBe(3);
    const hall = await queue(CLERK);
    expect(hall.waiting.map((t) => t.number)).toEqual(['G1-200']);
    expect(await api(CLERK, 'GET', '/v1/counter/queue?counterId=window-99')).toEqual(refused(404, 'not-found'));
  });
});

describe('the push path', () => {
  it('opens each pushed ticket’s first segment, keeps the masked name, and tells the hall the new counts once per batch', async () => {
    const since = await lastEventSeq(h.db.pool, DEMO_HALL_ID);
    const events = [
      ticketIssuedEvent(1, { number: 'A1-900', maskedName: '李*' }),
      ticketIssuedEvent(2, { number: 'A1-901' }),
      ticketIssuedEvent(3, { number: 'B1-900', serviceId: 'medical-insurance' }),
      ticketIssuedEvent(4, { number: 'A1-902', businessDay: '2025-03-09' }),
    ];
    const answer = await h.request('POST', '/v1/kiosk/events', { token: KIOSK_TOKEN, body: { dbEpoch: randomUUID(), events } });
    expect(PushResponse.parse(answer.body).rejected).toEqual([]);
    const told = await hallEventsAfter(h.db.pool, DEMO_HALL_ID, since);
    expect(told.map((e) => e.payload)).toEqual([
      { counts: [{ serviceId: 'social-insurance', waiting: 2 }, { serviceId: 'medical-insurance', waiting: 1 }] },
    ]);
    for (const event of events) await expectTiled(event.payload.ticketId);
    const named = await h.db.pool.query('SELECT masked_name FROM tickets WHERE number = $1', ['A1-900']);
    expect(named.rows).toEqual([{ masked_name: '李*' }]);
  });
});

describe('the end-of-day sweep', () => {
  it('cancels what past days left unfinished, keeps no-shows, closes every open segment at the day’s end; idempotent', async () => {
    const before = h.now;
    try {
      await signIn(MANAGER, 'window-8');
      const [waiting = '', serving = '', held = '', noShow = '', done = ''] = await push([{}, {}, {}, {}, {}]);
      const at = { counterId: 'window-8' };
      await ok(act(MANAGER, held, 'call', at));
      await ok(act(MANAGER, held, 'hold'));
      await ok(act(MANAGER, noShow, 'call', at));
      await ok(act(MANAGER, noShow, 'no-show'));
      await ok(act(MANAGER, done, 'call', at));
      await ok(act(MANAGER, done, 'complete'));
      await ok(act(MANAGER, serving, 'call', at));
      await ok(act(MANAGER, serving, 'start'));
      // Today's tickets are not swept.
      expect(await api(MANAGER, 'POST', '/v1/counter/sweep')).toEqual({ status: 200, body: { swept: 0 } });
      await ok(act(MANAGER, serving, 'hold'));
      await ok(act(MANAGER, serving, 'call-back', at));
      await ok(act(MANAGER, serving, 'start'));

      // All of that happened on the 10th: the database clock is today's real one, the portal's the
      // test's, so the day's times are moved back to it (every time by the same amount: the
      // segments still tile).
      const shifted = await h.db.pool.query("SELECT (now() - '2025-03-10T03:00:00Z'::timestamptz)::text AS shift");
      const shift = `'${(shifted.rows[0] as { shift: string }).shift}'::interval`;
      await h.db.pool.query(
        `UPDATE tickets SET received_at = received_at - ${shift}, queue_at = queue_at - ${shift}, updated_at = updated_at - ${shift},
           called_at = called_at - ${shift}, finished_at = finished_at - ${shift}`,
      );
      await h.db.pool.query(`UPDATE ticket_segments SET started_at = started_at - ${shift}, ended_at = ended_at - ${shift}`);
      // The next morning (the day started at 03:00 Shanghai, 19:00 UTC).
      h.now = new Date('2025-03-11T01:00:00.000Z');
      const since = await lastEventSeq(h.db.pool, DEMO_HALL_ID);
      expect(await api(CLERK, 'POST', '/v1/counter/sweep')).toEqual(refused(403, 'forbidden'));
      expect(await api(MANAGER, 'POST', '/v1/counter/sweep')).toEqual({ status: 200, body: { swept: 3 } });
      expect(await api(MANAGER, 'POST', '/v1/counter/sweep')).toEqual({ status: 200, body: { swept: 0 } });

      const rows = await h.db.pool.query('SELECT ticket_id::text AS id, status, closed_reason FROM tickets');
      expect(Object.fromEntries(rows.rows.map((r: { id: string; status: string; closed_reason: string | null }) => [r.id, [r.status, r.closed_reason]]))).toEqual({
        [waiting]: ['cancelled', 'end-of-day'],
        [serving]: ['cancelled', 'end-of-day'],
        [held]: ['cancelled', 'end-of-day'],
        [noShow]: ['no-show', null],
        [done]: ['done', null],
      });
      const dayEnd = new Date(`${TEST_DAY}T19:00:00.000Z`);
      for (const id of [waiting, serving, held, done]) await expectTiled(id);
      for (const id of [waiting, serving, held, noShow]) {
        expect((await segmentsOf(h.db.pool, DEMO_HALL_ID, id)).at(-1)?.ended_at).toEqual(dayEnd);
      }
      // window-8's serving ticket is gone: the counter is idle again, and the hall is told.
      expect((await hallEventsAfter(h.db.pool, DEMO_HALL_ID, since)).map((e) => e.payload)).toEqual([{ counterId: 'window-8', state: CounterState.Idle }]);
      expect((await auditLines(h.db.pool, DEMO_HALL_ID)).filter((l) => l.action === 'tickets.end-of-day')).toEqual([
        expect.objectContaining({ actor_id: 'boss', outcome: 'ok', detail: expect.objectContaining({ tickets: 3 }) }),
      ]);
    } finally {
      h.now = before;
    }
  });
});
