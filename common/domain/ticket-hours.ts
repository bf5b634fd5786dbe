import type { BusinessDay } from './business-day.js';
import { hoursOn, type CalendarDay, type TimeRange, type WeeklyHours } from './hall-calendar.js';
import { localDayTime, minutesOf } from './local-time.js';

/**
 * Whether a service takes walk-in tickets at an instant: its opening hours on the local calendar
 * day of that instant in the hall's zone, with the hall calendar's holidays and adjusted workdays.
 * The kiosk (with its accepted clock offset) and the portal (with its own clock) both ask this,
 * when the hall takes tickets only in opening hours (`HallInfo.ticketsOnlyInHours`).
 *
 * The local calendar day, not the business day: opening hours are wall-clock times of a day, and
 * a hall whose business day starts at 03:00 opens at 09:00 on the day the clock shows.
 */
export interface TicketHours {
  open: boolean;
  /** The local calendar day the hours were read for. */
  day: BusinessDay;
  /** That day's opening ranges, earliest first (empty: closed all day). */
  ranges: TimeRange[];
}

export function ticketHoursAt(instant: Date, timeZone: string, hours: WeeklyHours, calendar: readonly CalendarDay[]): TicketHours {
  const { day, time } = localDayTime(instant, timeZone);
  const ranges = hoursOn(day, hours, calendar);
  const at = minutesOf(time);
  return { open: ranges.some((r) => at >= minutesOf(r.opens) && at < minutesOf(r.closes)), day, ranges };
}

/** `09:00-12:00, 13:30-17:00`, or `closed all day`: for the message that refuses a ticket. */
export function describeRanges(ranges: readonly TimeRange[]): string {
  if (ranges.length === 0) return 'closed all day';
  return ranges.map((r) => `${r.opens}-${r.closes}`).join(', ');
}
