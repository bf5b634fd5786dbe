import { Language } from '../i18n/language.js';

const localeOf = (language: Language) => (language === Language.En ? 'en-GB' : 'zh-CN');

function format(date: Date, language: Language, options: Intl.DateTimeFormatOptions, timeZone: string | undefined): string {
  try {
    return new Intl.DateTimeFormat(localeOf(language), { ...options, timeZone }).format(date);
  } catch {
    // An unknown zone name must not take a page down: fall back to the machine's zone.
    return new Intl.DateTimeFormat(localeOf(language), options).format(date);
  }
}

/** `14:05` of an instant in the hall's zone (not the machine's, when the hall's is known). */
export function formatHm(iso: string, language: Language, timeZone?: string): string {
  return format(new Date(iso), language, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }, timeZone);
}

/** `14:05:09` */
export function formatHms(ms: number, language: Language, timeZone?: string): string {
  return format(new Date(ms), language, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }, timeZone);
}

/** `3月10日 星期一` / `Monday 10 March` */
export function formatDate(ms: number, language: Language, timeZone?: string): string {
  return format(new Date(ms), language, { month: 'long', day: 'numeric', weekday: 'long' }, timeZone);
}

/** Whole minutes from `fromIso` to `untilMs`, never negative (clocks may disagree a little). */
export function minutesSince(fromIso: string, untilMs: number): number {
  const from = Date.parse(fromIso);
  if (Number.isNaN(from)) return 0;
  return Math.max(0, Math.floor((untilMs - from) / 60_000));
}

/** The portal's clock minus the page's, from an answer's `serverTime`: pages show portal time. */
export function clockOffsetMs(serverTimeIso: string, receivedAtMs: number): number {
  const server = Date.parse(serverTimeIso);
  return Number.isNaN(server) ? 0 : server - receivedAtMs;
}
