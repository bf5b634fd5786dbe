import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatDay, minutesSince } from './format-date.js';
import { Language } from './index.js';

describe('dates for the visitor', () => {
  it('writes a hall day in each language', () => {
    expect(formatDay('2025-03-05', Language.Zh)).toBe('2025年3月5日');
    expect(formatDay('2025-03-05', Language.En)).toBe('5 Mar 2025');
    expect(formatDay('not a day', Language.En)).toBe('not a day');
  });

  it("uses the hall's zone, not the machine's, across midnight", () => {
    expect(formatDateTime('2025-03-04T17:30:00.000Z', Language.Zh, 'Asia/Shanghai')).toBe('2025年3月5日 01:30');
    expect(formatDate('2025-03-04T17:30:00.000Z', Language.En, 'Asia/Shanghai')).toBe('5 Mar 2025');
    expect(formatDate('2025-03-04T17:30:00.000Z', Language.En, 'Not/AZone')).toMatch(/^\d{1,2} \w{3} 2025$/);
  });

  it('counts whole minutes since an instant, never negative', () => {
    const now = new Date('2025-03-04T06:05:59.000Z');
    expect(minutesSince('2025-03-04T06:00:00.000Z', now)).toBe(5);
    expect(minutesSince('2025-03-04T06:10:00.000Z', now)).toBe(0);
    expect(minutesSince(null, now)).toBeNull();
  });
});
