import type { TimeRange, WeeklyHours } from '../../../common/domain/hall-calendar.js';

/** Consecutive weekdays (ISO, 1 = Monday) open with the same hours: one line of the guide's opening hours. */
export interface HoursLine {
  fromDay: number;
  toDay: number;
  ranges: readonly TimeRange[];
}

const sameRanges = (a: readonly TimeRange[], b: readonly TimeRange[]): boolean =>
  a.length === b.length && a.every((r, i) => r.opens === b[i]?.opens && r.closes === b[i]?.closes);

/**
 * The opening hours as a visitor reads them: `周一至周五 09:00–12:00、13:30–17:00`, `周六 09:00–12:00`.
 * Closed days are left out; ranges are shown in time order.
 */
export function groupWeeklyHours(hours: WeeklyHours): HoursLine[] {
  const lines: HoursLine[] = [];
  for (let day = 1; day <= 7; day += 1) {
    const key = String(day) as keyof WeeklyHours;
    const ranges = [...(hours[key] ?? [])].sort((a, b) => (a.opens < b.opens ? -1 : a.opens > b.opens ? 1 : 0));
    if (ranges.length === 0) continue;
    const last = lines.at(-1);
    if (last && last.toDay === day - 1 && sameRanges(last.ranges, ranges)) last.toDay = day;
    else lines.push({ fromDay: day, toDay: day, ranges });
  }
  return lines;
}
