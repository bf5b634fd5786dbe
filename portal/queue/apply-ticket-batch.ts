import type pg from 'pg';
import { SyncRejectCode, type TicketIssuedPayload } from '../../common/contract/sync-api.js';
import { isRealDay, type BusinessDay } from '../../common/domain/business-day.js';
import type { KioskPrincipal } from '../auth/principals.js';
import { applyTicketIssued, isDataFault } from './apply-ticket-issued.js';
import { isStorableInstant } from './real-dates.js';
import { insertTickets, readFacts } from './ticket-store.js';
import { decideTickets, type EventRejection, type PushContext, type TicketEvent } from './ticket-rules.js';

export type { TicketEvent } from './ticket-rules.js';

/** What a batch of tickets came to. */
export interface TicketBatchResult {
  rejections: Map<string, EventRejection>;
  /** The context's `latestAccepted` after the batch (see ticket-rules.ts). */
  latestAccepted: BusinessDay | null;
}

/** Thrown when the insert did not go as decided: another push took a number meanwhile. */
class ConcurrentClash extends Error {
  constructor() {
    super('a concurrent push took a ticket id or number of this batch');
    this.name = 'ConcurrentClash';
  }
}

/** Data PostgreSQL would refuse inside the set-based insert (and with it the whole batch). */
function unstorable(ticket: TicketIssuedPayload): EventRejection | null {
  if (!isRealDay(ticket.businessDay)) {
    return { code: SyncRejectCode.InvalidEvent, reason: `ticket refused: businessDay ${ticket.businessDay} is not a real date` };
  }
  if (!isStorableInstant(ticket.issuedAt)) {
    return { code: SyncRejectCode.InvalidEvent, reason: `ticket refused: issuedAt ${ticket.issuedAt} is not a real instant` };
  }
  return null;
}

/**
 * Two statements whatever the batch size: the facts of every event, then one insert. Throws
 * ConcurrentClash when the insert does not take exactly what was decided.
 */
export async function applySetBased(
  client: pg.PoolClient,
  kiosk: KioskPrincipal,
  events: readonly TicketEvent[],
  context: PushContext,
): Promise<TicketBatchResult> {
  const decision = decideTickets(events, await readFacts(client, kiosk, events), context);
  if (decision.insert.length > 0) {
    const inserted = await insertTickets(client, kiosk, decision.insert);
    // The facts were read without locks; a concurrent push may have taken an id or number since.
    if (inserted !== decision.insert.length) throw new ConcurrentClash();
  }
  return { rejections: decision.rejections, latestAccepted: decision.latestAccepted };
}

/** The fallback: each event judged and inserted on its own, later events seeing the earlier ones. */
export async function applyOneByOne(
  client: pg.PoolClient,
  kiosk: KioskPrincipal,
  events: readonly TicketEvent[],
  context: PushContext,
): Promise<TicketBatchResult> {
  const rejections = new Map<string, EventRejection>();
  let latest = context.latestAccepted;
  for (const event of events) {
    const outcome = await applyTicketIssued(client, kiosk, event, { ...context, latestAccepted: latest });
    if (outcome.kind === 'rejected') rejections.set(event.eventId, outcome.rejection);
    if (outcome.kind === 'inserted' && (latest === null || event.payload.businessDay > latest)) latest = event.payload.businessDay;
  }
  return { rejections, latestAccepted: latest };
}

/**
 * Puts a batch of printed tickets into the calling queue with a few set-based statements. When
 * the batch cannot go in as decided (another push took a number meanwhile, or PostgreSQL refuses
 * data nobody foresaw), it is rolled back to its savepoint and applied one event at a time under
 * the same rules (ticket-rules.ts), which gives each event its exact outcome.
 */
export async function applyTicketBatch(
  client: pg.PoolClient,
  kiosk: KioskPrincipal,
  events: readonly TicketEvent[],
  context: PushContext,
): Promise<TicketBatchResult> {
  const rejections = new Map<string, EventRejection>();
  const storable: TicketEvent[] = [];
  for (const event of events) {
    const problem = unstorable(event.payload);
    if (problem) rejections.set(event.eventId, problem);
    else storable.push(event);
  }
  if (storable.length === 0) return { rejections, latestAccepted: context.latestAccepted };

  await client.query('SAVEPOINT apply_ticket_batch');
  let applied: TicketBatchResult;
  try {
    applied = await applySetBased(client, kiosk, storable, context);
    await client.query('RELEASE SAVEPOINT apply_ticket_batch');
  } catch (err) {
    if (!(err instanceof ConcurrentClash) && !isDataFault(err)) throw err;
    await client.query('ROLLBACK TO SAVEPOINT apply_ticket_batch');
    applied = await applyOneByOne(client, kiosk, storable, context);
  }
  for (const [eventId, rejection] of applied.rejections) rejections.set(eventId, rejection);
  return { rejections, latestAccepted: applied.latestAccepted };
}
