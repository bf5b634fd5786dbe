import type pg from 'pg';
import { z } from 'zod';
import { PortalErrorCode } from '../../common/contract/errors.js';
import { businessDayOf, type BusinessDay } from '../../common/domain/business-day.js';
import { addWorkingDays, HallCalendar } from '../../common/domain/hall-calendar.js';
import { PortalError } from '../http/portal-error.js';

/**
 * The hall's clock for rectification orders: its business day now (in its own zone and day start,
 * never the server's), its calendar (holidays, 调休) and how many working days an order is given.
 */
export interface RectificationClock {
  today: BusinessDay;
  calendar: HallCalendar;
  rectificationDays: number;
}

const HallClockRow = z.object({
  time_zone: z.string(),
  business_day_start_hour: z.number().int(),
  // Parsed with the common schema on every read: a hand-edited row cannot bend a deadline.
  calendar: z.unknown(),
  rectification_days: z.number().int().min(1),
});

export async function rectificationClock(db: pg.Pool | pg.PoolClient, hallId: string, now: Date): Promise<RectificationClock> {
  const result = await db.query('SELECT time_zone, business_day_start_hour, calendar, rectification_days FROM halls WHERE hall_id = $1', [hallId]);
  if (result.rows.length === 0) throw new PortalError(PortalErrorCode.NotFound, `hall ${hallId} not found`);
  const row = HallClockRow.parse(result.rows[0]);
  return {
    today: businessDayOf(now, row.time_zone, row.business_day_start_hour),
    calendar: HallCalendar.parse(row.calendar ?? []),
    rectificationDays: row.rectification_days,
  };
}

/** An order's deadline: the rating's day plus the hall's working days (the rating's day does not count). */
export function dueDayOf(ratedDay: BusinessDay, clock: Pick<RectificationClock, 'calendar' | 'rectificationDays'>): BusinessDay {
  return addWorkingDays(ratedDay, clock.rectificationDays, clock.calendar);
}
