import { describe, expect, it } from 'vitest';
import { CalendarDayKind, type WeeklyHours } from './hall-calendar.js';
import { describeRanges, ticketHoursAt } from './ticket-hours.js';

const WEEKDAYS: WeeklyHours = {
  '1': [{ opens: '09:00', closes: '12:00' }, { opens: '13:30', closes: '17:00' }],
  '2': [{ opens: '09:00', closes: '12:00' }],
};
const ZONE = 'Asia/Shanghai';

describe('ticketHoursAt', () => {
  it('is open inside a range and closed at its end, at lunch and before opening (Monday 2025-03-10, Shanghai)', () => {
    expect(ticketHoursAt(new Date('2025-03-10T02:00:00Z'), ZONE, WEEKDAYS, []).open).toBe(true); // 10:00
    expect(ticketHoursAt(new Date('2025-03-10T04:00:00Z'), ZONE, WEEKDAYS, []).open).toBe(false); // 12:00
    expect(ticketHoursAt(new Date('2025-03-10T04:59:00Z'), ZONE, WEEKDAYS, []).open).toBe(false); // 12:59
    expect(ticketHoursAt(new Date('2025-03-10T00:59:00Z'), ZONE, WEEKDAYS, []).open).toBe(false); // 08:59
    expect(ticketHoursAt(new Date('2025-03-10T05:30:00Z'), ZONE, WEEKDAYS, [])).toMatchObject({ open: true, day: '2025-03-10' }); // 13:30
  });

  it('reads the local calendar day: 01:00 Tuesday in Shanghai is Monday evening in UTC', () => {
    const hours = ticketHoursAt(new Date('2025-03-10T17:00:00Z'), ZONE, WEEKDAYS, []);
    expect(hours.day).toBe('2025-03-11');
    expect(hours.ranges).toEqual([{ opens: '09:00', closes: '12:00' }]);
  });

  it('a holiday closes the day; an adjusted workday opens a weekend day with its weekday hours', () => {
    const holiday = [{ day: '2025-03-10', kind: CalendarDayKind.Holiday }];
    expect(ticketHoursAt(new Date('2025-03-10T02:00:00Z'), ZONE, WEEKDAYS, holiday)).toMatchObject({ open: false, ranges: [] });
    const workday = [{ day: '2025-03-16', kind: CalendarDayKind.Workday, asWeekday: 2 }];
    expect(ticketHoursAt(new Date('2025-03-16T02:00:00Z'), ZONE, WEEKDAYS, workday).open).toBe(true);
    expect(ticketHoursAt(new Date('2025-03-16T02:00:00Z'), ZONE, WEEKDAYS, []).open).toBe(false);
  });

  it('describes a day for the refusal', () => {
    expect(describeRanges(WEEKDAYS['1'] ?? [])).toBe('09:00-12:00, 13:30-17:00');
    expect(describeRanges([])).toBe('closed all day');
  });
});
