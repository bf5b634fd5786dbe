import { describe, expect, it } from 'vitest';
import { ScanKind, ScanResult, ScanSource } from '../../common/contract/kiosk-api.js';
import { classifyScan, type ScanLookup } from './scan-classifier.js';

const AT = new Date('2025-03-04T06:00:00.000Z');
const TICKET_ID = '0193a5e8-7f3c-7a4b-9c2d-1e2f3a4b5c6d';
const lookup: ScanLookup = {
  ticketNumber: (id) => (id === TICKET_ID ? 'A023' : null),
  appointmentKnown: (ref) => ref === 'HKA-7Q2M9XKD',
};
const scan = (code: string) => ScanResult.parse(classifyScan(code, ScanSource.Serial, lookup, AT));

describe('classifyScan', () => {
  it('recognises this kiosk’s ticket QR and checks its number', () => {
    expect(scan(`HK1:${TICKET_ID}:A023`)).toMatchObject({ kind: ScanKind.Ticket, reference: 'A023', message: 'ticket A023, issued by this kiosk' });
    expect(scan(`HK1:0193a5e8-7f3c-7a4b-9c2d-1e2f3a4b5c6e:B2-047`)).toMatchObject({ kind: ScanKind.Ticket, reference: 'B2-047' });
    expect(scan(`HK1:${TICKET_ID}:A024`).kind).toBe(ScanKind.Invalid);
  });

  it('calls a malformed ticket QR invalid', () => {
    for (const code of ['HK1:not-a-uuid:A023', `HK1:${TICKET_ID}:a023`, `HK1:${TICKET_ID}`, `HK1:${TICKET_ID}:A023:extra`]) {
      expect(scan(code)).toMatchObject({ kind: ScanKind.Invalid, reference: null });
    }
  });

  it('recognises appointment references by the sync contract format, known or not', () => {
    expect(scan('HKA-7Q2M9XKD')).toMatchObject({ kind: ScanKind.Appointment, reference: 'HKA-7Q2M9XKD', message: 'appointment HKA-7Q2M9XKD' });
    expect(scan('HKA-23456789\r\n')).toMatchObject({ kind: ScanKind.Appointment, reference: 'HKA-23456789' });
    expect(scan('HKA-23456789').message).toMatch(/not in this kiosk/);
  });

  it('recognises an e-certificate slip code and hands it on whole (its verdict comes from verifyCertificate), up to 2000 characters', () => {
    const code = `HKC1.hall-key-1.${'e'.repeat(600)}.${'s'.repeat(86)}`;
    expect(scan(`${code}\r\n`)).toMatchObject({ kind: ScanKind.Certificate, reference: null, certificateCode: code, message: 'e-certificate code' });
    // Damaged or forged codes still go to the verification, which says so.
    expect(scan('HKC1.x')).toMatchObject({ kind: ScanKind.Certificate, certificateCode: 'HKC1.x' });
    expect(scan(`HKC1.k.${'e'.repeat(2000)}.s`).kind).toBe(ScanKind.Invalid);
    expect(scan('HKC1:not-the-prefix').kind).toBe(ScanKind.Unknown);
  });

  it('gives a ticket QR’s ticket id, so the screen can rate that ticket', () => {
    expect(scan(`HK1:${TICKET_ID}:A023`).ticketId).toBe(TICKET_ID);
    expect(scan('HKA-7Q2M9XKD').ticketId).toBeUndefined();
  });

  it('calls other printable text unknown, and control characters or huge input invalid', () => {
    expect(scan('https://example.com/a?b=c')).toMatchObject({ kind: ScanKind.Unknown, reference: null });
    expect(scan('hello world')).toMatchObject({ kind: ScanKind.Unknown });
    expect(scan('AB\u0007CDEF').kind).toBe(ScanKind.Invalid);
    expect(scan('二维码').kind).toBe(ScanKind.Invalid);
    expect(scan('   ').kind).toBe(ScanKind.Invalid);
    expect(scan('A'.repeat(600)).kind).toBe(ScanKind.Invalid);
  });

  it('never echoes unrecognised text back', () => {
    const secret = 'name=张三;id=110105195803040019';
    const result = classifyScan(secret, ScanSource.KeyboardWedge, lookup, AT);
    expect(JSON.stringify(result)).not.toContain('110105195803040019');
  });
});
