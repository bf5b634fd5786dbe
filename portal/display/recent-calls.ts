import type pg from 'pg';
import { z } from 'zod';
import type { RecentCall } from '../../common/contract/display-api.js';
import { HallEventKind, TicketCalledPayload } from '../../common/contract/hall-events.js';

/** How many calls the display's snapshot carries (the contract allows 50). */
export const RECENT_CALLS_SHOWN = 20;

/**
 * The latest call of each ticket called today, newest first. "Today" is the hall's business day
 * by the database clock, the clock the events' times come from. A recalled ticket appears once,
 * with its latest call.
 */
const RECENT_CALLS = `
  SELECT payload, at FROM (
    SELECT DISTINCT ON (e.payload->>'ticketId') e.payload, e.at, e.seq
    FROM hall_events e, halls h
    WHERE h.hall_id = $1 AND e.hall_id = $1 AND e.kind = '${HallEventKind.TicketCalled}'
      AND e.at >= (date_trunc('day', (now() AT TIME ZONE h.time_zone) - make_interval(hours => h.business_day_start_hour))
                   + make_interval(hours => h.business_day_start_hour)) AT TIME ZONE h.time_zone
    ORDER BY e.payload->>'ticketId', e.seq DESC
  ) latest
  ORDER BY seq DESC
  LIMIT $2`;

const CallRow = z.object({ payload: TicketCalledPayload, at: z.date() });

export async function loadRecentCalls(db: pg.Pool | pg.PoolClient, hallId: string, limit: number = RECENT_CALLS_SHOWN): Promise<RecentCall[]> {
  const result = await db.query(RECENT_CALLS, [hallId, limit]);
  return result.rows.map((raw) => {
    const { payload, at } = CallRow.parse(raw);
    return {
      ticketId: payload.ticketId,
      number: payload.number,
      counterNumber: payload.counterNumber,
      counterName: payload.counterName,
      recall: payload.recall,
      calledAt: at.toISOString(),
    };
  });
}
