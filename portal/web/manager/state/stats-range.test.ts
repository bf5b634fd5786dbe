import { describe, expect, it } from 'vitest';
import { StatsBy, StatsQuery, STATS_MAX_DAYS } from '../../../../common/contract/stats-api.js';
import { addDays } from '../../../../common/domain/business-day.js';
import { hallToday, presetOf, presetRange, RangeProblem, rangeProblems, StatsPreset } from './stats-range.js';

describe('statistics range', () => {
  it('counts the presets back from the hall’s today, both ends included', () => {
    expect(presetRange(StatsPreset.Today, '2025-03-10')).toEqual({ from: '2025-03-10', to: '2025-03-10' });
    expect(presetRange(StatsPreset.Last7, '2025-03-10')).toEqual({ from: '2025-03-04', to: '2025-03-10' });
    expect(presetRange(StatsPreset.Last30, '2025-03-10')).toEqual({ from: '2025-02-09', to: '2025-03-10' });
    expect(presetRange(StatsPreset.Last90, '2025-03-10')).toEqual({ from: '2024-12-11', to: '2025-03-10' });
    expect(presetOf({ from: '2025-03-04', to: '2025-03-10' }, '2025-03-10')).toBe(StatsPreset.Last7);
    expect(presetOf({ from: '2025-03-05', to: '2025-03-10' }, '2025-03-10')).toBeNull();
  });

  it('takes today in the hall’s zone and with its day start, not the machine’s', () => {
    // 2025-03-10 17:30 UTC is 01:30 on the 11th in Shanghai.
    const at = Date.parse('2025-03-10T17:30:00Z');
    expect(hallToday({ timeZone: 'Asia/Shanghai' }, at)).toBe('2025-03-11');
    // A hall whose business day starts at 03:00 is still on the 10th.
    expect(hallToday({ timeZone: 'Asia/Shanghai', businessDayStartHour: 3 }, at)).toBe('2025-03-10');
    expect(hallToday({ timeZone: 'Europe/London' }, at)).toBe('2025-03-10');
  });

  it('says what is wrong on the field it belongs to, agreeing with the contract', () => {
    const cases: [{ from: string; to: string }, ReturnType<typeof rangeProblems>][] = [
      [{ from: '2025-03-04', to: '2025-03-10' }, {}],
      [{ from: '', to: '2025-03-10' }, { from: RangeProblem.InvalidDay }],
      [{ from: '2025-02-30', to: '2025-03-10' }, { from: RangeProblem.InvalidDay }],
      [{ from: '2025-03-10', to: '2025-03-04' }, { to: RangeProblem.ToBeforeFrom }],
      [{ from: '2024-01-01', to: addDays('2024-01-01', STATS_MAX_DAYS) }, { to: RangeProblem.TooLong }],
      [{ from: '2024-01-01', to: addDays('2024-01-01', STATS_MAX_DAYS - 1) }, {}],
    ];
    for (const [range, expected] of cases) {
      expect(rangeProblems(range), JSON.stringify(range)).toEqual(expected);
      expect(StatsQuery.safeParse({ ...range, by: StatsBy.Day }).success).toBe(Object.keys(expected).length === 0);
    }
  });
});
