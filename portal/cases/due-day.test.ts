import { describe, expect, it } from 'vitest';
import { ServiceChannel, type ServiceGuide } from '../../common/contract/guide.js';
import { CalendarDayKind } from '../../common/domain/hall-calendar.js';
import { dueDayOf } from './due-day.js';

const guide = (promised: number | null, legal: number | null): ServiceGuide => ({
  conditions: [],
  materials: [],
  fees: { zh: '不收费', en: 'Free of charge' },
  legalTimeLimitDays: legal,
  promisedTimeLimitDays: promised,
  location: { zh: '一楼', en: 'Ground floor' },
  channel: ServiceChannel.InHall,
});

describe('the due day of a case', () => {
  it('counts the promised working days from the day after acceptance, over weekends and holidays, with 调休 in', () => {
    // Mon 2025-03-10 + 5 working days: Tue..Fri, then Mon 17th.
    expect(dueDayOf('2025-03-10', guide(5, 20), [])).toBe('2025-03-17');
    // Wed 12th a holiday: one more day.
    expect(dueDayOf('2025-03-10', guide(5, 20), [{ day: '2025-03-12', kind: CalendarDayKind.Holiday }])).toBe('2025-03-18');
    // …and Sat 15th an adjusted workday (调休): back to Mon 17th.
    const calendar = [
      { day: '2025-03-12', kind: CalendarDayKind.Holiday },
      { day: '2025-03-15', kind: CalendarDayKind.Workday },
    ];
    expect(dueDayOf('2025-03-10', guide(5, 20), calendar)).toBe('2025-03-17');
  });

  it('falls back to the legal limit, and is null without one', () => {
    expect(dueDayOf('2025-03-10', guide(null, 1), [])).toBe('2025-03-11');
    expect(dueDayOf('2025-03-10', guide(0, 20), [])).toBe('2025-03-10');
    expect(dueDayOf('2025-03-10', guide(null, null), [])).toBeNull();
    expect(dueDayOf('2025-03-10', null, [])).toBeNull();
  });
});
