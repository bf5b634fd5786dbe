import type pg from 'pg';
import { z } from 'zod';
import { PortalErrorCode } from '../../common/contract/errors.js';
import {
  TicketStatus,
  type CallNextRequest,
  type CallNextResponse,
  type QueueListResponse,
  type TicketTransitionResponse,
} from '../../common/contract/sync-api.js';
import type { StaffPrincipal } from '../auth/principals.js';
import { withTransaction } from '../db/transaction.js';
import { PortalError } from '../http/portal-error.js';
import { hallBusinessDay } from './hall-day.js';
import { TICKET_COLUMNS, toQueueTicket } from './ticket-row.js';

/**
 * Calling order: priority class, then the portal's receive order (never the kiosk clock), whatever
 * the number's source: online, band and kiosk-series tickets wait in one line.
 */
const CALLING_ORDER = 'priority_rank, received_at, receive_seq';

/**
 * Calls the next waiting ticket of today for a counter; a ticket of a past day (or of tomorrow)
 * is never called. SKIP LOCKED lets counters call at the same moment without waiting on each
 * other and without two of them getting the same ticket.
 */
export async function callNext(
  pool: pg.Pool,
  staff: StaffPrincipal,
  request: CallNextRequest,
  now: Date,
): Promise<CallNextResponse> {
  return withTransaction(pool, async (client) => {
    const day = await hallBusinessDay(client, staff.hallId, now);
    const serviceFilter = request.serviceIds.length > 0 ? request.serviceIds : null;
    const result = await client.query(
      `WITH next AS (
         SELECT ticket_id FROM tickets
         WHERE hall_id = $1 AND status = 'waiting' AND business_day = $2
           AND ($3::text[] IS NULL OR service_id = ANY ($3::text[]))
         ORDER BY ${CALLING_ORDER}
         LIMIT 1
         FOR UPDATE SKIP LOCKED
       )
       UPDATE tickets t
       SET status = 'called', counter_id = $4, called_at = clock_timestamp()
       FROM next
       WHERE t.hall_id = $1 AND t.ticket_id = next.ticket_id
       RETURNING ${TICKET_COLUMNS.split(', ').map((c) => `t.${c}`).join(', ')}`,
      [staff.hallId, day, serviceFilter, request.counterId],
    );
    return { ticket: result.rows.length === 0 ? null : toQueueTicket(result.rows[0]) };
  });
}

const StatusRow = z.object({ status: z.enum(TicketStatus) });

/** called -> completed | no-show; anything else is an invalid transition. */
async function finishCalledTicket(
  pool: pg.Pool,
  staff: StaffPrincipal,
  ticketId: string,
  to: TicketStatus.Completed | TicketStatus.NoShow,
): Promise<TicketTransitionResponse> {
  const updated = await pool.query(
    `UPDATE tickets SET status = $3, finished_at = clock_timestamp()
     WHERE hall_id = $1 AND ticket_id = $2 AND status = 'called'
     RETURNING ${TICKET_COLUMNS}`,
    [staff.hallId, ticketId, to],
  );
  if (updated.rows.length === 1) return { ticket: toQueueTicket(updated.rows[0]) };
  // Only to say why: the UPDATE above already decided atomically.
  const current = await pool.query('SELECT status FROM tickets WHERE hall_id = $1 AND ticket_id = $2', [
    staff.hallId,
    ticketId,
  ]);
  if (current.rows.length === 0) throw new PortalError(PortalErrorCode.NotFound, `ticket ${ticketId} not found`);
  const { status } = StatusRow.parse(current.rows[0]);
  throw new PortalError(PortalErrorCode.InvalidTransition, `ticket ${ticketId} is ${status}; only a called ticket can become ${to}`);
}

export function completeTicket(pool: pg.Pool, staff: StaffPrincipal, ticketId: string): Promise<TicketTransitionResponse> {
  return finishCalledTicket(pool, staff, ticketId, TicketStatus.Completed);
}

export function markNoShow(pool: pg.Pool, staff: StaffPrincipal, ticketId: string): Promise<TicketTransitionResponse> {
  return finishCalledTicket(pool, staff, ticketId, TicketStatus.NoShow);
}

/** Today's tickets of the hall, every status, in calling order. */
export async function listQueue(pool: pg.Pool, staff: StaffPrincipal, now: Date): Promise<QueueListResponse> {
  const day = await hallBusinessDay(pool, staff.hallId, now);
  const result = await pool.query(
    `SELECT ${TICKET_COLUMNS} FROM tickets WHERE hall_id = $1 AND business_day = $2 ORDER BY ${CALLING_ORDER}`,
    [staff.hallId, day],
  );
  return { tickets: result.rows.map(toQueueTicket) };
}
