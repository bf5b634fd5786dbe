import { z } from 'zod';

/** A hall's business day, `YYYY-MM-DD`, in the hall's own time zone. */
export const BusinessDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
export type BusinessDay = z.infer<typeof BusinessDay>;

/**
 * The business day that `instant` belongs to in `timeZone`, with the day starting at
 * `startHour` local time (numbering resets there, not at the machine's midnight).
 */
export function businessDayOf(instant: Date, timeZone: string, startHour = 0): BusinessDay {
  const shifted = new Date(instant.getTime() - startHour * 3_600_000);
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(shifted);
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}
