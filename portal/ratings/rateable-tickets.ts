import type pg from 'pg';
import { z } from 'zod';
import type { RateableTicket } from '../../common/contract/sync-api.js';
import type { KioskPrincipal } from '../auth/principals.js';
import { hallBusinessDay } from '../queue/hall-day.js';

/** At most this many tickets offered at once (a visitor served more often in a day rates the latest). */
export const RATEABLE_LIMIT = 20;

const RateableRow = z.object({
  ticket_id: z.string(),
  number: z.string(),
  service_id: z.string(),
  business_day: z.string(),
  counter_number: z.number().int().nullable(),
  finished_at: z.date(),
});

/**
 * What a kiosk may offer a visitor to rate (POST /v1/kiosk/tickets/rateable): served (done)
 * tickets not yet rated, of the kiosk's hall — today's tickets of the card's citizen HMAC, or the
 * one ticket whose QR code was scanned (any day: the push accepts a rating of any served ticket),
 * the latest first, with the counter that served it as the visitor saw it on the sign.
 */
export async function rateableTickets(
  db: pg.Pool,
  kiosk: KioskPrincipal,
  request: { citizenHmac?: string | undefined; ticketId?: string | undefined },
  now: Date,
): Promise<RateableTicket[]> {
  // Two plain conditions, not one CASE: each probes its own index (today's tickets of the hall, or the key).
  const byCard = request.citizenHmac !== undefined;
  const which = byCard ? 't.citizen_hmac = $2 AND t.business_day = $3::date' : 't.ticket_id = $2::uuid';
  const values = byCard ? [kiosk.hallId, request.citizenHmac, await hallBusinessDay(db, kiosk.hallId, now)] : [kiosk.hallId, request.ticketId];
  const result = await db.query(
    `SELECT t.ticket_id::text AS ticket_id, t.number, t.service_id, t.business_day::text AS business_day, t.finished_at,
       k.number AS counter_number
     FROM tickets t
     LEFT JOIN LATERAL (
       SELECT s.counter_id FROM ticket_segments s
       WHERE s.hall_id = $1 AND s.ticket_id = t.ticket_id AND s.state IN ('called', 'serving')
       ORDER BY s.seq DESC LIMIT 1
     ) g ON true
     LEFT JOIN counters k ON k.hall_id = $1 AND k.counter_id = coalesce(g.counter_id, t.counter_id)
     WHERE t.hall_id = $1 AND t.status = 'done' AND t.finished_at IS NOT NULL
       AND ${which}
       AND NOT EXISTS (SELECT 1 FROM ratings r WHERE r.hall_id = $1 AND r.ticket_id = t.ticket_id)
     ORDER BY t.finished_at DESC, t.ticket_id
     LIMIT ${RATEABLE_LIMIT}`,
    values,
  );
  return result.rows.map((raw) => {
    const row = RateableRow.parse(raw);
    return {
      ticketId: row.ticket_id,
      number: row.number,
      serviceId: row.service_id,
      businessDay: row.business_day,
      counterNumber: row.counter_number,
      finishedAt: row.finished_at.toISOString(),
    };
  });
}
