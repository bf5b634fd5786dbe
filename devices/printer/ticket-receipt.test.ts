import { describe, expect, it } from 'vitest';
import { decodeEscPos } from './simulator/escpos-decoder.js';
import { sampleReceipt } from './test-receipt.fixture.js';
import { composeTicketReceipt, formatHallTime, textBytes } from './ticket-receipt.js';
import { encodeGb18030 } from './gb18030.js';

function indexOfSeq(hay: Buffer, needle: number[], from = 0): number {
  return hay.indexOf(Buffer.from(needle), from);
}

describe('composeTicketReceipt', () => {
  const bytes = composeTicketReceipt(sampleReceipt({ holderName: '张*三', issuedOffline: true }));

  it('starts with ESC @ and stays well under 2 KB', () => {
    expect([...bytes.subarray(0, 2)]).toEqual([0x1b, 0x40]);
    expect(bytes.length).toBeLessThan(2048);
  });

  it('wraps GB18030 Chinese in FS & ... FS .', () => {
    const service = encodeGb18030('社会保障卡申领');
    const at = bytes.indexOf(service);
    expect(at).toBeGreaterThan(0);
    expect([...bytes.subarray(at - 2, at)]).toEqual([0x1c, 0x26]);
    expect([...bytes.subarray(at + service.length, at + service.length + 2)]).toEqual([0x1c, 0x2e]);
    // Every FS & is closed before the next one opens.
    let open = false;
    for (let i = 0; i + 1 < bytes.length; i++) {
      if (bytes[i] === 0x1c && bytes[i + 1] === 0x26) {
        expect(open).toBe(false);
        open = true;
      } else if (bytes[i] === 0x1c && bytes[i + 1] === 0x2e) {
        expect(open).toBe(true);
        open = false;
      }
    }
    expect(open).toBe(false);
  });

  it('never sends the library CHINA code page or a "?" for Chinese', () => {
    expect(indexOfSeq(bytes, [0x1b, 0x52, 0x0f])).toBe(-1);
    const decoded = decodeEscPos(bytes).text;
    expect(decoded).not.toContain('?');
  });

  it('writes the QR code with GS ( k exactly as docs/devices.md', () => {
    const data = Buffer.from(sampleReceipt().qrData, 'utf8');
    const model = indexOfSeq(bytes, [0x1d, 0x28, 0x6b, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00]);
    const size = indexOfSeq(bytes, [0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x43]);
    const ecc = indexOfSeq(bytes, [0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x45, 0x31]);
    const length = data.length + 3;
    const store = indexOfSeq(bytes, [0x1d, 0x28, 0x6b, length % 256, Math.floor(length / 256), 0x31, 0x50, 0x30]);
    const print = indexOfSeq(bytes, [0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30]);
    expect(model).toBeGreaterThan(0);
    expect(size).toBeGreaterThan(model);
    expect(bytes[size + 7]).toBeGreaterThanOrEqual(1);
    expect(ecc).toBeGreaterThan(size);
    expect(store).toBeGreaterThan(ecc);
    expect(bytes.subarray(store + 8, store + 8 + data.length).equals(data)).toBe(true);
    expect(print).toBe(store + 8 + data.length);
  });

  it('sizes the QR store command in bytes for long and non-ASCII data (pH > 0)', () => {
    const qrData = `https://hall.example.gov.cn/t/${'x'.repeat(300)}/办事`;
    const b = composeTicketReceipt(sampleReceipt({ qrData }));
    const length = Buffer.byteLength(qrData, 'utf8') + 3;
    expect(length).toBeGreaterThan(255);
    expect(indexOfSeq(b, [0x1d, 0x28, 0x6b, length & 0xff, length >> 8, 0x31, 0x50, 0x30])).toBeGreaterThan(0);
    expect(decodeEscPos(b).qrCodes).toEqual([qrData]);
  });

  it('ends with feed and a cut, and no ESC @ after it', () => {
    const cut = indexOfSeq(bytes, [0x1d, 0x56, 0x00]);
    expect(cut).toBe(bytes.length - 3);
    expect(indexOfSeq(bytes, [0x1b, 0x64])).toBeGreaterThan(0);
  });

  it('prints the number in a large size', () => {
    const number = bytes.indexOf(Buffer.from('A023'));
    const before = bytes.subarray(0, number);
    const size = before.lastIndexOf(Buffer.from([0x1d, 0x21]));
    expect(size).toBeGreaterThan(0);
    expect(bytes[size + 2]).toBeGreaterThanOrEqual(0x11);
  });

  it('keeps printer commands out of text from outside', () => {
    const b = textBytes('办\x1b@事\x1dV\x00');
    expect(b.includes(0x1b)).toBe(false);
    expect(b.includes(0x1d)).toBe(false);
    expect(b.includes(0x00)).toBe(false);
  });

  it('prints the time in the hall zone, not the machine zone', () => {
    expect(formatHallTime(new Date('2025-01-01T16:05:00Z'), 'Asia/Shanghai')).toBe('2025-01-02 00:05');
    expect(formatHallTime(new Date('2025-01-01T16:05:00Z'), 'UTC')).toBe('2025-01-01 16:05');
  });
});

describe('composeTicketReceipt -> decodeEscPos', () => {
  it('reads back what the visitor holds', () => {
    const receipt = decodeEscPos(composeTicketReceipt(sampleReceipt({ holderName: '张*三', issuedOffline: true })));
    expect(receipt.cut).toBe(true);
    expect(receipt.lines).toContain('A023');
    expect(receipt.lines).toContain('某市政务服务中心');
    expect(receipt.lines).toContain('City Government Service Center');
    expect(receipt.text).toContain('社会保障卡申领');
    expect(receipt.text).toContain('Social Security Card');
    expect(receipt.lines).toContain('前面还有 3 人 / 3 ahead');
    expect(receipt.text).toContain('2025-01-02 09:30');
    expect(receipt.lines).toContain('离线出票 / Issued offline');
    expect(receipt.text).toContain('张*三');
    expect(receipt.qrCodes).toEqual([sampleReceipt().qrData]);
    expect(receipt.lines).toContain(`[QR:${sampleReceipt().qrData}]`);
    expect(receipt.lines.at(-1)).toBe('请留意叫号 / Please wait for your number');
  });

  it('says approx. when the count is approximate, — when unknown, and nothing optional when absent', () => {
    const approx = decodeEscPos(composeTicketReceipt(sampleReceipt({ peopleAhead: 12, peopleAheadApproximate: true }))).lines;
    expect(approx).toContain('前面还有约 12 人 / approx. 12 ahead');
    const unknown = decodeEscPos(composeTicketReceipt(sampleReceipt({ peopleAhead: null, peopleAheadApproximate: true }))).text;
    expect(unknown).toContain('前面还有 — 人 / — ahead');
    expect(unknown).not.toContain('离线出票');
    expect(unknown).not.toContain('Name:');
  });

  it('prints an appointment check-in as "预约 09:30 / Appointment 09:30" in the hall zone, and nothing of it for a walk-in', () => {
    // 01:30Z is 09:30 in Shanghai, 01:30 in UTC.
    const appointmentStart = new Date('2025-01-02T01:30:00Z');
    const booked = decodeEscPos(composeTicketReceipt(sampleReceipt({ appointmentStart }))).lines;
    expect(booked).toContain('预约 09:30 / Appointment 09:30');
    expect(booked.indexOf('预约 09:30 / Appointment 09:30')).toBe(booked.indexOf('A023') + 1);
    expect(decodeEscPos(composeTicketReceipt(sampleReceipt({ appointmentStart, timeZone: 'UTC' }))).lines).toContain('预约 01:30 / Appointment 01:30');
    expect(decodeEscPos(composeTicketReceipt(sampleReceipt())).text).not.toContain('预约');
  });

  it('prints a kiosk-series number', () => {
    expect(decodeEscPos(composeTicketReceipt(sampleReceipt({ number: 'A2-047' }))).lines).toContain('A2-047');
  });

  it('prints four-digit numbers (A1000, band A8001, A9999, series A1-1000) at the same size, on one line of 80 mm paper', () => {
    /** Dots across an 80 mm head (the composer's 48 columns of 12-dot font A). */
    const HEAD_DOTS = 48 * 12;
    const sizeBefore = (bytes: Buffer, text: string): number => {
      const at = bytes.indexOf(Buffer.from(text));
      const cmd = bytes.subarray(0, at).lastIndexOf(Buffer.from([0x1d, 0x21]));
      return bytes[cmd + 2] ?? -1;
    };
    const threeDigits = sizeBefore(composeTicketReceipt(sampleReceipt()), 'A023');
    for (const number of ['A1000', 'A8001', 'A9999', 'A1-1000']) {
      const qrData = `HK1:0194254e-7c00-7abc-8def-0123456789ab:${number}`;
      const bytes = composeTicketReceipt(sampleReceipt({ number, qrData }));
      const decoded = decodeEscPos(bytes);
      expect(decoded.lines, number).toContain(number);
      expect(decoded.qrCodes).toEqual([qrData]);
      const size = sizeBefore(bytes, number);
      expect(size, number).toBe(threeDigits);
      const widthTimes = ((size >> 4) & 0x07) + 1;
      expect(number.length * 12 * widthTimes, number).toBeLessThanOrEqual(HEAD_DOTS);
      expect(bytes.length).toBeLessThan(2048);
    }
  });
});
