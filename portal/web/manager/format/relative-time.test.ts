import { describe, expect, it } from 'vitest';
import { Language } from '../../shared/i18n/language.js';
import { managerDictionaries } from '../i18n/index.js';
import { agoOf, AgoUnit } from './relative-time.js';
import { minutesOf, percentOf } from './stats-format.js';

const NOW = Date.parse('2025-03-10T02:00:00Z');
const at = (msAgo: number) => new Date(NOW - msAgo).toISOString();

describe('last seen', () => {
  it('says how long ago in the largest whole unit', () => {
    expect(agoOf(at(0), NOW)).toEqual({ unit: AgoUnit.Seconds, count: 0 });
    expect(agoOf(at(59_999), NOW)).toEqual({ unit: AgoUnit.Seconds, count: 59 });
    expect(agoOf(at(60_000), NOW)).toEqual({ unit: AgoUnit.Minutes, count: 1 });
    expect(agoOf(at(3_599_999), NOW)).toEqual({ unit: AgoUnit.Minutes, count: 59 });
    expect(agoOf(at(3 * 3_600_000), NOW)).toEqual({ unit: AgoUnit.Hours, count: 3 });
    expect(agoOf(at(50 * 3_600_000), NOW)).toEqual({ unit: AgoUnit.Days, count: 2 });
    // A report stamped a little ahead of the page's clock is "now", not the future.
    expect(agoOf(at(-4_000), NOW)).toEqual({ unit: AgoUnit.Seconds, count: 0 });
  });

  it('reads naturally in both languages', () => {
    const zh = managerDictionaries[Language.Zh].ago;
    const en = managerDictionaries[Language.En].ago;
    expect([zh.seconds(2), zh.seconds(42), zh.minutes(3), zh.days(1)]).toEqual(['刚刚', '42 秒前', '3 分钟前', '1 天前']);
    expect([en.seconds(2), en.seconds(42), en.minutes(1), en.hours(5)]).toEqual(['just now', '42 s ago', '1 minute ago', '5 hours ago']);
  });

  it('shows durations in minutes and shares as percentages, a dash for nothing measured', () => {
    expect(minutesOf(330)).toBe('5.5');
    expect(minutesOf(null)).toBe('—');
    expect(percentOf(0.9)).toBe('90.0%');
    expect(percentOf(null)).toBe('—');
  });
});
