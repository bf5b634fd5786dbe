/**
 * Model test of the ticket's life (issue 8, "Must show"): fast-check drives random actions by
 * several clerks and a manager on several counters against the real counter domain on a real
 * PostgreSQL, in rounds; the actions of a round run at the same moment on their own connections.
 * After every round:
 * - every outcome (success, or the refusal code) is the one an in-memory model of the table
 *   (ticket-life.ts) gives for some order of the round's actions, and the database holds exactly
 *   the model's state after that order (status, counter, target, service, calls, priority);
 * - replaying the hall's events in commit order, every status change is a move of the table and
 *   no counter ever has two tickets in hand, nor a ticket two counters;
 * - the segments of every ticket tile its life: no gap, no overlap, only the last one open.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TicketStatus } from '../../common/contract/counter-api.js';
import { PortalErrorCode } from '../../common/contract/errors.js';
import { HallEventKind } from '../../common/contract/hall-events.js';
import { StaffRole } from '../../common/contract/route-spec.js';
import { SyncEventType } from '../../common/contract/sync-api.js';
import { Priority, priorityRank } from '../../common/domain/priority.js';
import { NumberSource } from '../../common/domain/ticket-number.js';
import { PortalError } from '../http/portal-error.js';
import { pushEvents } from '../queue/push-events.js';
import { DEMO_HALL_ID, seedDemoHall } from '../seed/demo-hall.js';
import { TEST_DAY, TEST_NOW } from '../test-support/portal-harness.js';
import { startTestPostgres, type TestPostgres } from '../test-support/test-postgres.js';
import type { CounterActor } from './counter-actor.js';
import { CounterOperation, actOnTicket, callNext, changeCounter, type TicketRequest } from './counter-operations.js';
import { actor, hallEventsAfter, lastEventSeq, segmentsOf, tilingProblems } from './counter-test-kit.js';
import { ACTIVE_STATUSES, TICKET_TRANSITIONS, TicketAction, isTableMove } from './ticket-life.js';

const SEED = Number(process.env.COUNTER_MODEL_SEED ?? 8_2025);
const NUM_RUNS = 40;
const NO_SHOW_AFTER = 2;

let db: TestPostgres;
const KIOSK = { hallId: DEMO_HALL_ID, kioskId: 'model-kiosk', kioskDigit: 1 };

/** Each clerk signed in at their own counter; the manager at the general counter. */
const COUNTERS = ['window-1', 'window-2', 'window-8', 'window-7'] as const;
const ACTORS: CounterActor[] = [
  actor(DEMO_HALL_ID, 'clerk-a'),
  actor(DEMO_HALL_ID, 'clerk-b'),
  actor(DEMO_HALL_ID, 'clerk-c'),
  actor(DEMO_HALL_ID, 'boss', StaffRole.Manager),
];
const SERVICES = [
  { id: 'social-insurance', prefix: 'A' },
  { id: 'medical-insurance', prefix: 'B' },
  { id: 'general', prefix: 'K' },
] as const;

beforeAll(async () => {
  db = await startTestPostgres();
  await seedDemoHall(db.pool, { kioskTokens: [{ kioskId: KIOSK.kioskId, token: 'model-kiosk-token', kioskDigit: 1 }], staffToken: 'model-staff-token' });
  await db.pool.query('UPDATE halls SET no_show_after_calls = $1', [NO_SHOW_AFTER]);
});

afterAll(async () => {
  await db.close();
});

// ---------------------------------------------------------------------------------------------
// The model

interface MTicket {
  id: string;
  status: TicketStatus;
  counter: string | null;
  target: string | null;
  service: string;
  callCount: number;
  rank: number;
  /** Place in the line within its class (queue_at, receive_seq), read back from the database. */
  key: number;
}

interface MCounter {
  id: string;
  /** Configured services; empty: all. */
  services: string[];
  staff: string | null;
  paused: boolean;
}

interface MState {
  tickets: Map<string, MTicket>;
  counters: Map<string, MCounter>;
}

type Cmd =
  | { kind: 'call-next'; actor: number; counter: number }
  | { kind: 'ticket'; actor: number; ticket: number; action: Exclude<TicketAction, TicketAction.EndOfDay>; counter: number; to: number; priority: Priority | null }
  | { kind: 'pause' | 'resume'; actor: number; counter: number };

/** The counter a command names: its actor's own (-1), or one of COUNTERS. */
const counterOf = (cmd: Cmd): string => COUNTERS[cmd.counter < 0 ? cmd.actor : cmd.counter] as string;

/** What an action came to: a ticket (or none, for call-next), or a refusal code. */
type Outcome = { ok: true; ticket: string | null } | { ok: false; code: PortalErrorCode };

function clone(s: MState): MState {
  return {
    tickets: new Map([...s.tickets].map(([k, v]) => [k, { ...v }])),
    counters: new Map([...s.counters].map(([k, v]) => [k, { ...v, services: [...v.services] }])),
  };
}

const isManager = (a: CounterActor): boolean => a.role !== StaffRole.Clerk;

function activeAt(s: MState, counterId: string): MTicket | undefined {
  return [...s.tickets.values()].find((t) => t.counter === counterId && ACTIVE_STATUSES.includes(t.status));
}

function inScope(s: MState, a: CounterActor, t: MTicket): boolean {
  if (isManager(a)) return true;
  const held = [TicketStatus.Called, TicketStatus.Serving, TicketStatus.Held, TicketStatus.NoShow].includes(t.status);
  return held && t.counter !== null && s.counters.get(t.counter)?.staff === a.staffId;
}

/** counter-control.ts `lockCounterForCall`, in the model. */
function counterRefusal(s: MState, a: CounterActor, counterId: string): PortalErrorCode | null {
  const c = s.counters.get(counterId);
  if (!c) return PortalErrorCode.NotFound;
  if (c.staff === null) return PortalErrorCode.CounterSignedOut;
  if (!isManager(a) && c.staff !== a.staffId) return PortalErrorCode.Forbidden;
  if (c.paused) return PortalErrorCode.CounterPaused;
  return null;
}

function inLine(s: MState, counterId: string, t: MTicket): boolean {
  if (t.status !== TicketStatus.Waiting) return false;
  if (t.target !== null) return t.target === counterId;
  const services = s.counters.get(counterId)?.services ?? [];
  return services.length === 0 || services.includes(t.service);
}

function line(s: MState, counterId: string): MTicket[] {
  return [...s.tickets.values()].filter((t) => inLine(s, counterId, t)).sort((x, y) => x.rank - y.rank || x.key - y.key);
}

function callTo(t: MTicket, counterId: string): void {
  Object.assign(t, { status: TicketStatus.Called, counter: counterId, callCount: 1, target: null });
}

/**
 * One action on the model (mutating `s`). For call-next at the same moment as other actions,
 * SKIP LOCKED may pass over a ticket another action holds: `picked` is the ticket the portal
 * called, accepted if it is in the counter's line.
 */
function applyModel(s: MState, cmd: Cmd, picked: { strict: boolean; ticket: string | null }): Outcome {
  const a = ACTORS[cmd.actor] as CounterActor;
  const counterId = counterOf(cmd);
  const refuse = (code: PortalErrorCode): Outcome => ({ ok: false, code });
  switch (cmd.kind) {
    case 'pause':
    case 'resume': {
      const c = s.counters.get(counterId);
      if (!c) return refuse(PortalErrorCode.NotFound);
      if (c.staff === null) return refuse(PortalErrorCode.CounterSignedOut);
      if (!isManager(a) && c.staff !== a.staffId) return refuse(PortalErrorCode.Forbidden);
      c.paused = cmd.kind === 'pause';
      return { ok: true, ticket: null };
    }
    case 'call-next': {
      const refused = counterRefusal(s, a, counterId);
      if (refused) return refuse(refused);
      const current = activeAt(s, counterId);
      if (current) {
        if (current.status !== TicketStatus.Called || current.callCount < NO_SHOW_AFTER) return refuse(PortalErrorCode.CounterBusy);
        current.status = TicketStatus.NoShow;
      }
      const waiting = line(s, counterId);
      let next: MTicket | undefined;
      if (picked.strict) next = waiting[0];
      else if (picked.ticket !== null) next = waiting.find((t) => t.id === picked.ticket);
      else next = undefined;
      if (!picked.strict && picked.ticket !== null && !next) return refuse(PortalErrorCode.Internal); // not in the line: no order explains it
      if (!next) return { ok: true, ticket: null };
      callTo(next, counterId);
      return { ok: true, ticket: next.id };
    }
    case 'ticket': {
      const t = [...s.tickets.values()][cmd.ticket % s.tickets.size] as MTicket;
      const action = cmd.action;
      if (action === TicketAction.Call || action === TicketAction.CallBack) {
        const refused = counterRefusal(s, a, counterId);
        if (refused) return refuse(refused);
        if (activeAt(s, counterId)) return refuse(PortalErrorCode.CounterBusy);
      }
      if (!TICKET_TRANSITIONS[action].from.includes(t.status)) return refuse(PortalErrorCode.InvalidTransition);
      const scoped = action !== TicketAction.Call && action !== TicketAction.CallBack;
      if (scoped && !inScope(s, a, t)) return refuse(PortalErrorCode.Forbidden);
      switch (action) {
        case TicketAction.Call: {
          if (t.target !== null && t.target !== counterId) return refuse(PortalErrorCode.Conflict);
          const services = s.counters.get(counterId)?.services ?? [];
          if (t.target !== counterId && services.length > 0 && !services.includes(t.service)) return refuse(PortalErrorCode.Conflict);
          callTo(t, counterId);
          break;
        }
        case TicketAction.CallBack:
          if (t.counter !== counterId) return refuse(PortalErrorCode.Conflict);
          Object.assign(t, { status: TicketStatus.Called, callCount: 1 });
          break;
        case TicketAction.Recall:
          if (t.callCount >= NO_SHOW_AFTER) t.status = TicketStatus.NoShow;
          else t.callCount += 1;
          break;
        case TicketAction.Start:
          t.status = TicketStatus.Serving;
          break;
        case TicketAction.Complete:
          t.status = TicketStatus.Done;
          break;
        case TicketAction.NoShow:
          t.status = TicketStatus.NoShow;
          break;
        case TicketAction.Requeue:
          Object.assign(t, { status: TicketStatus.Waiting, counter: null, target: null, callCount: 0, key: Number.MAX_SAFE_INTEGER });
          break;
        case TicketAction.Hold:
          t.status = TicketStatus.Held;
          break;
        case TicketAction.Transfer: {
          const toCounter = cmd.to >= SERVICES.length;
          Object.assign(t, {
            status: TicketStatus.Waiting,
            callCount: 0,
            service: toCounter ? t.service : (SERVICES[cmd.to] as { id: string }).id,
            target: toCounter ? COUNTERS[(cmd.to - SERVICES.length) % COUNTERS.length] : null,
            rank: cmd.priority === null ? t.rank : priorityRank[cmd.priority],
          });
          break;
        }
        case TicketAction.Cancel:
          t.status = TicketStatus.Cancelled;
          break;
      }
      return { ok: true, ticket: t.id };
    }
  }
}

/** Index of the ticket a counter holds (called or serving, else held there), else 0. */
function ticketAt(s: MState, counterId: string): number {
  const tickets = [...s.tickets.values()];
  const at = (statuses: TicketStatus[]) => tickets.findIndex((t) => t.counter === counterId && statuses.includes(t.status));
  const active = at(ACTIVE_STATUSES as TicketStatus[]);
  return active >= 0 ? active : Math.max(0, at([TicketStatus.Held, TicketStatus.NoShow]));
}

// ---------------------------------------------------------------------------------------------
// The real thing

function requestOf(cmd: Extract<Cmd, { kind: 'ticket' }>): TicketRequest {
  const counterId = counterOf(cmd);
  switch (cmd.action) {
    case TicketAction.Call:
    case TicketAction.CallBack:
      return { action: cmd.action, counterId };
    case TicketAction.Complete:
      return { action: cmd.action, caseNumber: null };
    case TicketAction.Cancel:
      return { action: cmd.action, reason: null };
    case TicketAction.Transfer:
      return {
        action: cmd.action,
        target:
          cmd.to < SERVICES.length
            ? { serviceId: (SERVICES[cmd.to] as { id: string }).id }
            : { counterId: COUNTERS[(cmd.to - SERVICES.length) % COUNTERS.length] as string },
        ...(cmd.priority === null ? {} : { priority: cmd.priority }),
      };
    default:
      return { action: cmd.action };
  }
}

async function run(cmd: Cmd, ticketIds: readonly string[]): Promise<Outcome> {
  const a = ACTORS[cmd.actor] as CounterActor;
  const counterId = counterOf(cmd);
  try {
    switch (cmd.kind) {
      case 'call-next':
        return { ok: true, ticket: (await callNext(db.pool, a, { counterId, serviceIds: [] }, TEST_NOW))?.ticketId ?? null };
      case 'pause':
      case 'resume':
        await changeCounter(db.pool, a, counterId, cmd.kind === 'pause' ? CounterOperation.Pause : CounterOperation.Resume);
        return { ok: true, ticket: null };
      case 'ticket': {
        const ticketId = ticketIds[cmd.ticket % ticketIds.length] as string;
        return { ok: true, ticket: (await actOnTicket(db.pool, a, ticketId, requestOf(cmd), TEST_NOW)).ticketId };
      }
    }
  } catch (err) {
    if (err instanceof PortalError) return { ok: false, code: err.code };
    throw err;
  }
}

const TicketRowShape = (r: Record<string, unknown>) => ({
  id: r.ticket_id as string,
  status: r.status as TicketStatus,
  counter: r.counter_id as string | null,
  target: r.target_counter_id as string | null,
  service: r.service_id as string,
  callCount: r.call_count as number,
  rank: r.priority_rank as number,
});

async function readDb(): Promise<{ tickets: Map<string, MTicket>; counters: Map<string, { staff: string | null; paused: boolean }>; rows: Record<string, unknown>[] }> {
  const rows = (
    await db.pool.query(
      `SELECT ticket_id::text, status, counter_id, target_counter_id, service_id, call_count, priority_rank, received_at
       FROM tickets WHERE hall_id = $1 ORDER BY queue_at, receive_seq`,
      [DEMO_HALL_ID],
    )
  ).rows as Record<string, unknown>[];
  const tickets = new Map(rows.map((r, i) => [r.ticket_id as string, { ...TicketRowShape(r), key: i }]));
  const counters = new Map(
    (await db.pool.query('SELECT counter_id, staff_id, paused FROM counters WHERE hall_id = $1', [DEMO_HALL_ID])).rows.map(
      (r: { counter_id: string; staff_id: string | null; paused: boolean }) => [r.counter_id, { staff: r.staff_id, paused: r.paused }],
    ),
  );
  return { tickets, counters, rows };
}

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

const sameOutcome = (x: Outcome, y: Outcome): boolean => (x.ok && y.ok ? x.ticket === y.ticket : !x.ok && !y.ok && x.code === y.code);

function sameState(model: MState, real: Awaited<ReturnType<typeof readDb>>): boolean {
  for (const [id, t] of model.tickets) {
    const r = real.tickets.get(id);
    if (!r) return false;
    const { key: _k1, ...m } = t;
    const { key: _k2, ...d } = r;
    if (JSON.stringify(m) !== JSON.stringify(d)) return false;
  }
  for (const [id, c] of model.counters) {
    const r = real.counters.get(id);
    if (!r || r.staff !== c.staff || r.paused !== c.paused) return false;
  }
  return true;
}

/** The order of the round that explains every outcome and the database after it, or null. */
function explain(before: MState, cmds: readonly Cmd[], outcomes: readonly Outcome[], real: Awaited<ReturnType<typeof readDb>>): MState | null {
  const strict = cmds.length === 1;
  for (const order of permutations(cmds.map((_, i) => i))) {
    const s = clone(before);
    const fits = order.every((i) => {
      const actual = outcomes[i] as Outcome;
      const predicted = applyModel(s, cmds[i] as Cmd, { strict, ticket: actual.ok ? actual.ticket : null });
      return sameOutcome(predicted, actual);
    });
    if (fits && sameState(s, real)) return s;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// The property

const ACTIONS = Object.values(TicketAction).filter((a): a is Exclude<TicketAction, TicketAction.EndOfDay> => a !== TicketAction.EndOfDay);

/** -1: the actor's own counter (most of the time), else any of the four. */
const counterArb = fc.oneof({ weight: 3, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.nat(3) });

const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('call-next' as const), actor: fc.nat(3), counter: counterArb }) },
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('ticket' as const),
      actor: fc.nat(3),
      // -1: the ticket in the hands of the counter the command names (or held there), if any.
      ticket: fc.oneof({ weight: 2, arbitrary: fc.constant(-1) }, { weight: 3, arbitrary: fc.nat(20) }),
      // Recalls a little more often: the automatic no-show needs the same ticket recalled twice.
      action: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...ACTIONS) }, { weight: 1, arbitrary: fc.constant(TicketAction.Recall) }),
      counter: counterArb,
      to: fc.nat(SERVICES.length + COUNTERS.length - 1),
      priority: fc.constantFrom(null, null, Priority.GreenChannel, Priority.Normal),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('pause' as const, 'resume' as const), actor: fc.nat(3), counter: counterArb }) },
);

const scenarioArb = fc.record({
  tickets: fc.array(fc.constantFrom(0, 0, 1, 2), { minLength: 3, maxLength: 8 }),
  rounds: fc.array(fc.array(cmdArb, { minLength: 1, maxLength: 3 }), { minLength: 8, maxLength: 24 }),
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

const tally = { rounds: 0, concurrentRounds: 0, successes: 0, refusals: new Map<string, number>() };

async function reset(): Promise<void> {
  await db.pool.query('DELETE FROM tickets');
  await db.pool.query(`UPDATE counters SET staff_id = NULL, signed_in_via = NULL, signed_in_at = NULL, paused = false, active_service_ids = '{}'`);
  for (const [i, a] of ACTORS.entries()) await changeCounter(db.pool, a, COUNTERS[i] as string, CounterOperation.SignIn);
}

async function runScenario(scenario: Scenario): Promise<void> {
  await reset();
  const events = scenario.tickets.map((service, i) => {
    const s = SERVICES[service] as { id: string; prefix: string };
    return {
      seq: i + 1,
      eventId: randomUUID(),
      occurredAt: TEST_NOW.toISOString(),
      type: SyncEventType.TicketIssued as const,
      payload: {
        ticketId: randomUUID(),
        serviceId: s.id,
        number: `${s.prefix}1-${String(i + 1).padStart(3, '0')}`,
        numberSource: NumberSource.KioskSeries,
        businessDay: TEST_DAY,
        priority: Priority.Normal,
        issuedAt: TEST_NOW.toISOString(),
        citizenHmac: null,
      },
    };
  });
  const pushed = await pushEvents(db.pool, KIOSK, { dbEpoch: randomUUID(), events }, TEST_NOW);
  expect(pushed.rejected).toEqual([]);
  const ticketIds = events.map((e) => e.payload.ticketId);

  const start = await readDb();
  let model: MState = {
    tickets: start.tickets,
    counters: new Map(
      COUNTERS.map((id) => {
        const c = start.counters.get(id);
        const services = { 'window-1': ['social-insurance'], 'window-2': ['medical-insurance', 'social-insurance'], 'window-8': [], 'window-7': ['general'] }[id];
        return [id, { id, services: [...services], staff: c?.staff ?? null, paused: c?.paused ?? false }];
      }),
    ),
  };
  // The model addresses tickets in the order they were pushed.
  model.tickets = new Map(ticketIds.map((id) => [id, model.tickets.get(id) as MTicket]));
  let seq = await lastEventSeq(db.pool, DEMO_HALL_ID);
  const replay = new Map<string, TicketStatus>(ticketIds.map((id) => [id, TicketStatus.Waiting]));
  const hands = new Map<string, string>(); // counter -> ticket it holds (called or serving)

  for (const generated of scenario.rounds) {
    // "The ticket at my counter" decided on the state before the round, the same for the model and the portal.
    const round = generated.map((cmd) => (cmd.kind === 'ticket' && cmd.ticket < 0 ? { ...cmd, ticket: ticketAt(model, counterOf(cmd)) } : cmd));
    // Settled, all of them, before anything is judged: a failed run must leave nothing running.
    const settled = await Promise.allSettled(round.map((cmd) => run(cmd, ticketIds)));
    const unexpected = settled.find((r) => r.status === 'rejected');
    if (unexpected) throw unexpected.reason;
    const outcomes = settled.map((r) => (r as PromiseFulfilledResult<Outcome>).value);
    const real = await readDb();
    const explained = explain(model, round, outcomes, real);
    expect(explained, `no order of ${JSON.stringify(round)} explains ${JSON.stringify(outcomes)}`).not.toBeNull();
    model = explained as MState;
    // The line's order comes from the data (queue_at, receive_seq), as the portal reads it.
    for (const [id, t] of model.tickets) t.key = real.tickets.get(id)?.key ?? t.key;

    for (const event of await hallEventsAfter(db.pool, DEMO_HALL_ID, seq)) {
      seq = event.seq;
      if (event.kind !== HallEventKind.TicketUpdated) continue;
      const { ticketId, status, counterId } = event.payload;
      const before = replay.get(ticketId) as TicketStatus;
      if (!isTableMove(before, status)) {
        const story = (await hallEventsAfter(db.pool, DEMO_HALL_ID, 0))
          .filter((e) => e.kind === HallEventKind.TicketUpdated && e.payload.ticketId === ticketId)
          .map((e) => `${e.seq}:${'status' in e.payload ? e.payload.status : ''}`);
        expect.fail(`${ticketId}: ${before} -> ${status} in round ${JSON.stringify(round)} -> ${JSON.stringify(outcomes)}; its events ${story.join(' ')}`);
      }
      replay.set(ticketId, status);
      for (const [counter, held] of hands) if (held === ticketId) hands.delete(counter);
      if (ACTIVE_STATUSES.includes(status)) {
        expect(counterId).not.toBeNull();
        expect(hands.get(counterId as string), `${counterId} holds two tickets`).toBeUndefined();
        hands.set(counterId as string, ticketId);
      }
    }
    for (const row of real.rows) {
      const id = row.ticket_id as string;
      expect(replay.get(id)).toBe(row.status);
      const problems = tilingProblems(
        { ticket_id: id, status: row.status as string, received_at: row.received_at as Date },
        await segmentsOf(db.pool, DEMO_HALL_ID, id),
      );
      expect(problems).toEqual([]);
    }

    tally.rounds += 1;
    if (round.length > 1) tally.concurrentRounds += 1;
    for (const o of outcomes) {
      if (o.ok) tally.successes += 1;
      else tally.refusals.set(o.code, (tally.refusals.get(o.code) ?? 0) + 1);
    }
  }
}

describe('the ticket life against a model', () => {
  it(`random actions by clerks on counters, some at the same moment, follow the table (seed ${SEED})`, async () => {
    await fc.assert(fc.asyncProperty(scenarioArb, runScenario), { seed: SEED, numRuns: NUM_RUNS, endOnFailure: true });
    // The runs did exercise the machine, not just generate: moves and refusals of every main kind.
    expect(tally.concurrentRounds).toBeGreaterThan(20);
    expect(tally.successes).toBeGreaterThan(50);
    for (const code of [PortalErrorCode.InvalidTransition, PortalErrorCode.Forbidden, PortalErrorCode.CounterBusy, PortalErrorCode.CounterPaused]) {
      expect(tally.refusals.get(code) ?? 0, code).toBeGreaterThan(0);
    }
    // Both automatic no-shows happened: a recall past the limit, and call-next giving up on a ticket.
    const automatic = await db.pool.query(
      `SELECT detail->>'automatic' AS why, count(*)::int AS n FROM audit_log
       WHERE action = 'ticket.no-show' AND detail ? 'automatic' GROUP BY 1 ORDER BY 1`,
    );
    expect(automatic.rows).toEqual([
      { why: 'call-next past the hall limit of calls', n: expect.any(Number) },
      { why: 'no-show after the hall limit of calls', n: expect.any(Number) },
    ]);
  });
});
