import type { TimeRange, WeeklyHours } from '../../../../common/domain/hall-calendar.js';

/** ISO weekdays as the contract keys them: 1 = Monday … 7 = Sunday. */
export const WEEKDAYS = ['1', '2', '3', '4', '5', '6', '7'] as const;
export type WeekdayKey = (typeof WEEKDAYS)[number];

const RANGE = /^(\d{1,2}):(\d{2})\s*[-–~至到]\s*(\d{1,2}):(\d{2})$/;

/** `09:00-12:00, 13:30-17:00`: one weekday's hours as a manager types them. */
export function hoursText(ranges: readonly TimeRange[] | undefined): string {
  return (ranges ?? []).map((r) => `${r.opens}-${r.closes}`).join(', ');
}

/**
 * One weekday's hours from its text: ranges separated by commas (either width) or semicolons, each
 * `HH:MM-HH:MM` (a dash, a tilde, 至 or 到). Empty: closed. Null: not in that form. Whether the
 * times are real and the ranges do not overlap is the contract's `WeeklyHours` to say.
 */
export function parseHoursText(text: string): TimeRange[] | null {
  const parts = text.split(/[,，;；、]/).map((p) => p.trim()).filter((p) => p !== '');
  const ranges: TimeRange[] = [];
  for (const part of parts) {
    const match = RANGE.exec(part);
    if (!match) return null;
    const [, oh = '', om = '', ch = '', cm = ''] = match;
    ranges.push({ opens: `${oh.padStart(2, '0')}:${om}`, closes: `${ch.padStart(2, '0')}:${cm}` });
  }
  return ranges;
}

/** The seven texts of a week, from the contract's hours. */
export function weekTexts(hours: WeeklyHours): Record<WeekdayKey, string> {
  return Object.fromEntries(WEEKDAYS.map((d) => [d, hoursText(hours[d])])) as Record<WeekdayKey, string>;
}
