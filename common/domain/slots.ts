import { z } from 'zod';
import { addDays, type BusinessDay } from './business-day.js';
import { hoursOn, type CalendarDay, type WeeklyHours } from './hall-calendar.js';
import { instantOf, localDayTime, minutesOf, timeOfMinutes } from './local-time.js';

/**
 * Booking slots of a service (网上预约), computed — never stored — from its opening hours, the
 * hall calendar and its booking rules, in the hall's time zone. Pure: the portal books against
 * them and the citizen page lists them with the same rule.
 */
export const BookingRules = z
  .object({
    /** Length of one slot. */
    slotMinutes: z.number().int().min(5).max(240).default(30),
    /** Bookings one slot takes. */
    capacity: z.number().int().min(1).max(200).default(4),
    /** The first bookable day, counted from today (1: tomorrow). */
    minDaysAhead: z.number().int().min(0).max(30).default(1),
    /** The last bookable day, counted from today. */
    maxDaysAhead: z.number().int().min(1).max(90).default(30),
  })
  .refine((r) => r.maxDaysAhead >= r.minDaysAhead, { message: 'maxDaysAhead must not be below minDaysAhead' });
export type BookingRules = z.infer<typeof BookingRules>;

export interface Slot {
  day: BusinessDay;
  /** Local wall-clock start and end, `HH:MM`. */
  opens: string;
  closes: string;
  /** The same as instants (ISO, UTC). */
  start: string;
  end: string;
}

/** Every slot of a day: each opening range cut into whole slots; a remainder too short is dropped. */
export function slotsOn(
  day: BusinessDay,
  hours: WeeklyHours,
  calendar: readonly CalendarDay[],
  rules: Pick<BookingRules, 'slotMinutes'>,
  timeZone: string,
): Slot[] {
  const slots: Slot[] = [];
  for (const range of hoursOn(day, hours, calendar)) {
    const last = minutesOf(range.closes);
    for (let at = minutesOf(range.opens); at + rules.slotMinutes <= last; at += rules.slotMinutes) {
      const opens = timeOfMinutes(at);
      const closes = timeOfMinutes(at + rules.slotMinutes);
      const start = instantOf(day, opens, timeZone);
      // A start the zone skips (a DST gap) does not exist: no slot, rather than two at one instant.
      if (localDayTime(start, timeZone).time !== opens) continue;
      slots.push({ day, opens, closes, start: start.toISOString(), end: instantOf(day, closes, timeZone).toISOString() });
    }
  }
  return slots;
}

/** The days a citizen may book on `today`: from minDaysAhead to maxDaysAhead. */
export function bookableDays(today: BusinessDay, rules: Pick<BookingRules, 'minDaysAhead' | 'maxDaysAhead'>): BusinessDay[] {
  const days: BusinessDay[] = [];
  for (let n = rules.minDaysAhead; n <= rules.maxDaysAhead; n += 1) days.push(addDays(today, n));
  return days;
}

/** Whether `start` (an ISO instant) is the start of one of the day's slots. */
export function findSlot(
  day: BusinessDay,
  start: string,
  hours: WeeklyHours,
  calendar: readonly CalendarDay[],
  rules: Pick<BookingRules, 'slotMinutes'>,
  timeZone: string,
): Slot | null {
  const at = Date.parse(start);
  return slotsOn(day, hours, calendar, rules, timeZone).find((s) => Date.parse(s.start) === at) ?? null;
}
