import { describe, expect, it } from 'vitest';
import { addDays, isRealDay } from '../../common/domain/business-day.js';
import { hallDaysOf } from './hall-day.js';
import { isStorableInstant } from './real-dates.js';

describe('real dates', () => {
  it('knows which days exist', () => {
    expect(isRealDay('2024-02-29')).toBe(true);
    expect(isRealDay('0001-01-01')).toBe(true);
    for (const day of ['2025-02-29', '2025-02-30', '2025-13-01', '2025-00-10', '0000-01-01', '2025-3-1', 'garbage']) {
      expect(isRealDay(day), day).toBe(false);
    }
  });

  it('accepts instants PostgreSQL can store and refuses year 0', () => {
    expect(isStorableInstant('2025-03-10T02:00:00.000Z')).toBe(true);
    expect(isStorableInstant('0000-01-01T00:00:00Z')).toBe(false);
  });

  it('adds calendar days across month, year and leap-day boundaries, years below 100 included', () => {
    expect(addDays('2025-03-31', 1)).toBe('2025-04-01');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('0050-01-01', -1)).toBe('0049-12-31');
    expect(() => addDays('2025-02-30', 1)).toThrow(RangeError);
  });

  it("gives a hall's today and tomorrow in its zone and day start", () => {
    const hall = { time_zone: 'Asia/Shanghai', business_day_start_hour: 3 };
    // 02:30 on the 11th in Shanghai still belongs to the 10th.
    expect(hallDaysOf(hall, new Date('2025-03-10T18:30:00Z'))).toEqual({ today: '2025-03-10', tomorrow: '2025-03-11' });
    expect(hallDaysOf(hall, new Date('2025-03-10T19:30:00Z'))).toEqual({ today: '2025-03-11', tomorrow: '2025-03-12' });
  });
});
