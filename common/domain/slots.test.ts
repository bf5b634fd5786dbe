import { describe, expect, it } from 'vitest';
import { CalendarDayKind, WeeklyHours } from './hall-calendar.js';
import { bookableDays, BookingRules, findSlot, slotsOn } from './slots.js';

const week = WeeklyHours.parse({
  '1': [{ opens: '09:00', closes: '12:00' }, { opens: '13:30', closes: '17:15' }],
  '7': [{ opens: '01:00', closes: '04:00' }],
});

describe('slots', () => {
  it('cuts each opening range into whole slots in the hall zone', () => {
    const slots = slotsOn('2025-03-10', week, [], { slotMinutes: 30 }, 'Asia/Shanghai');
    expect(slots).toHaveLength(6 + 7); // 09:00-12:00 and 13:30-17:00 (17:00-17:15 is too short)
    expect(slots[0]).toEqual({ day: '2025-03-10', opens: '09:00', closes: '09:30', start: '2025-03-10T01:00:00.000Z', end: '2025-03-10T01:30:00.000Z' });
    expect(slots.at(-1)?.closes).toBe('17:00');
  });

  it('has none on a holiday, and follows DST where the hall has it', () => {
    expect(slotsOn('2025-03-10', week, [{ day: '2025-03-10', kind: CalendarDayKind.Holiday }], { slotMinutes: 30 }, 'Asia/Shanghai')).toEqual([]);
    // 2025-03-09 in New York skips 02:00-03:00: there is no 02:00 slot, and no two slots share an instant.
    const ny = slotsOn('2025-03-09', week, [], { slotMinutes: 60 }, 'America/New_York');
    expect(ny.map((s) => s.opens)).toEqual(['01:00', '03:00']);
    expect(ny.map((s) => s.start)).toEqual(['2025-03-09T06:00:00.000Z', '2025-03-09T07:00:00.000Z']);
  });

  it('lists the bookable days and finds a slot by its start', () => {
    const rules = BookingRules.parse({ minDaysAhead: 1, maxDaysAhead: 3 });
    expect(bookableDays('2025-03-10', rules)).toEqual(['2025-03-11', '2025-03-12', '2025-03-13']);
    expect(findSlot('2025-03-10', '2025-03-10T05:30:00.000Z', week, [], rules, 'Asia/Shanghai')?.opens).toBe('13:30');
    expect(findSlot('2025-03-10', '2025-03-10T05:45:00.000Z', week, [], rules, 'Asia/Shanghai')).toBeNull();
    expect(BookingRules.safeParse({ minDaysAhead: 5, maxDaysAhead: 2 }).success).toBe(false);
  });
});
