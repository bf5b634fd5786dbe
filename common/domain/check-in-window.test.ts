import { describe, expect, it } from 'vitest';
import { CheckInTiming, checkInTiming, checkInWindowOf } from './check-in-window.js';

describe('check-in window', () => {
  // 09:30 in Shanghai.
  const start = new Date('2025-03-10T01:30:00.000Z');
  const window = checkInWindowOf(start, { beforeMinutes: 30, afterMinutes: 15 });

  it('runs from beforeMinutes before the start to afterMinutes after it', () => {
    expect(window.from.toISOString()).toBe('2025-03-10T01:00:00.000Z');
    expect(window.until.toISOString()).toBe('2025-03-10T01:45:00.000Z');
  });

  it('is early before, in the window at both ends, late after', () => {
    expect(checkInTiming(new Date('2025-03-10T00:59:59.999Z'), window)).toBe(CheckInTiming.Early);
    expect(checkInTiming(new Date('2025-03-10T01:00:00.000Z'), window)).toBe(CheckInTiming.InWindow);
    expect(checkInTiming(new Date('2025-03-10T01:45:00.000Z'), window)).toBe(CheckInTiming.InWindow);
    expect(checkInTiming(new Date('2025-03-10T01:45:00.001Z'), window)).toBe(CheckInTiming.Late);
  });

  it('with a zero window only the start itself is on time', () => {
    const exact = checkInWindowOf(start, { beforeMinutes: 0, afterMinutes: 0 });
    expect(checkInTiming(start, exact)).toBe(CheckInTiming.InWindow);
    expect(checkInTiming(new Date(start.getTime() + 1), exact)).toBe(CheckInTiming.Late);
  });
});
