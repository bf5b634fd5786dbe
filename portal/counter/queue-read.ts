import type pg from 'pg';
import { z } from 'zod';
import type { QueueTicket, WaitingTicket } from '../../common/contract/counter-api.js';
import { PortalErrorCode } from '../../common/contract/errors.js';
import type { WaitingCount } from '../../common/contract/hall-events.js';
import { businessDayOf, type BusinessDay } from '../../common/domain/business-day.js';
import { PortalError } from '../http/portal-error.js';
import { callableServices, readCounter } from './counter-row.js';
import { callingOrderOf } from './queue-order.js';
import { TICKET_COLUMNS, toQueueTicket } from './ticket-row.js';

/**
 * What the console and the hall display read of the queue. The display domain uses these (and
 * `waitingCounts`) rather than SQL of its own.
 */

const HallNow = z.object({
  time_zone: z.string(),
  business_day_start_hour: z.number().int(),
  no_show_after_calls: z.number().int(),
});

export interface HallNowFacts {
  /** The hall's business day at `now` (its zone and day start, never the server's). */
  today: BusinessDay;
  /** A called ticket becomes a no-show on the recall after this many calls. */
  noShowAfterCalls: number;
}

/** The facts of a hall row holding `time_zone`, `business_day_start_hour` and `no_show_after_calls`. */
export function hallNowOf(row: unknown, now: Date): HallNowFacts {
  const hall = HallNow.parse(row);
  return { today: businessDayOf(now, hall.time_zone, hall.business_day_start_hour), noShowAfterCalls: hall.no_show_after_calls };
}

/** The hall's day at `now` and its no-show rule, in one read. */
export async function hallNow(db: pg.Pool | pg.PoolClient, hallId: string, now: Date): Promise<HallNowFacts> {
  const result = await db.query({
    name: 'hall-now',
    text: 'SELECT time_zone, business_day_start_hour, no_show_after_calls FROM halls WHERE hall_id = $1',
    values: [hallId],
  });
  if (result.rows.length === 0) throw new PortalError(PortalErrorCode.NotFound, `hall ${hallId} not found`);
  return hallNowOf(result.rows[0], now);
}

/**
 * The waiting line of one counter, or of the hall: the condition call-next uses. A ticket
 * transferred to one counter waits for that counter only.
 */
function lineCondition(counterId: string | null): string {
  return counterId === null
    ? 'TRUE'
    : '(target_counter_id = $3 OR (target_counter_id IS NULL AND ($4::text[] IS NULL OR service_id = ANY($4::text[]))))';
}

/** Waiting tickets of the day in calling order (queue-order.ts), position 1 first. */
export async function waitingLine(
  db: pg.Pool | pg.PoolClient,
  hallId: string,
  day: BusinessDay,
  line: { counterId: string; serviceIds: string[] | null } | null = null,
): Promise<WaitingTicket[]> {
  const params: unknown[] = [hallId, day];
  if (line) params.push(line.counterId, line.serviceIds);
  const result = await db.query(
    `SELECT ${TICKET_COLUMNS} FROM tickets t
     WHERE hall_id = $1 AND business_day = $2 AND status = 'waiting' AND ${lineCondition(line?.counterId ?? null)}
     ORDER BY ${callingOrderOf('t')}`,
    params,
  );
  return result.rows.map((row, i) => ({ ...toQueueTicket(row), position: i + 1 }));
}

async function ticketsIn(
  db: pg.Pool | pg.PoolClient,
  hallId: string,
  day: BusinessDay,
  statuses: readonly string[],
  counterId: string | null,
): Promise<QueueTicket[]> {
  const result = await db.query(
    `SELECT ${TICKET_COLUMNS} FROM tickets
     WHERE hall_id = $1 AND business_day = $2 AND status = ANY($3::text[]) AND ($4::text IS NULL OR counter_id = $4)
     ORDER BY coalesce(called_at, queue_at), receive_seq`,
    [hallId, day, statuses, counterId],
  );
  return result.rows.map(toQueueTicket);
}

export interface QueueView {
  waiting: WaitingTicket[];
  held: QueueTicket[];
  noShows: QueueTicket[];
  active: QueueTicket[];
}

/**
 * The day's queue as a console shows it. With a counter: the line that counter calls from (its
 * chosen services, or its configured ones, plus tickets transferred to it), positions as it will
 * call them, and its own held tickets and no-shows. Without: the hall's whole line and every
 * held ticket and no-show. `active` is always the hall's (who is at which counter).
 */
export async function readQueue(db: pg.Pool | pg.PoolClient, hallId: string, day: BusinessDay, counterId: string | null): Promise<QueueView> {
  let line: { counterId: string; serviceIds: string[] | null } | null = null;
  if (counterId !== null) {
    const counter = await readCounter(db, hallId, counterId);
    if (!counter?.counter.enabled) throw new PortalError(PortalErrorCode.NotFound, `counter ${counterId} not found`);
    line = { counterId, serviceIds: callableServices(counter.counter) };
  }
  return {
    waiting: await waitingLine(db, hallId, day, line),
    held: await ticketsIn(db, hallId, day, ['held'], counterId),
    noShows: await ticketsIn(db, hallId, day, ['no-show'], counterId),
    active: await ticketsIn(db, hallId, day, ['called', 'serving'], null),
  };
}

/**
 * Waiting tickets per service on a business day (the display's "waiting" column, and the
 * `queue.waiting` events). With `serviceIds`: those services, zeros included. Without: every
 * open service, and any closed one that still has someone waiting. In the services' display order.
 */
export async function waitingCounts(
  db: pg.Pool | pg.PoolClient,
  hallId: string,
  day: BusinessDay,
  serviceIds?: readonly string[],
): Promise<WaitingCount[]> {
  // One index probe per service (tickets_service_day), whatever the size of the day. Two named
  // statements, one per shape, so each keeps one plan: `$3 IS NULL OR …` in one statement would
  // be planned again at every call (the hall's every change asks for its services' counts).
  const count = `(SELECT count(*) FROM tickets t
       WHERE t.hall_id = s.hall_id AND t.service_id = s.service_id AND t.business_day = $2 AND t.status = 'waiting')::int`;
  const result = serviceIds
    ? await db.query<{ service_id: string; waiting: number }>({
        name: 'waiting-counts-of',
        text: `SELECT s.service_id, ${count} AS waiting FROM services s
               WHERE s.hall_id = $1 AND s.service_id = ANY($3::text[]) ORDER BY s.sort_order, s.service_id`,
        values: [hallId, day, [...serviceIds]],
      })
    : await db.query<{ service_id: string; waiting: number }>({
        name: 'waiting-counts-all',
        text: `SELECT service_id, waiting FROM (
                 SELECT s.service_id, s.sort_order, s.enabled, ${count} AS waiting FROM services s WHERE s.hall_id = $1
               ) counted
               WHERE enabled OR waiting > 0
               ORDER BY sort_order, service_id`,
        values: [hallId, day],
      });
  return result.rows.map((r) => ({ serviceId: r.service_id, waiting: r.waiting }));
}
