import type pg from 'pg';
import { TicketStatus } from '../../common/contract/counter-api.js';
import { HallEventKind, type HallEvent } from '../../common/contract/hall-events.js';
import type { BusinessDay } from '../../common/domain/business-day.js';
import { emitHallEvents } from '../realtime/emit-hall-event.js';
import { recordAudit, type AuditActor } from '../staff/audit.js';
import { counterStateOf, readCounter, type CounterWithTicket } from './counter-row.js';
import { waitingCounts } from './queue-read.js';
import { ACTIVE_STATUSES, TicketAction } from './ticket-life.js';
import type { TransitionOutcome } from './ticket-transitions.js';

/**
 * What a change at the counter tells the hall, inside the transaction that makes it: the audit
 * line, then the hall events: `ticket.updated` for every change, `ticket.called` for a call, a
 * recall or a call back, `counter.updated` when a counter's derived state changed, `queue.waiting`
 * with the counts of the services whose line changed.
 *
 * Every read is done before the events are written: writing them locks the hall's event counter
 * until commit, so every other change of the hall waits from there on. The events of one request
 * go out together, in one statement (emitHallEvents), as its last statement.
 */
export class HallEffects {
  private readonly events: HallEvent[] = [];
  private readonly waitingServices = new Set<string>();

  constructor(
    private readonly client: pg.PoolClient,
    private readonly hallId: string,
    private readonly today: BusinessDay,
  ) {}

  add(event: HallEvent): void {
    this.events.push(event);
  }

  /** The line of these services changed today: `queue.waiting` will carry their counts. */
  lineChanged(serviceIds: Iterable<string>): void {
    for (const id of serviceIds) this.waitingServices.add(id);
  }

  /** The counts (a read), then every event in the order they were added, in one statement. */
  async emit(): Promise<void> {
    const counts = this.waitingServices.size > 0 ? await waitingCounts(this.client, this.hallId, this.today, [...this.waitingServices]) : null;
    // A counter told twice (a no-show, then the next call at it) is told once, as it is now.
    const lastOfCounter = new Map<string, HallEvent>();
    for (const e of this.events) if (e.kind === HallEventKind.CounterUpdated) lastOfCounter.set(e.payload.counterId, e);
    const events = this.events.filter((e) => e.kind !== HallEventKind.CounterUpdated || lastOfCounter.get(e.payload.counterId) === e);
    if (counts) events.push({ kind: HallEventKind.QueueWaiting, payload: { counts } });
    await emitHallEvents(this.client, this.hallId, events);
  }
}

/** Emits `queue.waiting` with the day's counts of these services (none: nothing). */
export async function emitQueueWaiting(client: pg.PoolClient, hallId: string, day: BusinessDay, serviceIds: Iterable<string>): Promise<void> {
  const effects = new HallEffects(client, hallId, day);
  effects.lineChanged(serviceIds);
  await effects.emit();
}

/** `counter.updated` for a counter as it is now. */
export function counterUpdated(c: CounterWithTicket): HallEvent {
  return {
    kind: HallEventKind.CounterUpdated,
    payload: { counterId: c.counter.counter_id, state: counterStateOf(c.counter, c.current !== null) },
  };
}

/** The counters whose busy-or-idle state a transition changed: the one it left and the one it reached. */
function countersTouched(outcome: TransitionOutcome): string[] {
  const was = ACTIVE_STATUSES.includes(outcome.previousStatus) ? outcome.previousCounterId : null;
  const is = ACTIVE_STATUSES.includes(outcome.ticket.status) ? outcome.ticket.counterId : null;
  if (was === is) return [];
  return [was, is].filter((id): id is string => id !== null);
}

function auditAction(outcome: TransitionOutcome): string {
  return outcome.recallBecameNoShow ? 'ticket.no-show' : `ticket.${outcome.action}`;
}

/**
 * The audit line of one ticket transition (now), and its events (with `effects`, sent at the
 * end). `knownCounters`: counters the caller holds locked and knows as they are after the
 * transition (call-next's own counter), so they need not be read again for `counter.updated`.
 */
export async function recordTransition(
  client: pg.PoolClient,
  hallId: string,
  actor: AuditActor,
  outcome: TransitionOutcome,
  effects: HallEffects,
  today: BusinessDay,
  detail: Record<string, unknown> = {},
  knownCounters: ReadonlyMap<string, CounterWithTicket> = new Map(),
): Promise<void> {
  const { ticket } = outcome;
  await recordAudit(client, {
    hallId,
    actor,
    action: auditAction(outcome),
    target: ticket.ticketId,
    detail: {
      number: ticket.number,
      from: outcome.previousStatus,
      to: ticket.status,
      counterId: ticket.counterId,
      ...(outcome.recallBecameNoShow ? { automatic: 'no-show after the hall limit of calls' } : {}),
      ...detail,
    },
    outcome: 'ok',
  });

  effects.add({
    kind: HallEventKind.TicketUpdated,
    payload: {
      ticketId: ticket.ticketId,
      number: ticket.number,
      serviceId: ticket.serviceId,
      status: ticket.status,
      priority: ticket.priority,
      counterId: ticket.counterId,
    },
  });
  const calling = [TicketAction.Call, TicketAction.Recall, TicketAction.CallBack].includes(outcome.action);
  if (calling && ticket.status === TicketStatus.Called && outcome.counter) {
    effects.add({
      kind: HallEventKind.TicketCalled,
      payload: {
        ticketId: ticket.ticketId,
        number: ticket.number,
        serviceId: ticket.serviceId,
        counterId: outcome.counter.counterId,
        counterNumber: outcome.counter.number,
        counterName: outcome.counter.name,
        callCount: ticket.callCount,
        recall: outcome.action === TicketAction.Recall,
      },
    });
  }
  for (const counterId of countersTouched(outcome)) {
    const counter = knownCounters.get(counterId) ?? (await readCounter(client, hallId, counterId));
    // Paused or signed out, a counter stays so whatever its tickets do.
    if (counter && counter.counter.staff_id !== null && !counter.counter.paused) effects.add(counterUpdated(counter));
  }
  // The line changed only when a ticket left or joined it; a ticket of another day is not in today's counts.
  const lineChanged = outcome.previousStatus === TicketStatus.Waiting || ticket.status === TicketStatus.Waiting;
  if (lineChanged && outcome.businessDay === today) effects.lineChanged([outcome.previousServiceId, ticket.serviceId]);
}
