import type pg from 'pg';
import { SyncRejectCode, type TicketIssuedPayload } from '../../common/contract/sync-api.js';
import { priorityRank } from '../../common/domain/priority.js';
import type { KioskPrincipal } from '../auth/principals.js';

export interface EventRejection {
  code: SyncRejectCode;
  reason: string;
}

/** Integrity (23xxx) and data (22xxx) errors mean the event is bad, not the database. */
export function isDataFault(err: unknown): err is Error & { code: string } {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('23') || code.startsWith('22'));
}

/**
 * Puts the printed ticket into the calling queue. The printed number is the truth, so the only
 * refusals are a service the hall does not have, a number that already belongs to another ticket
 * that day, and data PostgreSQL cannot store (e.g. the date 2025-02-30); the same ticket arriving
 * again (a retry under a new event id) is a no-op. Runs under a savepoint so that a bad event
 * never aborts the batch's transaction.
 *
 * The one-event-at-a-time path: apply-ticket-batch.ts decides the same set-based and falls back
 * to this only when its batch cannot be applied as decided (a concurrent clash, an unforeseen
 * data fault). The two must keep the same rules.
 */
export async function applyTicketIssued(
  client: pg.PoolClient,
  kiosk: KioskPrincipal,
  ticket: TicketIssuedPayload,
): Promise<EventRejection | null> {
  await client.query('SAVEPOINT apply_ticket');
  try {
    const rejection = await insertTicket(client, kiosk, ticket);
    await client.query('RELEASE SAVEPOINT apply_ticket');
    return rejection;
  } catch (err) {
    await client.query('ROLLBACK TO SAVEPOINT apply_ticket');
    if (isDataFault(err)) return { code: SyncRejectCode.InvalidEvent, reason: `ticket refused: ${err.message}` };
    throw err;
  }
}

async function insertTicket(
  client: pg.PoolClient,
  kiosk: KioskPrincipal,
  ticket: TicketIssuedPayload,
): Promise<EventRejection | null> {
  const service = await client.query('SELECT 1 FROM services WHERE hall_id = $1 AND service_id = $2', [
    kiosk.hallId,
    ticket.serviceId,
  ]);
  if (service.rows.length === 0) {
    return { code: SyncRejectCode.UnknownService, reason: `service ${ticket.serviceId} is not offered by this hall` };
  }

  // A number the portal allocated online belongs to that ticket id even before its event arrives.
  const allocation = await client.query<{ ticket_id: string }>(
    'SELECT ticket_id FROM number_allocations WHERE hall_id = $1 AND business_day = $2 AND number = $3',
    [kiosk.hallId, ticket.businessDay, ticket.number],
  );
  const owner = allocation.rows[0]?.ticket_id;
  if (owner !== undefined && owner !== ticket.ticketId) {
    return {
      code: SyncRejectCode.DuplicateNumber,
      reason: `number ${ticket.number} on ${ticket.businessDay} was allocated to another ticket`,
    };
  }

  // No conflict target: the ticket id (a retry) and (day, number) (a clash) are told apart below.
  const inserted = await client.query(
    `INSERT INTO tickets (hall_id, ticket_id, service_id, business_day, number, number_source, priority,
                          priority_rank, citizen_hmac, kiosk_id, status, issued_at_kiosk)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'waiting', $11)
     ON CONFLICT DO NOTHING
     RETURNING ticket_id`,
    [
      kiosk.hallId,
      ticket.ticketId,
      ticket.serviceId,
      ticket.businessDay,
      ticket.number,
      ticket.numberSource,
      ticket.priority,
      priorityRank[ticket.priority],
      ticket.citizenHmac,
      kiosk.kioskId,
      ticket.issuedAt,
    ],
  );
  if (inserted.rows.length === 1) return null;

  const existing = await client.query('SELECT 1 FROM tickets WHERE hall_id = $1 AND ticket_id = $2', [
    kiosk.hallId,
    ticket.ticketId,
  ]);
  if (existing.rows.length === 1) return null;
  return {
    code: SyncRejectCode.DuplicateNumber,
    reason: `number ${ticket.number} on ${ticket.businessDay} already belongs to another ticket`,
  };
}
