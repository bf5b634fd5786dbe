import { describe, expect, it } from 'vitest';
import { addWorkingDays, CalendarDayKind, hoursOn, isOpenAt, isWorkingDay, WeeklyHours, type CalendarDay } from './hall-calendar.js';

const week = WeeklyHours.parse({
  '1': [{ opens: '09:00', closes: '12:00' }, { opens: '13:30', closes: '17:00' }],
  '2': [{ opens: '09:00', closes: '17:00' }],
  '3': [{ opens: '09:00', closes: '17:00' }],
  '4': [{ opens: '09:00', closes: '17:00' }],
  '5': [{ opens: '09:00', closes: '17:00' }],
  '6': [{ opens: '09:00', closes: '12:00' }],
});

// 2025 National Day: 10-01..10-08 off, Sunday 09-28 and Saturday 10-11 worked (调休).
const calendar: CalendarDay[] = [
  ...['2025-10-01', '2025-10-02', '2025-10-03', '2025-10-06', '2025-10-07', '2025-10-08'].map((day) => ({ day, kind: CalendarDayKind.Holiday })),
  { day: '2025-09-28', kind: CalendarDayKind.Workday, asWeekday: 3 },
  { day: '2025-10-11', kind: CalendarDayKind.Workday },
];

describe('hall calendar', () => {
  it('refuses overlapping or reversed ranges', () => {
    expect(WeeklyHours.safeParse({ '1': [{ opens: '09:00', closes: '12:00' }, { opens: '11:00', closes: '13:00' }] }).success).toBe(false);
    expect(WeeklyHours.safeParse({ '1': [{ opens: '12:00', closes: '09:00' }] }).success).toBe(false);
  });

  it('opens by weekday, closes on holidays, opens an adjusted workday with the chosen weekday', () => {
    expect(hoursOn('2025-09-29', week, calendar)).toHaveLength(2); // a Monday
    expect(isOpenAt('2025-09-29', '12:30', week, calendar)).toBe(false); // lunch break
    expect(isOpenAt('2025-09-29', '13:30', week, calendar)).toBe(true);
    expect(hoursOn('2025-10-01', week, calendar)).toEqual([]);
    expect(hoursOn('2025-09-28', week, calendar)).toEqual([{ opens: '09:00', closes: '17:00' }]); // Sunday as Wednesday
    expect(hoursOn('2025-10-11', week, calendar)).toHaveLength(2); // Saturday as Monday
    expect(hoursOn('2025-09-21', week, calendar)).toEqual([]); // an ordinary Sunday
  });

  it('counts working days past holidays and through adjusted workdays', () => {
    expect(isWorkingDay('2025-09-28', calendar)).toBe(true);
    expect(isWorkingDay('2025-10-06', calendar)).toBe(false);
    // From Tuesday 09-30: 5 working days are 10-09, 10-10, 10-11 (调休), 10-13, 10-14.
    expect(addWorkingDays('2025-09-30', 5, calendar)).toBe('2025-10-14');
    expect(addWorkingDays('2025-09-26', 1, calendar)).toBe('2025-09-28');
  });
});
