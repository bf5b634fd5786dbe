import { describe, expect, it } from 'vitest';
import { RatingLevel } from '../../common/contract/ratings-api.js';
import { SharedTotals, satisfactionRate, toStatsRow } from './hall-stats.js';
import { emptyFigures, type StatsFigures } from './stats-store.js';

const figures = (arrivals: number): StatsFigures => ({ ...emptyFigures('total'), arrivals });

describe('the range total shared by the tables of one page', () => {
  it('is computed once for requests that come together, again once it is older than its time', async () => {
    let now = 0;
    let computed = 0;
    const totals = new SharedTotals(30_000, () => now);
    const compute = async () => figures(++computed);
    const together = await Promise.all([totals.get('hall|a|b', compute), totals.get('hall|a|b', compute), totals.get('hall|a|b', compute)]);
    expect(together.map((t) => t.arrivals)).toEqual([1, 1, 1]);
    now = 29_000;
    expect((await totals.get('hall|a|b', compute)).arrivals).toBe(1);
    expect((await totals.get('hall|a|c', compute)).arrivals).toBe(2);
    now = 31_000;
    expect((await totals.get('hall|a|b', compute)).arrivals).toBe(3);
  });

  it('forgets a total that failed, so the next request tries again', async () => {
    const totals = new SharedTotals();
    await expect(totals.get('k', () => Promise.reject(new Error('database gone')))).rejects.toThrow('database gone');
    expect((await totals.get('k', async () => figures(7))).arrivals).toBe(7);
  });
});

describe('a statistics row', () => {
  it('counts 非常满意, 满意 and 基本满意 as satisfied; no ratings, no rate', () => {
    const levels = { ...emptyFigures('x').ratings, [RatingLevel.VerySatisfied]: 2, [RatingLevel.BasicallySatisfied]: 1, [RatingLevel.Dissatisfied]: 1 };
    expect(satisfactionRate(levels)).toBe(0.75);
    expect(satisfactionRate(emptyFigures('x').ratings)).toBeNull();
  });

  it('gives seconds to the millisecond, walk-ins as arrivals without an appointment, no times for nothing measured', () => {
    const row = toStatsRow(
      {
        ...emptyFigures('window-1'),
        arrivals: 5,
        appointments: 2,
        waiting: { count: 3, sumUs: 1_000_001, medianUs: 250_400.5, p90Us: 600_000 },
      },
      { zh: '1 号窗口', en: 'Counter 1' },
    );
    expect(row).toMatchObject({ key: 'window-1', walkIns: 3, appointments: 2 });
    expect(row.waiting).toEqual({ count: 3, meanSeconds: 0.333, medianSeconds: 0.25, p90Seconds: 0.6 });
    expect(row.serving).toEqual({ count: 0, meanSeconds: null, medianSeconds: null, p90Seconds: null });
    expect(row.ratings.total).toBe(0);
  });
});
