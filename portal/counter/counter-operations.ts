import type pg from 'pg';
import { TicketStatus, type CounterView, type QueueTicket } from '../../common/contract/counter-api.js';
import { PortalErrorCode } from '../../common/contract/errors.js';
import type { HallEvent } from '../../common/contract/hall-events.js';
import type { Priority } from '../../common/domain/priority.js';
import { openCaseOnCompletion } from '../cases/case-operations.js';
import { withTransaction } from '../db/transaction.js';
import { PortalError } from '../http/portal-error.js';
import { emitHallEvents } from '../realtime/emit-hall-event.js';
import { recordAudit } from '../staff/audit.js';
import { auditActorOf, type CounterActor } from './counter-actor.js';
import { counterBusy, lockCounterForCall, setPaused, signIn, signOut, type CounterChange } from './counter-control.js';
import { callableServices, readCounter, readCounters, servesService, toCounterView, type CounterWithTicket } from './counter-row.js';
import { HallEffects, counterUpdated, recordTransition } from './hall-effects.js';
import { callingOrderOf } from './queue-order.js';
import { hallNow, hallNowOf, readQueue, type QueueView } from './queue-read.js';
import { TicketAction } from './ticket-life.js';
import { applyTransition, type TransferTarget, type TransitionInput, type TransitionOutcome } from './ticket-transitions.js';

/**
 * The counter domain's operations, each one transaction: the change, its audit line and its hall
 * events commit together or not at all. A refused request (a coded PortalError) rolls back and is
 * then written to the audit log on its own, as refused.
 */

/** A transition as a request asks for it; calls and call backs name their counter. */
export type TicketRequest =
  | { action: TicketAction.Call | TicketAction.CallBack; counterId: string }
  | { action: TicketAction.Recall | TicketAction.Start | TicketAction.NoShow | TicketAction.Hold | TicketAction.Requeue }
  | { action: TicketAction.Cancel; reason: string | null }
  | { action: TicketAction.Complete; caseNumber: string | null }
  | { action: TicketAction.Transfer; target: TransferTarget; priority?: Priority | undefined };

async function refusedToAudit(pool: pg.Pool, actor: CounterActor, action: string, target: string | null, err: unknown): Promise<void> {
  if (!(err instanceof PortalError)) return;
  await recordAudit(pool, {
    hallId: actor.hallId,
    actor: auditActorOf(actor),
    action,
    target,
    detail: { code: err.code, message: err.message },
    outcome: 'refused',
  }).catch(() => undefined);
}

/** Runs `work` in a transaction; a coded refusal is audited after the rollback, then rethrown. */
async function audited<T>(
  pool: pg.Pool,
  actor: CounterActor,
  action: string,
  target: string | null,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  try {
    return await withTransaction(pool, work);
  } catch (err) {
    await refusedToAudit(pool, actor, action, target, err);
    throw err;
  }
}

/** The transfer's target must be an open service or an enabled counter of the hall. */
async function checkTransferTarget(client: pg.PoolClient, hallId: string, target: TransferTarget): Promise<void> {
  if (target.serviceId !== undefined) {
    const found = await client.query('SELECT 1 FROM services WHERE hall_id = $1 AND service_id = $2 AND enabled', [hallId, target.serviceId]);
    if (found.rows.length === 0) throw new PortalError(PortalErrorCode.UnknownService, `service ${target.serviceId} is not open in this hall`);
    return;
  }
  const found = await client.query('SELECT 1 FROM counters WHERE hall_id = $1 AND counter_id = $2 AND enabled', [hallId, target.counterId]);
  if (found.rows.length === 0) throw new PortalError(PortalErrorCode.NotFound, `counter ${target.counterId} not found`);
}

/** The counter a call goes to: ready to call (counter-control.ts) and free. */
async function freeCounterForCall(client: pg.PoolClient, actor: CounterActor, counterId: string): Promise<CounterWithTicket> {
  const counter = await lockCounterForCall(client, actor, counterId);
  if (counter.current) throw counterBusy(counter);
  return counter;
}

/** One transition of one ticket (everything but call-next), with its audit line and events. */
export async function actOnTicket(pool: pg.Pool, actor: CounterActor, ticketId: string, request: TicketRequest, now: Date): Promise<QueueTicket> {
  return audited(pool, actor, `ticket.${request.action}`, ticketId, async (client) => {
    const { today } = await hallNow(client, actor.hallId, now);
    let input: TransitionInput;
    switch (request.action) {
      case TicketAction.Call:
      case TicketAction.CallBack:
        // The counter first, then the ticket: the order call-next takes its locks in.
        input = { action: request.action, counter: await freeCounterForCall(client, actor, request.counterId) };
        break;
      case TicketAction.Transfer:
        await checkTransferTarget(client, actor.hallId, request.target);
        input = request;
        break;
      case TicketAction.Cancel:
        input = { action: TicketAction.Cancel };
        break;
      default:
        input = request;
    }
    const outcome = await applyTransition(client, actor, ticketId, input, today);
    if (request.action === TicketAction.Complete && request.caseNumber !== null) {
      // 办件: the case opens in this same transaction (portal/cases/); a case number the hall has
      // already refuses the completion with it (409 duplicate-case-number), so nothing half-happens.
      const { serviceId } = outcome.ticket;
      await openCaseOnCompletion(client, { hallId: actor.hallId, staffId: actor.staffId, ticketId, serviceId, caseNumber: request.caseNumber, today });
    }
    const detail: Record<string, unknown> = {};
    if (request.action === TicketAction.Transfer) Object.assign(detail, { ...request.target, priority: request.priority ?? null });
    if (request.action === TicketAction.Complete && request.caseNumber !== null) detail.caseNumber = request.caseNumber;
    if (request.action === TicketAction.Cancel && request.reason !== null) detail.reason = request.reason;
    const effects = new HallEffects(client, actor.hallId, today);
    await recordTransition(client, actor.hallId, auditActorOf(actor), outcome, effects, today, detail);
    await effects.emit();
    return outcome.ticket;
  });
}

/**
 * The next ticket of today's line for a counter (queue-order.ts), SKIP LOCKED so counters calling
 * at the same moment neither wait for each other nor get the same ticket; null when nobody
 * waits. A counter still holding a called ticket that has had the hall's number of calls marks
 * it a no-show first; any other ticket in its hands refuses the call (counter-busy).
 */
export async function callNext(
  pool: pg.Pool,
  actor: CounterActor,
  request: { counterId: string; serviceIds: readonly string[] },
  now: Date,
): Promise<QueueTicket | null> {
  return audited(pool, actor, 'ticket.call', request.counterId, async (client) => {
    // The counter's lock also reads the hall's day and no-show rule: one round trip, not two.
    const locked = await lockCounterForCall(client, actor, request.counterId);
    const hall = hallNowOf(locked.hallRow, now);
    let counter: CounterWithTicket = locked;
    if (counter.current) {
      // Another request may be moving that ticket right now (the clerk's own no-show, a
      // manager's transfer): wait for it, then look again. Only a call to this counter, which
      // waits for the counter's lock we hold, could put another ticket in its hands.
      await client.query({
        name: 'call-next-lock-current',
        text: 'SELECT 1 FROM tickets WHERE hall_id = $1 AND ticket_id = $2 FOR UPDATE',
        values: [actor.hallId, counter.current.ticketId],
      });
      counter = (await readCounter(client, actor.hallId, request.counterId)) ?? counter;
    }
    const outcomes: TransitionOutcome[] = [];
    const current = counter.current;
    if (current) {
      if (current.status !== TicketStatus.Called || current.callCount < hall.noShowAfterCalls) throw counterBusy(counter);
      // Locked above (FOR UPDATE): the transition need not lock it again.
      outcomes.push(await applyTransition(client, actor, current.ticketId, { action: TicketAction.NoShow }, hall.today, { rowLocked: true }));
    }
    const outside = request.serviceIds.filter((s) => !servesService(counter.counter, s));
    if (outside.length > 0) {
      // Thrown after the no-show: the transaction rolls it back with everything else.
      throw new PortalError(PortalErrorCode.UnknownService, `counter ${request.counterId} does not serve ${outside.join(', ')}`);
    }
    const services = request.serviceIds.length > 0 ? [...request.serviceIds] : callableServices(counter.counter);
    const next = await client.query<{ ticket_id: string }>({
      name: 'call-next-pick',
      text: `SELECT ticket_id FROM tickets t
       WHERE hall_id = $1 AND business_day = $2 AND status = 'waiting'
         AND (target_counter_id = $3 OR (target_counter_id IS NULL AND ($4::text[] IS NULL OR service_id = ANY($4::text[]))))
       ORDER BY ${callingOrderOf('t')}
       LIMIT 1
       FOR UPDATE SKIP LOCKED`,
      values: [actor.hallId, hall.today, request.counterId, services],
    });
    const ticketId = next.rows[0]?.ticket_id;
    if (ticketId !== undefined) {
      const free = { ...counter, current: null };
      // The SKIP LOCKED pick holds the row lock already.
      outcomes.push(await applyTransition(client, actor, ticketId, { action: TicketAction.Call, counter: free }, hall.today, { rowLocked: true }));
    }
    // The counter is locked (lockCounterForCall: signed in, not paused): as it is now, its ticket
    // the one just called, or none. Its `counter.updated` needs no second read.
    const called = outcomes.find((o) => o.action === TicketAction.Call)?.ticket ?? null;
    const knownCounters = new Map([[counter.counter.counter_id, { ...counter, current: called }]]);
    const effects = new HallEffects(client, actor.hallId, hall.today);
    for (const outcome of outcomes) {
      const detail = outcome.action === TicketAction.NoShow ? { automatic: 'call-next past the hall limit of calls' } : {};
      await recordTransition(client, actor.hallId, auditActorOf(actor), outcome, effects, hall.today, detail, knownCounters);
    }
    await effects.emit();
    return called;
  });
}

/** Whether the hall's pages should hear of a counter change: its state, staff or services moved. */
function counterChanged(before: CounterWithTicket, after: CounterWithTicket): boolean {
  const b = before.counter;
  const a = after.counter;
  return b.staff_id !== a.staff_id || b.paused !== a.paused || b.active_service_ids.join() !== a.active_service_ids.join();
}

export enum CounterOperation {
  SignIn = 'sign-in',
  SignOut = 'sign-out',
  Pause = 'pause',
  Resume = 'resume',
}

/** Sign in (with services), sign out, pause, resume: one counter, audited, `counter.updated` when it changed. */
export async function changeCounter(
  pool: pg.Pool,
  actor: CounterActor,
  counterId: string,
  operation: CounterOperation,
  serviceIds: readonly string[] = [],
): Promise<CounterView> {
  return audited(pool, actor, `counter.${operation}`, counterId, async (client) => {
    let change: CounterChange;
    switch (operation) {
      case CounterOperation.SignIn:
        change = await signIn(client, actor, counterId, serviceIds);
        break;
      case CounterOperation.SignOut:
        change = await signOut(client, actor, counterId);
        break;
      case CounterOperation.Pause:
      case CounterOperation.Resume:
        change = await setPaused(client, actor, counterId, operation === CounterOperation.Pause);
        break;
    }
    await recordAudit(client, {
      hallId: actor.hallId,
      actor: auditActorOf(actor),
      action: `counter.${operation}`,
      target: counterId,
      detail: {
        serviceIds: change.after.counter.active_service_ids,
        ...(change.before.counter.staff_id !== null && change.before.counter.staff_id !== change.after.counter.staff_id
          ? { signedOut: change.before.counter.staff_id }
          : {}),
        ...(change.left ? { left: change.left.counter.counter_id } : {}),
      },
      outcome: 'ok',
    });
    const events: HallEvent[] = [];
    if (change.left) {
      const left = { ...change.left, counter: { ...change.left.counter, staff_id: null, signed_in_via: null, paused: false } };
      events.push(counterUpdated(left));
    }
    if (counterChanged(change.before, change.after)) events.push(counterUpdated(change.after));
    // Its last statement: the hall's event counter stays locked until commit.
    await emitHallEvents(client, actor.hallId, events);
    return toCounterView(change.after);
  });
}

/** The hall's counters with their derived state and current ticket. */
export async function listCounters(db: pg.Pool | pg.PoolClient, hallId: string): Promise<CounterView[]> {
  return (await readCounters(db, hallId)).map((c) => toCounterView(c));
}

/** Today's queue for a console (queue-read.ts `readQueue`), with the hall's no-show rule. */
export async function queueForConsole(
  db: pg.Pool | pg.PoolClient,
  hallId: string,
  counterId: string | null,
  now: Date,
): Promise<QueueView & { noShowAfterCalls: number }> {
  const hall = await hallNow(db, hallId, now);
  return { ...(await readQueue(db, hallId, hall.today, counterId)), noShowAfterCalls: hall.noShowAfterCalls };
}
