import { localDayTime } from '../../../common/domain/local-time.js';
import { Language } from './dictionary.js';

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A hall day `YYYY-MM-DD` for the visitor: `2025年3月5日` / `5 Mar 2025`. */
export function formatDay(day: string, language: Language): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return day;
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return language === Language.En ? `${date} ${MONTHS_EN[month - 1] ?? month} ${year}` : `${year}年${month}月${date}日`;
}

/** The hall day and wall time of an instant in the hall's zone; the machine's zone if the hall's is unknown. */
export function hallDayTime(iso: string, timeZone: string | undefined): { day: string; time: string } {
  const instant = new Date(iso);
  if (timeZone) {
    try {
      const { day, time } = localDayTime(instant, timeZone);
      return { day, time };
    } catch {
      // An unknown zone name must not take a screen down: fall through to the machine's zone.
    }
  }
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    day: `${instant.getFullYear()}-${pad(instant.getMonth() + 1)}-${pad(instant.getDate())}`,
    time: `${pad(instant.getHours())}:${pad(instant.getMinutes())}`,
  };
}

/** `2025年3月4日 14:05` / `4 Mar 2025 14:05`, in the hall's zone. */
export function formatDateTime(iso: string, language: Language, timeZone: string | undefined): string {
  const { day, time } = hallDayTime(iso, timeZone);
  return `${formatDay(day, language)} ${time}`;
}

/** The date alone of an instant, in the hall's zone. */
export function formatDate(iso: string, language: Language, timeZone: string | undefined): string {
  return formatDay(hallDayTime(iso, timeZone).day, language);
}

/** Whole minutes from `iso` to `now` (never negative); null when unknown. */
export function minutesSince(iso: string | null, now: Date): number | null {
  if (iso === null) return null;
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.floor((now.getTime() - at) / 60_000));
}
