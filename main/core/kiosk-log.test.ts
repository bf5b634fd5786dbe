import { describe, expect, it, vi } from 'vitest';
import { KioskLog, redactPersonalData } from './kiosk-log.js';

describe('kiosk log', () => {
  it('masks anything shaped like an ID number, never other numbers', () => {
    expect(redactPersonalData('card 11010519491231002X read')).toBe('card 1101**********002X read');
    expect(redactPersonalData('old 110105491231002 and 11010519491231002x')).toBe('old 1101*******1002 and 1101**********002x');
    expect(redactPersonalData('ticket A023 seq 1234567 uuid 0193a5e8-7f3c')).toBe('ticket A023 seq 1234567 uuid 0193a5e8-7f3c');
  });

  it('masks every card and pass number format, not only the 18-digit one', () => {
    const raw = {
      resident: '11010519491231002X',
      firstGeneration: '110105491231002',
      hongKongPermit: '810000199408230021',
      taiwanPermit: '830000198512120022',
      foreign2017: 'USA110079050101',
      foreign2023: '93310019900307003X',
      hkMacauPass: 'H12345678',
      taiwanPass: '12345678',
    };
    const log = new KioskLog({ echo: false });
    log.error('reader', 'bad frame', new Error(`card ${raw.resident} / ${raw.firstGeneration} / ${raw.hongKongPermit} / ${raw.taiwanPermit}`));
    log.warn('reader', `Y cards ${raw.foreign2017} and ${raw.foreign2023}`);
    log.info('scanner', `pass ${raw.hkMacauPass}, 台胞证 ${raw.taiwanPass}`);
    const text = log.all().join('\n');
    for (const [format, number] of Object.entries(raw)) expect(text, format).not.toContain(number);
    expect(text).toContain('USA1*******0101');
    expect(text).toContain('H******78');
  });

  it('keeps the last lines, one line each, masked and stamped', () => {
    const log = new KioskLog({ capacity: 3, now: () => new Date('2025-03-04T06:00:00.000Z'), echo: false });
    log.info('reader', 'first');
    log.warn('reader', 'second\nline');
    log.error('printer', 'failed', new Error('paper out for 11010519491231002X'));
    log.info('sync', 'fourth');
    expect(log.all()).toEqual([
      '2025-03-04T06:00:00.000Z warn reader: second line',
      '2025-03-04T06:00:00.000Z error printer: failed: Error: paper out for 1101**********002X',
      '2025-03-04T06:00:00.000Z info sync: fourth',
    ]);
    expect(log.tail(1)).toEqual(['2025-03-04T06:00:00.000Z info sync: fourth']);
  });

  it('echoes warnings and errors to stderr only', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const log = new KioskLog();
    log.info('a', 'quiet');
    log.warn('a', 'loud');
    log.error('a', 'louder');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(error).toHaveBeenCalledTimes(1);
    warn.mockRestore();
    error.mockRestore();
  });
});
