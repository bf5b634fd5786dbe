import { describe, expect, it } from 'vitest';
import { instantOf, isoWeekday, localDayTime, minutesOf, zoneOffsetMs } from './local-time.js';

describe('local time', () => {
  it('reads and refuses HH:MM', () => {
    expect(minutesOf('09:30')).toBe(570);
    expect(minutesOf('24:00')).toBe(1440);
    expect(() => minutesOf('24:30')).toThrow(RangeError);
    expect(() => minutesOf('9:30')).toThrow(RangeError);
  });

  it('places a Shanghai wall time at UTC+8', () => {
    expect(instantOf('2025-03-10', '09:30', 'Asia/Shanghai').toISOString()).toBe('2025-03-10T01:30:00.000Z');
    expect(zoneOffsetMs(Date.parse('2025-03-10T01:30:00Z'), 'Asia/Shanghai')).toBe(8 * 3_600_000);
  });

  it('follows DST: a skipped hour moves forward, a repeated hour takes its first instant', () => {
    // New York springs forward at 02:00 on 2025-03-09 and falls back at 02:00 on 2025-11-02.
    expect(instantOf('2025-03-09', '01:30', 'America/New_York').toISOString()).toBe('2025-03-09T06:30:00.000Z');
    expect(instantOf('2025-03-09', '03:30', 'America/New_York').toISOString()).toBe('2025-03-09T07:30:00.000Z');
    expect(instantOf('2025-03-09', '02:30', 'America/New_York').toISOString()).toBe('2025-03-09T07:30:00.000Z');
    expect(instantOf('2025-11-02', '01:30', 'America/New_York').toISOString()).toBe('2025-11-02T05:30:00.000Z');
  });

  it('reads back the local day, time and weekday', () => {
    expect(localDayTime(new Date('2025-03-09T16:05:00Z'), 'Asia/Shanghai')).toEqual({ day: '2025-03-10', time: '00:05', weekday: 1 });
    expect(isoWeekday('2025-03-16')).toBe(7);
  });
});
