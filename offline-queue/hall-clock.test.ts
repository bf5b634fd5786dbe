import { describe, expect, it } from 'vitest';
import { addDays } from '../common/domain/business-day.js';
import { hallBusinessDay } from './hall-clock.js';

describe('hallBusinessDay', () => {
  it('reads the day from the kiosk clock corrected by the measured offset, in the hall zone', () => {
    // 23:30 in Shanghai on the kiosk clock, but the portal is 45 minutes ahead: already the 11th.
    const kiosk = new Date('2025-03-10T15:30:00.000Z');
    expect(hallBusinessDay(kiosk, null, 'Asia/Shanghai')).toBe('2025-03-10');
    expect(hallBusinessDay(kiosk, 45 * 60_000, 'Asia/Shanghai')).toBe('2025-03-11');
    // A kiosk clock three hours fast is pulled back across midnight by a negative offset.
    expect(hallBusinessDay(new Date('2025-03-10T17:00:00.000Z'), -3 * 3_600_000, 'Asia/Shanghai')).toBe('2025-03-10');
    // The hall's zone, not the machine's: the same instant is still the 10th in New York.
    expect(hallBusinessDay(kiosk, 45 * 60_000, 'America/New_York')).toBe('2025-03-10');
  });

  it("starts the day at the hall's start hour, as the portal does", () => {
    // 02:30 on the 11th in Shanghai: with a 04:00 start the hall is still on the 10th.
    const kiosk = new Date('2025-03-10T18:30:00.000Z');
    expect(hallBusinessDay(kiosk, null, 'Asia/Shanghai')).toBe('2025-03-11');
    expect(hallBusinessDay(kiosk, null, 'Asia/Shanghai', 4)).toBe('2025-03-10');
    expect(hallBusinessDay(new Date('2025-03-10T20:00:00.000Z'), null, 'Asia/Shanghai', 4)).toBe('2025-03-11');
  });
});

describe('addDays', () => {
  it('steps across month, year and leap-day boundaries', () => {
    expect(addDays('2025-03-10', 1)).toBe('2025-03-11');
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
    expect(addDays('2025-03-10', -30)).toBe('2025-02-08');
  });
});
