import type pg from 'pg';
import { z } from 'zod';
import { businessDayOf } from '../../common/domain/business-day.js';
import { withTransaction } from '../db/transaction.js';
import { emitHallEvents } from '../realtime/emit-hall-event.js';
import { recordAudit, type AuditActor } from '../staff/audit.js';
import { readCounter, type CounterWithTicket } from './counter-row.js';
import { counterUpdated } from './hall-effects.js';

/**
 * The end-of-day sweep: every ticket a past business day left unfinished (waiting, called,
 * serving, held) is cancelled with closed_reason 'end-of-day'; a no-show stays a no-show. Open
 * segments of those days end at the end of their business day (the start of the next one in the
 * hall's zone), not at the moment of the sweep: a ticket left waiting overnight did not wait
 * all night. Idempotent: a second run finds nothing. One transaction per hall.
 */

export const SYSTEM_SWEEPER: AuditActor = { kind: 'system', id: 'end-of-day' };

const HallRow = z.object({ hall_id: z.string(), time_zone: z.string(), business_day_start_hour: z.number().int() });
const SweptRow = z.object({ tickets: z.number().int(), segments: z.number().int(), counters: z.array(z.string()) });

/**
 * One hall's sweep, in the caller's transaction. `today` is the hall's business day now; every
 * earlier day is past. Returns how many tickets it cancelled.
 */
export async function sweepHall(client: pg.PoolClient, hallId: string, today: string, actor: AuditActor): Promise<number> {
  const dayEnd = (alias: string) =>
    `((${alias}.business_day + 1)::timestamp + make_interval(hours => h.business_day_start_hour)) AT TIME ZONE h.time_zone`;
  // First the tickets: each swept one stays locked until commit, so no transition can open a
  // segment for it between this statement and the next.
  const tickets = await client.query(
    `WITH swept AS (
       UPDATE tickets t
       SET status = 'cancelled', closed_reason = 'end-of-day', finished_at = ${dayEnd('t')},
           updated_at = greatest(t.updated_at, ${dayEnd('t')})
       FROM halls h
       WHERE h.hall_id = $1 AND t.hall_id = $1 AND t.business_day < $2::date AND t.status IN ('waiting', 'called', 'serving', 'held')
       RETURNING t.counter_id
     )
     SELECT count(*)::int AS tickets,
            ARRAY(SELECT DISTINCT counter_id FROM swept WHERE counter_id IS NOT NULL ORDER BY counter_id) AS counters
     FROM swept`,
    [hallId, today],
  );
  // Then, in a fresh snapshot, every open segment of a past day: the swept tickets' and the
  // no-shows' (a no-show of a past day cannot move any more: requeue takes today's only).
  const segments = await client.query(
    `UPDATE ticket_segments s SET ended_at = greatest(s.started_at, ${dayEnd('t')})
     FROM tickets t, halls h
     WHERE h.hall_id = $1 AND s.hall_id = $1 AND s.ended_at IS NULL AND t.hall_id = $1 AND t.ticket_id = s.ticket_id
       AND t.business_day < $2::date`,
    [hallId, today],
  );
  const swept = SweptRow.parse({ ...(tickets.rows[0] as Record<string, unknown>), segments: segments.rowCount ?? 0 });
  // Booked appointments of a past day that no kiosk checked in: nobody came (issue 9 §3).
  const noShows = await client.query(
    `UPDATE appointments SET status = 'no-show' WHERE hall_id = $1 AND business_day < $2::date AND status = 'booked'`,
    [hallId, today],
  );
  const appointmentNoShows = noShows.rowCount ?? 0;
  if (swept.tickets === 0 && swept.segments === 0 && appointmentNoShows === 0) return 0;
  await recordAudit(client, {
    hallId,
    actor,
    action: 'tickets.end-of-day',
    target: null,
    detail: { before: today, tickets: swept.tickets, segments: swept.segments, appointmentNoShows },
    outcome: 'ok',
  });
  // A counter whose called or serving ticket was swept is free again (read them all, then tell).
  const freed: CounterWithTicket[] = [];
  for (const counterId of swept.counters) {
    const counter = await readCounter(client, hallId, counterId);
    if (counter && counter.counter.staff_id !== null && !counter.counter.paused) freed.push(counter);
  }
  await emitHallEvents(client, hallId, freed.map((counter) => counterUpdated(counter)));
  return swept.tickets;
}

/**
 * Sweeps every hall (or one), each on its own business day at `now`. Returns tickets cancelled
 * per hall that had any.
 */
export async function sweepEndOfDay(
  pool: pg.Pool,
  now: Date,
  options: { hallId?: string; actor?: AuditActor } = {},
): Promise<Map<string, number>> {
  const halls = await pool.query(
    'SELECT hall_id, time_zone, business_day_start_hour FROM halls WHERE ($1::text IS NULL OR hall_id = $1) ORDER BY hall_id',
    [options.hallId ?? null],
  );
  const swept = new Map<string, number>();
  for (const raw of halls.rows) {
    const hall = HallRow.parse(raw);
    const today = businessDayOf(now, hall.time_zone, hall.business_day_start_hour);
    const count = await withTransaction(pool, (client) => sweepHall(client, hall.hall_id, today, options.actor ?? SYSTEM_SWEEPER));
    if (count > 0) swept.set(hall.hall_id, count);
  }
  return swept;
}
