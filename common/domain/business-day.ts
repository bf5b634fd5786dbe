import { z } from 'zod';

/** A hall's business day, `YYYY-MM-DD`, in the hall's own time zone. */
export const BusinessDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
export type BusinessDay = z.infer<typeof BusinessDay>;

/**
 * One formatter per time zone: building an Intl.DateTimeFormat costs far more than using one, and
 * the portal asks for a hall's day on every counter request. A zone Intl refuses throws, uncached,
 * so the map holds at most the few hundred zones Intl knows.
 */
const dayFormats = new Map<string, Intl.DateTimeFormat>();

function dayFormatOf(timeZone: string): Intl.DateTimeFormat {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, format);
  }
  return format;
}

/**
 * The business day that `instant` belongs to in `timeZone`, with the day starting at
 * `startHour` local time (numbering resets there, not at the machine's midnight).
 */
export function businessDayOf(instant: Date, timeZone: string, startHour = 0): BusinessDay {
  const shifted = new Date(instant.getTime() - startHour * 3_600_000);
  const parts = dayFormatOf(timeZone).formatToParts(shifted);
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** `YYYY-MM-DD` naming a real calendar day in years 1..9999 (the pattern alone allows `02-30`). */
export function isRealDay(day: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d);
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** `2025-03-31` + 1 -> `2025-04-01`: calendar arithmetic on the date itself, no time zone involved. */
export function addDays(day: BusinessDay, days: number): BusinessDay {
  if (!isRealDay(day)) throw new RangeError(`not a business day: ${day}`);
  const [y = 0, m = 0, d = 0] = day.split('-').map(Number);
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: the latter reads years below 100 as 19xx.
  date.setUTCFullYear(y, m - 1, d + days);
  return date.toISOString().slice(0, 10);
}
