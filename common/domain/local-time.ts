import type { BusinessDay } from './business-day.js';

/** `HH:MM`, 00:00..24:00 (24:00 closes a day that runs to midnight). */
export type LocalTime = string;

export function minutesOf(time: LocalTime): number {
  const match = /^(\d{2}):(\d{2})$/.exec(time);
  const h = Number(match?.[1]);
  const m = Number(match?.[2]);
  if (!match || h > 24 || m > 59 || (h === 24 && m !== 0)) throw new RangeError(`not a local time: ${time}`);
  return h * 60 + m;
}

export function timeOfMinutes(minutes: number): LocalTime {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone: building one costs far more than using it. */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The zone's offset from UTC at `instantMs`, in ms (east positive: +8 h for Asia/Shanghai). */
export function zoneOffsetMs(instantMs: number, timeZone: string): number {
  const parts = formatterFor(timeZone).formatToParts(new Date(instantMs));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(instantMs / 1000) * 1000;
}

/**
 * The instant a wall-clock time of a day has in a zone. For a time the zone skips (a DST gap) the
 * instant after the gap; for one it repeats, the first. Halls in China have no DST; others do.
 */
export function instantOf(day: BusinessDay, time: LocalTime, timeZone: string): Date {
  const [y = 0, m = 0, d = 0] = day.split('-').map(Number);
  const wall = Date.UTC(y, m - 1, d) + minutesOf(time) * 60_000;
  // Two passes find the offset in force at the instant itself, not at the wall time read as UTC.
  const first = wall - zoneOffsetMs(wall, timeZone);
  const second = wall - zoneOffsetMs(first, timeZone);
  const earlier = Math.min(first, second);
  return new Date(zoneOffsetMs(earlier, timeZone) + earlier === wall ? earlier : Math.max(first, second));
}

/** The local day and time of an instant in a zone. */
export function localDayTime(instant: Date, timeZone: string): { day: BusinessDay; time: LocalTime; weekday: number } {
  const local = new Date(instant.getTime() + zoneOffsetMs(instant.getTime(), timeZone));
  const day = local.toISOString().slice(0, 10);
  return { day, time: timeOfMinutes(local.getUTCHours() * 60 + local.getUTCMinutes()), weekday: isoWeekday(day) };
}

/** 1 = Monday … 7 = Sunday, of a calendar day. */
export function isoWeekday(day: BusinessDay): number {
  const [y = 0, m = 0, d = 0] = day.split('-').map(Number);
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d);
  const w = date.getUTCDay();
  return w === 0 ? 7 : w;
}
