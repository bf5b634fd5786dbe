import { z } from 'zod';
import { addDays, BusinessDay } from './business-day.js';
import { isoWeekday, minutesOf } from './local-time.js';

/**
 * When a hall works: weekly opening hours per service, and a calendar of exceptions — public
 * holidays (closed) and adjusted workdays (调休: a weekend day worked with a weekday's hours).
 * Pure rules, shared by the portal (slots, working-day deadlines) and the kiosk (no ticket for a
 * closed service). Weekdays are ISO: 1 = Monday … 7 = Sunday.
 */

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:MM');

export const TimeRange = z
  .object({ opens: HHMM, closes: HHMM })
  .refine((r) => minutesOf(r.closes) > minutesOf(r.opens), { message: 'closes must be after opens' });
export type TimeRange = z.infer<typeof TimeRange>;

export const Weekday = z.number().int().min(1).max(7);

/** Opening hours by weekday ("1".."7"); a weekday left out is closed. Ranges must not overlap. */
export const WeeklyHours = z
  .partialRecord(z.enum(['1', '2', '3', '4', '5', '6', '7']), z.array(TimeRange).max(4))
  .refine(
    (week) =>
      Object.values(week).every((ranges) => {
        const sorted = [...(ranges ?? [])].sort((a, b) => minutesOf(a.opens) - minutesOf(b.opens));
        return sorted.every((r, i) => i === 0 || minutesOf(r.opens) >= minutesOf(sorted[i - 1]?.closes ?? '00:00'));
      }),
    { message: 'opening ranges of a day overlap' },
  );
export type WeeklyHours = z.infer<typeof WeeklyHours>;

export enum CalendarDayKind {
  /** Closed all day (法定节假日). */
  Holiday = 'holiday',
  /** Open although it is a weekend (调休上班), with the hours of `asWeekday`. */
  Workday = 'workday',
}

export const CalendarDay = z.object({
  day: BusinessDay,
  kind: z.enum(CalendarDayKind),
  /** For a workday: whose hours apply (default Monday). */
  asWeekday: Weekday.optional(),
  note: z.string().max(100).optional(),
});
export type CalendarDay = z.infer<typeof CalendarDay>;

export const HallCalendar = z.array(CalendarDay).max(1000);
export type HallCalendar = z.infer<typeof HallCalendar>;

/** Mon–Fri: the days a working-day deadline counts, unless the calendar says otherwise. */
const WORKING_WEEK: ReadonlySet<number> = new Set([1, 2, 3, 4, 5]);

function exceptionOf(calendar: readonly CalendarDay[], day: BusinessDay): CalendarDay | undefined {
  return calendar.find((c) => c.day === day);
}

/** The weekday whose hours apply on `day`, or null when the hall is closed by the calendar. */
export function effectiveWeekday(day: BusinessDay, calendar: readonly CalendarDay[]): number | null {
  const exception = exceptionOf(calendar, day);
  if (exception?.kind === CalendarDayKind.Holiday) return null;
  if (exception?.kind === CalendarDayKind.Workday) return exception.asWeekday ?? 1;
  return isoWeekday(day);
}

/** The opening ranges of one day for a service's weekly hours. */
export function hoursOn(day: BusinessDay, hours: WeeklyHours, calendar: readonly CalendarDay[]): TimeRange[] {
  const weekday = effectiveWeekday(day, calendar);
  if (weekday === null) return [];
  return [...(hours[String(weekday) as keyof WeeklyHours] ?? [])].sort((a, b) => minutesOf(a.opens) - minutesOf(b.opens));
}

/** Whether a local time of a day falls in the service's opening hours. */
export function isOpenAt(day: BusinessDay, time: string, hours: WeeklyHours, calendar: readonly CalendarDay[]): boolean {
  const at = minutesOf(time);
  return hoursOn(day, hours, calendar).some((r) => at >= minutesOf(r.opens) && at < minutesOf(r.closes));
}

/** A working day for deadlines (rectification orders, legal time limits): Mon–Fri, holidays out, 调休 in. */
export function isWorkingDay(day: BusinessDay, calendar: readonly CalendarDay[]): boolean {
  const exception = exceptionOf(calendar, day);
  if (exception) return exception.kind === CalendarDayKind.Workday;
  return WORKING_WEEK.has(isoWeekday(day));
}

/** The day `n` working days after `day` (n ≥ 1; `day` itself does not count). */
export function addWorkingDays(day: BusinessDay, n: number, calendar: readonly CalendarDay[]): BusinessDay {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days: ${n}`);
  let current = day;
  let left = n;
  // A year of holidays cannot hide every working day; the bound only guards against a bad calendar.
  for (let guard = 0; left > 0; guard += 1) {
    if (guard > 3_660) throw new RangeError('no working day in ten years: check the hall calendar');
    current = addDays(current, 1);
    if (isWorkingDay(current, calendar)) left -= 1;
  }
  return current;
}
