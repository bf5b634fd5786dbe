import { describe, expect, it } from 'vitest';
import {
  BAND_FIRST_SEQUENCE,
  BAND_LAST_SEQUENCE,
  MAX_DAILY_SEQUENCE,
  ONLINE_LAST_SEQUENCE,
  TicketNumber,
  formatHallNumber,
  formatKioskSeriesNumber,
  isBandSequence,
  parseTicketNumber,
} from './ticket-number.js';

describe('hall numbers', () => {
  it('are the prefix and at least three digits, up to four: A001 … A999, A1000 … A9999', () => {
    expect(formatHallNumber('A', 1)).toBe('A001');
    expect(formatHallNumber('A', 999)).toBe('A999');
    expect(formatHallNumber('A', 1000)).toBe('A1000');
    expect(formatHallNumber('K', BAND_FIRST_SEQUENCE)).toBe('K8001');
    expect(formatHallNumber('K', MAX_DAILY_SEQUENCE)).toBe('K9999');
    expect(() => formatHallNumber('A', 10_000)).toThrow(RangeError);
    expect(() => formatHallNumber('A', 0)).toThrow(RangeError);
  });

  it('split the day into an online range and a band range that never meet', () => {
    expect(ONLINE_LAST_SEQUENCE).toBe(7999);
    expect([BAND_FIRST_SEQUENCE, BAND_LAST_SEQUENCE]).toEqual([8001, 9999]);
    expect(isBandSequence(7999)).toBe(false);
    expect(isBandSequence(8000)).toBe(false);
    expect(isBandSequence(8001)).toBe(true);
    expect(isBandSequence(9999)).toBe(true);
  });

  it('pass the contract schema with four digits, and so reach receipts, QR codes and the portal', () => {
    for (const n of ['A001', 'A999', 'A1000', 'A8001', 'A9999', 'A2-047', 'A2-1000']) expect(TicketNumber.safeParse(n).success, n).toBe(true);
    for (const n of ['A01', 'A10000', 'a001', 'A-001', 'A12-001']) expect(TicketNumber.safeParse(n).success, n).toBe(false);
  });
});

describe('parseTicketNumber', () => {
  it('takes hall and series numbers apart', () => {
    expect(parseTicketNumber('A1000')).toEqual({ kind: 'hall', prefix: 'A', sequence: 1000 });
    expect(parseTicketNumber('B8001')).toEqual({ kind: 'hall', prefix: 'B', sequence: 8001 });
    expect(parseTicketNumber('A2-047')).toEqual({ kind: 'series', prefix: 'A', kioskDigit: 2, sequence: 47 });
    expect(parseTicketNumber(formatKioskSeriesNumber('C', 0, 1234))).toEqual({ kind: 'series', prefix: 'C', kioskDigit: 0, sequence: 1234 });
  });

  it('refuses any spelling but the printed one: A0001 is not A001, A1-0047 is not A1-047', () => {
    for (const n of ['A0001', 'A0999', 'A000', 'A1-0047', 'A1-000', 'A', 'A12-001', 'AB001']) expect(parseTicketNumber(n), n).toBeNull();
  });
});
