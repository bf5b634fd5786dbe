import { Language } from './dictionary.js';

/** Hours and minutes of an ISO instant in the hall's time zone (not the machine's). */
export function formatIssuedTime(iso: string, language: Language, timeZone: string | undefined): string {
  const locale = language === Language.En ? 'en-GB' : 'zh-CN';
  const date = new Date(iso);
  const options: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  try {
    return new Intl.DateTimeFormat(locale, { ...options, timeZone }).format(date);
  } catch {
    // An unknown zone name must not take the ticket screen down: fall back to local time.
    return new Intl.DateTimeFormat(locale, options).format(date);
  }
}
