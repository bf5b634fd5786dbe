import type pg from 'pg';
import { z } from 'zod';
import { PortalErrorCode } from '../../common/contract/errors.js';
import { addDays, businessDayOf, type BusinessDay } from '../../common/domain/business-day.js';
import { PortalError } from '../http/portal-error.js';

const HallRow = z.object({
  hall_id: z.string(),
  name_zh: z.string(),
  name_en: z.string(),
  time_zone: z.string(),
  business_day_start_hour: z.number().int(),
});
export type HallRow = z.infer<typeof HallRow>;

export async function loadHall(db: pg.Pool | pg.PoolClient, hallId: string): Promise<HallRow> {
  const result = await db.query(
    'SELECT hall_id, name_zh, name_en, time_zone, business_day_start_hour FROM halls WHERE hall_id = $1',
    [hallId],
  );
  // The principal's hall always exists (foreign keys); a miss means the hall was removed meanwhile.
  if (result.rows.length === 0) throw new PortalError(PortalErrorCode.NotFound, `hall ${hallId} not found`);
  return HallRow.parse(result.rows[0]);
}

/** The hall's business day at `now`, in the hall's zone and start hour, never the server's. */
export async function hallBusinessDay(db: pg.Pool | pg.PoolClient, hallId: string, now: Date): Promise<BusinessDay> {
  const hall = await loadHall(db, hallId);
  return businessDayOf(now, hall.time_zone, hall.business_day_start_hour);
}

/** The days a kiosk prepares for: today and tomorrow in the hall's zone (bands, appointments). */
export interface HallDays {
  today: BusinessDay;
  tomorrow: BusinessDay;
}

export function hallDaysOf(hall: Pick<HallRow, 'time_zone' | 'business_day_start_hour'>, now: Date): HallDays {
  const today = businessDayOf(now, hall.time_zone, hall.business_day_start_hour);
  return { today, tomorrow: addDays(today, 1) };
}

/** How long before the day boundary a kiosk may already file tickets on tomorrow (a clock a little fast). */
export const TOMORROW_LEAD_MS = 3_600_000;

/** The hall's days a pushed ticket is judged against, at the portal's clock. */
export interface PushWindow {
  today: BusinessDay;
  /** Tomorrow within TOMORROW_LEAD_MS before the boundary, else null. */
  tomorrowOpen: BusinessDay | null;
}

export function pushWindowOf(hall: Pick<HallRow, 'time_zone' | 'business_day_start_hour'>, now: Date): PushWindow {
  const today = businessDayOf(now, hall.time_zone, hall.business_day_start_hour);
  const soon = businessDayOf(new Date(now.getTime() + TOMORROW_LEAD_MS), hall.time_zone, hall.business_day_start_hour);
  return { today, tomorrowOpen: soon > today ? soon : null };
}
