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

/** `2025-03-04 14:05:09` in the hall's zone: the technician's view of an instant. */
export function formatDiagnosticTime(iso: string | null, timeZone: string | undefined): string | null {
  if (iso === null) return null;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const options: Intl.DateTimeFormatOptions = {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  };
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-CA', { ...options, timeZone }).formatToParts(date);
  } catch {
    parts = new Intl.DateTimeFormat('en-CA', options).formatToParts(date);
  }
  const get = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '??';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`;
}
