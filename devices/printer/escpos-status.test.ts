import { describe, expect, it } from 'vitest';
import { PrinterState } from '../../common/contract/kiosk-api.js';
import { DeviceError, DeviceErrorKind } from '../device-error.js';
import { dleEot, parsePrinterStatus, StatusQuery } from './escpos-status.js';

describe('DLE EOT', () => {
  it('is 10 04 n', () => {
    expect([...dleEot(StatusQuery.Printer)]).toEqual([0x10, 0x04, 0x01]);
    expect([...dleEot(StatusQuery.OfflineCause)]).toEqual([0x10, 0x04, 0x02]);
    expect([...dleEot(StatusQuery.RollPaper)]).toEqual([0x10, 0x04, 0x04]);
  });
});

describe('parsePrinterStatus (docs/devices.md bits)', () => {
  const vectors: Array<[string, { printer: number; offline: number; paper: number }, PrinterState]> = [
    ['all clear', { printer: 0x12, offline: 0x12, paper: 0x12 }, PrinterState.Ready],
    ['n=4 bits 2+3: near end', { printer: 0x12, offline: 0x12, paper: 0x1e }, PrinterState.PaperNearEnd],
    ['n=4 bits 5+6: paper end', { printer: 0x1a, offline: 0x32, paper: 0x7e }, PrinterState.PaperOut],
    ['paper end on n=4 alone', { printer: 0x12, offline: 0x12, paper: 0x72 }, PrinterState.PaperOut],
    ['n=2 bit 5: stopped by paper end', { printer: 0x1a, offline: 0x32, paper: 0x12 }, PrinterState.PaperOut],
    ['n=2 bit 2: cover open', { printer: 0x1a, offline: 0x16, paper: 0x12 }, PrinterState.CoverOpen],
    ['n=2 bit 6: error', { printer: 0x1a, offline: 0x52, paper: 0x12 }, PrinterState.Error],
    ['n=1 bit 3: offline', { printer: 0x1a, offline: 0x12, paper: 0x12 }, PrinterState.Offline],
    ['offline beats near end', { printer: 0x1a, offline: 0x12, paper: 0x1e }, PrinterState.Offline],
    ['paper out beats cover open and error', { printer: 0x1a, offline: 0x76, paper: 0x7e }, PrinterState.PaperOut],
    ['cover open beats error', { printer: 0x1a, offline: 0x56, paper: 0x12 }, PrinterState.CoverOpen],
    ['error beats near end', { printer: 0x12, offline: 0x52, paper: 0x1e }, PrinterState.Error],
    ['n=1 bit 5 (waiting for recovery) alone is not a fault', { printer: 0x32, offline: 0x12, paper: 0x12 }, PrinterState.Ready],
  ];
  for (const [name, replies, expected] of vectors) {
    it(name, () => {
      expect(parsePrinterStatus(replies)).toBe(expected);
    });
  }

  const badBytes: Array<[string, number]> = [
    ['bit 1 clear', 0x10],
    ['bit 4 clear', 0x02],
    ['bit 0 set', 0x13],
    ['bit 7 set', 0x92],
    ['zero', 0x00],
    ['0xff', 0xff],
    ['not a byte', 0x112],
  ];
  for (const [name, byte] of badBytes) {
    it(`rejects ${name} as a bad frame`, () => {
      for (const field of ['printer', 'offline', 'paper'] as const) {
        const replies = { printer: 0x12, offline: 0x12, paper: 0x12, [field]: byte };
        let caught: unknown;
        try {
          parsePrinterStatus(replies);
        } catch (err) {
          caught = err;
        }
        expect(caught).toBeInstanceOf(DeviceError);
        expect((caught as DeviceError).kind).toBe(DeviceErrorKind.BadFrame);
      }
    });
  }
});
