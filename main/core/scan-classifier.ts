import { z } from 'zod';
import { ScanKind, type ScanResult, type ScanSource } from '../../common/contract/kiosk-api.js';
import { Appointment } from '../../common/contract/sync-api.js';
import { TicketNumber } from '../../common/domain/ticket-number.js';

/** The reference format of an appointment QR, straight from the sync contract. */
const AppointmentReference = Appointment.shape.reference;

/** The kiosk's own ticket QR (ticketQrData): `HK1:<ticket uuid>:<number>`. */
const TICKET_PREFIX = 'HK1:';
const TicketQr = z.object({ ticketId: z.uuid(), number: TicketNumber });

const PRINTABLE = /^[\x20-\x7e]+$/;

/** What the classifier may ask the store: only what is needed, nothing personal. */
export interface ScanLookup {
  ticketNumber(ticketId: string): string | null;
  appointmentKnown(reference: string): boolean;
}

function result(kind: ScanKind, message: string, reference: string | null, source: ScanSource, at: Date): ScanResult {
  return { kind, message, source, reference, scannedAt: at.toISOString() };
}

/**
 * Validates a scanned code and says what it is (ARCHITECTURE.md §6): one of our ticket QR codes,
 * an appointment reference, something else (unknown), or broken (invalid). The scanned text is
 * never echoed back beyond a recognised reference: it may be anything.
 */
export function classifyScan(raw: string, source: ScanSource, lookup: ScanLookup, at: Date): ScanResult {
  const code = raw.replace(/[\r\n\t]+$/, '').trim();
  if (code.length === 0 || code.length > 512 || !PRINTABLE.test(code)) {
    return result(ScanKind.Invalid, 'not a printable code', null, source, at);
  }
  if (code.startsWith(TICKET_PREFIX)) {
    const [ticketId = '', number = '', ...rest] = code.slice(TICKET_PREFIX.length).split(':');
    const parsed = TicketQr.safeParse({ ticketId, number });
    if (!parsed.success || rest.length > 0) return result(ScanKind.Invalid, 'malformed ticket QR code', null, source, at);
    const stored = lookup.ticketNumber(parsed.data.ticketId);
    if (stored !== null && stored !== parsed.data.number) {
      return result(ScanKind.Invalid, `ticket QR number ${parsed.data.number} does not match ticket ${stored}`, null, source, at);
    }
    const where = stored === null ? 'not issued by this kiosk' : 'issued by this kiosk';
    return result(ScanKind.Ticket, `ticket ${parsed.data.number}, ${where}`, parsed.data.number, source, at);
  }
  const reference = AppointmentReference.safeParse(code);
  if (reference.success) {
    const known = lookup.appointmentKnown(reference.data);
    const message = known ? `appointment ${reference.data}` : `appointment ${reference.data}, not in this kiosk's list for today and tomorrow`;
    return result(ScanKind.Appointment, message, reference.data, source, at);
  }
  return result(ScanKind.Unknown, 'not a ticket or appointment code', null, source, at);
}
