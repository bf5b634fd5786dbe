import { ServiceChannel } from '../../../../common/contract/guide.js';
import type { Service } from '../../../../common/contract/catalog.js';
import { addDays } from '../../../../common/domain/business-day.js';
import { CalendarDayKind, type CalendarDay, type TimeRange } from '../../../../common/domain/hall-calendar.js';

/** How far ahead the guide lists the calendar's holidays and adjusted workdays. */
export const CALENDAR_LOOKAHEAD_DAYS = 60;

/** The services a citizen sees: enabled ones, in the hall's order. */
export function publicServices(services: readonly Service[]): Service[] {
  return services.filter((s) => s.enabled).sort((a, b) => a.sortOrder - b.sortOrder);
}

/** The opening ranges of each ISO weekday (1 … 7), sorted; an empty list is a closed day. */
export function weeklyRanges(hours: Service['hours']): TimeRange[][] {
  return [1, 2, 3, 4, 5, 6, 7].map((w) => [...(hours[String(w) as keyof typeof hours] ?? [])].sort((a, b) => a.opens.localeCompare(b.opens)));
}

/** The calendar's exceptions from `today` on, for the next weeks, in order. */
export function upcomingExceptions(calendar: readonly CalendarDay[], today: string): CalendarDay[] {
  const until = addDays(today, CALENDAR_LOOKAHEAD_DAYS);
  return calendar.filter((c) => c.day >= today && c.day <= until).sort((a, b) => a.day.localeCompare(b.day));
}

export function isHoliday(day: CalendarDay): boolean {
  return day.kind === CalendarDayKind.Holiday;
}

/** Whether the service can be done online at all (a guide that says so). */
export function isOnline(service: Service): boolean {
  return service.guide?.channel === ServiceChannel.Online || service.guide?.channel === ServiceChannel.Both;
}
