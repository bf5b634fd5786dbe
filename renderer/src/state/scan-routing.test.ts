import { describe, expect, it } from 'vitest';
import { ScanKind, ScanSource } from '../../../common/contract/kiosk-api.js';
import { parseTicketQrPayload } from '../qr/ticket-qr-parse.js';
import { ticketQrPayload } from '../qr/ticket-qr.js';
import { SAMPLE_CERTIFICATE_CODE, sampleScan } from '../testing/fixtures.js';
import { routeScan, ScanRouteKind } from './scan-routing.js';

const TICKET_ID = '0193a5e8-7f3c-7a4b-9c2d-1e2f3a4b5c6d';

describe('scan routing', () => {
  it('starts a check-in for a booking reference', () => {
    expect(routeScan(sampleScan(), null)).toEqual({ kind: ScanRouteKind.CheckIn, reference: 'HKA-7Q2M9XKD' });
    expect(routeScan(sampleScan({ reference: null }), null)).toEqual({ kind: ScanRouteKind.Notice });
  });

  it('verifies a certificate with the wedge text, or the code a serial scan carries', () => {
    const certificate = sampleScan({ kind: ScanKind.Certificate, reference: null });
    expect(routeScan(certificate, `${SAMPLE_CERTIFICATE_CODE}\r\n`)).toEqual({ kind: ScanRouteKind.Verify, code: SAMPLE_CERTIFICATE_CODE });
    const serial = { ...certificate, source: ScanSource.Serial, certificateCode: SAMPLE_CERTIFICATE_CODE };
    expect(routeScan(serial, null)).toEqual({ kind: ScanRouteKind.Verify, code: SAMPLE_CERTIFICATE_CODE });
    // A serial scan whose code did not come along: the screen asks for another scan.
    expect(routeScan({ ...certificate, source: ScanSource.Serial }, null)).toEqual({ kind: ScanRouteKind.Verify, code: null });
  });

  it('rates the ticket a ticket QR names: id from the wedge text or the core, number from the core', () => {
    const ticket = sampleScan({ kind: ScanKind.Ticket, reference: 'A023' });
    expect(routeScan(ticket, ticketQrPayload({ ticketId: TICKET_ID, number: 'A023' }))).toEqual({ kind: ScanRouteKind.Rate, ticketId: TICKET_ID, number: 'A023' });
    expect(routeScan({ ...ticket, ticketId: TICKET_ID }, null)).toEqual({ kind: ScanRouteKind.Rate, ticketId: TICKET_ID, number: 'A023' });
    expect(routeScan(ticket, null)).toEqual({ kind: ScanRouteKind.Rate, ticketId: null, number: 'A023' });
    // Nothing to name the ticket by: never fall back to a lookup by card.
    expect(routeScan({ ...ticket, reference: null }, null)).toEqual({ kind: ScanRouteKind.Notice });
  });

  it('only reports unknown and invalid codes', () => {
    expect(routeScan(sampleScan({ kind: ScanKind.Unknown, reference: null }), 'hello world')).toEqual({ kind: ScanRouteKind.Notice });
    expect(routeScan(sampleScan({ kind: ScanKind.Invalid, reference: null }), 'HK1:x')).toEqual({ kind: ScanRouteKind.Notice });
  });
});

describe('ticket QR parsing', () => {
  it('reads back what the ticket QR says, and nothing else', () => {
    expect(parseTicketQrPayload(ticketQrPayload({ ticketId: TICKET_ID, number: 'A2-047' }))).toEqual({ ticketId: TICKET_ID, number: 'A2-047' });
    expect(parseTicketQrPayload(`HK1:${TICKET_ID}:A023:extra`)).toBeNull();
    expect(parseTicketQrPayload(`HK1:not-a-uuid:A023`)).toBeNull();
    expect(parseTicketQrPayload(`HK2:${TICKET_ID}:A023`)).toBeNull();
    expect(parseTicketQrPayload('HKA-7Q2M9XKD')).toBeNull();
  });
});
