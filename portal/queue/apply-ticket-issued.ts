import type pg from 'pg';
import { SyncRejectCode } from '../../common/contract/sync-api.js';
import type { KioskPrincipal } from '../auth/principals.js';
import { insertTickets, readFacts, ticketExists } from './ticket-store.js';
import { decideTickets, type EventRejection, type PushContext, type TicketEvent } from './ticket-rules.js';

export type { EventRejection } from './ticket-rules.js';

/** Integrity (23xxx) and data (22xxx) errors mean the event is bad, not the database. */
export function isDataFault(err: unknown): err is Error & { code: string } {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('23') || code.startsWith('22'));
}

/** What became of one event applied on its own. */
export type TicketOutcome =
  | { kind: 'inserted' }
  /** The same ticket again (a retry under a new event id): already in the queue. */
  | { kind: 'known' }
  | { kind: 'rejected'; rejection: EventRejection };

/**
 * Puts one printed ticket into the calling queue: the facts of this one event are read and judged
 * by the same `decideTickets` the set-based batch uses (ticket-rules.ts), then the same insert
 * runs for one row. What the insert finds taken meanwhile is a retry of the same ticket (a no-op)
 * or a number that belongs to another ticket; data PostgreSQL cannot store (e.g. the date
 * 2025-02-30) is refused as invalid. Runs under a savepoint so that a bad event never aborts the
 * batch's transaction.
 *
 * The one-event-at-a-time path: apply-ticket-batch.ts falls back to this only when its batch
 * cannot be applied as decided (a concurrent clash, an unforeseen data fault).
 */
export async function applyTicketIssued(
  client: pg.PoolClient,
  kiosk: KioskPrincipal,
  event: TicketEvent,
  context: PushContext,
): Promise<TicketOutcome> {
  await client.query('SAVEPOINT apply_ticket');
  try {
    const outcome = await applyOne(client, kiosk, event, context);
    await client.query('RELEASE SAVEPOINT apply_ticket');
    return outcome;
  } catch (err) {
    await client.query('ROLLBACK TO SAVEPOINT apply_ticket');
    if (isDataFault(err)) return { kind: 'rejected', rejection: { code: SyncRejectCode.InvalidEvent, reason: `ticket refused: ${err.message}` } };
    throw err;
  }
}

async function applyOne(client: pg.PoolClient, kiosk: KioskPrincipal, event: TicketEvent, context: PushContext): Promise<TicketOutcome> {
  const decision = decideTickets([event], await readFacts(client, kiosk, [event]), context);
  const rejection = decision.rejections.get(event.eventId);
  if (rejection) return { kind: 'rejected', rejection };
  if (decision.insert.length === 0) return { kind: 'known' };
  if ((await insertTickets(client, kiosk, [event])) === 1) return { kind: 'inserted' };
  if (await ticketExists(client, kiosk.hallId, event.payload.ticketId)) return { kind: 'known' };
  const t = event.payload;
  return {
    kind: 'rejected',
    rejection: { code: SyncRejectCode.DuplicateNumber, reason: `number ${t.number} on ${t.businessDay} already belongs to another ticket` },
  };
}
