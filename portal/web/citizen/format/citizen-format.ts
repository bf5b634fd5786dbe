import { Language } from '../../shared/i18n/language.js';

/**
 * Dates and times on the citizen pages. A business day (`2025-03-11`) is a calendar date, shown
 * as such whatever the phone's zone; an instant is shown in the hall's zone, where the citizen
 * will be.
 */
const localeOf = (language: Language) => (language === Language.En ? 'en-GB' : 'zh-CN');

function safeFormat(date: Date, language: Language, options: Intl.DateTimeFormatOptions): string {
  try {
    return new Intl.DateTimeFormat(localeOf(language), options).format(date);
  } catch {
    // An unknown zone name must not take the page down: the phone's own zone.
    const { timeZone: _ignored, ...rest } = options;
    return new Intl.DateTimeFormat(localeOf(language), rest).format(date);
  }
}

function dayAsUtc(day: string): Date {
  const [y = 0, m = 1, d = 1] = day.split('-').map(Number);
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d);
  return date;
}

/** `3月11日 周二` / `Tue 11 Mar` */
export function formatDay(day: string, language: Language): string {
  return safeFormat(dayAsUtc(day), language, { timeZone: 'UTC', month: language === Language.En ? 'short' : 'long', day: 'numeric', weekday: 'short' });
}

/** `2025年3月11日 星期二` / `Tuesday 11 March 2025` */
export function formatLongDay(day: string, language: Language): string {
  return safeFormat(dayAsUtc(day), language, { timeZone: 'UTC', year: 'numeric', month: 'long', day: 'numeric', weekday: 'long' });
}

/** `2025年3月11日` / `11 March 2025`, of an instant in the hall's zone. */
export function formatDateOf(iso: string, language: Language, timeZone: string | undefined): string {
  return safeFormat(new Date(iso), language, { timeZone, year: 'numeric', month: 'long', day: 'numeric' });
}

/** `2025/3/11 09:30` / `11/03/2025, 09:30`, of an instant in the hall's zone. */
export function formatDateTime(iso: string, language: Language, timeZone: string | undefined): string {
  return safeFormat(new Date(iso), language, { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

/** `09:30`, of an instant in the hall's zone. */
export function formatTime(iso: string, language: Language, timeZone: string | undefined): string {
  return safeFormat(new Date(iso), language, { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

/** `4:05` left: whole seconds, never negative. */
export function formatCountdown(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
