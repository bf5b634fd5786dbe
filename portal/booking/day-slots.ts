import type { BusinessDay } from '../../common/domain/business-day.js';
import { hoursOn, type CalendarDay, type WeeklyHours } from '../../common/domain/hall-calendar.js';
import { slotsOn, type BookingRules, type Slot } from '../../common/domain/slots.js';

/**
 * The slots of a day (common/domain/slots.ts's `slotsOn`), remembered: turning wall times into
 * instants asks Intl for the zone's offset several times per slot, a millisecond and more for a
 * day, and a rush asks for the same day thousands of times a second. The key is everything the
 * day's slots depend on (zone, day, slot length, that day's opening ranges after the calendar),
 * so a change of hours or calendar is a new key, never a stale answer.
 */

const MAX_DAYS = 2_000;
const cache = new Map<string, readonly Slot[]>();

export function daySlots(
  day: BusinessDay,
  hours: WeeklyHours,
  calendar: readonly CalendarDay[],
  rules: Pick<BookingRules, 'slotMinutes'>,
  timeZone: string,
): readonly Slot[] {
  const ranges = hoursOn(day, hours, calendar);
  const key = `${timeZone}|${day}|${rules.slotMinutes}|${ranges.map((r) => `${r.opens}-${r.closes}`).join(',')}`;
  let slots = cache.get(key);
  if (!slots) {
    slots = Object.freeze(slotsOn(day, hours, calendar, rules, timeZone).map((s) => Object.freeze(s)));
    // A plain bound rather than an LRU: days of many halls and services, all short-lived.
    if (cache.size >= MAX_DAYS) cache.clear();
    cache.set(key, slots);
  }
  return slots;
}

/** `findSlot` of common/domain/slots.ts over the remembered slots of the day. */
export function findDaySlot(
  day: BusinessDay,
  start: string,
  hours: WeeklyHours,
  calendar: readonly CalendarDay[],
  rules: Pick<BookingRules, 'slotMinutes'>,
  timeZone: string,
): Slot | null {
  const at = Date.parse(start);
  return daySlots(day, hours, calendar, rules, timeZone).find((s) => Date.parse(s.start) === at) ?? null;
}
