import { describe, expect, it } from 'vitest';
import { groupWeeklyHours } from './weekly-hours.js';

const morning = { opens: '09:00', closes: '12:00' };
const afternoon = { opens: '13:30', closes: '17:00' };

describe('weekly hours as a visitor reads them', () => {
  it('joins consecutive days with the same hours, ranges in time order, closed days left out', () => {
    const lines = groupWeeklyHours({ '1': [afternoon, morning], '2': [morning, afternoon], '3': [morning, afternoon], '5': [morning, afternoon], '6': [morning] });
    expect(lines).toEqual([
      { fromDay: 1, toDay: 3, ranges: [morning, afternoon] },
      { fromDay: 5, toDay: 5, ranges: [morning, afternoon] },
      { fromDay: 6, toDay: 6, ranges: [morning] },
    ]);
  });

  it('has nothing for a service without hours', () => {
    expect(groupWeeklyHours({})).toEqual([]);
  });
});
