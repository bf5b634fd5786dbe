import { describe, expect, it } from 'vitest';
import { maskDocumentNumber, maskIdNumber, maskName, redactIdNumbers, withoutIdNumbers } from './masking.js';

describe('masking for screen and paper', () => {
  it('masks names by code point and ID numbers to the first and last four', () => {
    expect(maskName('欧阳娜娜')).toBe('欧**娜');
    expect(maskName('𠮷三')).toBe('𠮷*');
    expect(maskIdNumber('11010519491231002X')).toBe('1101**********002X');
  });

  it('masks a short pass number to its first and last two characters', () => {
    expect(maskDocumentNumber('H12345678')).toBe('H******78');
    expect(maskDocumentNumber('USA110079050101')).toBe('USA1*******0101');
  });
});

describe('redactIdNumbers: every card and pass number format', () => {
  const cases: Array<[format: string, text: string, masked: string]> = [
    ['resident ID, 18 digits with X', 'card 11010519491231002X read', 'card 1101**********002X read'],
    ['resident ID, lower-case x, next to Chinese text', '身份证11010519491231002x已读', '身份证1101**********002x已读'],
    ['resident ID in 6-8-4 groups', 'id 110105 19491231 002X', 'id 1101**********002X'],
    ['first-generation resident ID, 15 digits', 'old 110105491231002.', 'old 1101*******1002.'],
    ['Hong Kong residence permit (810000...)', 'permit=810000199408230021;', 'permit=8100**********0021;'],
    ['Macau residence permit (820000...)', 'permit 820000200001010011', 'permit 8200**********0011'],
    ['Taiwan residence permit (830000...)', 'permit 830000198512120022', 'permit 8300**********0022'],
    ['2017 foreign permanent residence card, 3 letters and 12 digits', 'Y card USA110079050101 read', 'Y card USA1*******0101 read'],
    ['2023 foreign permanent residence card, 18 characters from 9', 'Y card 93310019900307003X read', 'Y card 9331**********003X read'],
    ['HK/Macau residents\' pass, H and 8 digits', 'pass H12345678 seen', 'pass H******78 seen'],
    ['HK/Macau residents\' pass, M and 10 digits (older card)', 'pass M1234567801', 'pass M********01'],
    ['Taiwan residents\' pass after its name', '台胞证号码：12345678', '台胞证号码：1*****78'],
    ['Taiwan residents\' pass, English label', 'MTP No. 0123456789 expired', 'MTP No. 0*******89 expired'],
  ];

  it.each(cases)('%s', (_format, text, masked) => {
    expect(redactIdNumbers(text)).toBe(masked);
  });

  it('leaves ticket numbers, dates, counts, UUIDs and times alone', () => {
    const text = 'ticket A023 A2-047 A1000 on 20250304 at 2025-03-04T06:00:00.000Z seq 1234567 uuid 0193a5e8-7f3c-7000-8000-000000000000 took 1741068000000 ms, 12345678 bytes';
    expect(redactIdNumbers(text)).toBe(text);
  });
});

describe('withoutIdNumbers', () => {
  it('removes raw and masked numbers alike, and keeps the rest', () => {
    expect(withoutIdNumbers('reader: card read: mainland 1101**********002X')).toBe('reader: card read: mainland [ID number]');
    expect(withoutIdNumbers('reader: card read: foreign-2017 USA1*******0101, again 11010519491231002X')).toBe(
      'reader: card read: foreign-2017 [ID number], again [ID number]',
    );
    expect(withoutIdNumbers('pass H******78')).toBe('pass [ID number]');
    expect(withoutIdNumbers('printer: failed: paper out (3 *** retries)')).toBe('printer: failed: paper out (3 *** retries)');
  });
});
