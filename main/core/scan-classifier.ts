import { z } from 'zod';
import { ScanKind, type ScanResult, type ScanSource } from '../../common/contract/kiosk-api.js';
import { CERTIFICATE_CODE_PREFIX } from '../../common/contract/cases-api.js';
import { Appointment } from '../../common/contract/sync-api.js';
import { TicketNumber } from '../../common/domain/ticket-number.js';

/** The reference format of an appointment QR, straight from the sync contract. */
const AppointmentReference = Appointment.shape.reference;

/** The kiosk's own ticket QR (ticketQrData): `HK1:<ticket uuid>:<number>`. */
const TICKET_PREFIX = 'HK1:';
const TicketQr = z.object({ ticketId: z.uuid(), number: TicketNumber });

const PRINTABLE = /^[\x20-\x7e]+$/;
/** Longest code of any kind but a certificate's. */
const MAX_CODE = 512;
/** An e-certificate slip's code: `HKC1.<keyId>.<payload>.<signature>`, up to the contract's 2000. */
const CERTIFICATE_PREFIX = `${CERTIFICATE_CODE_PREFIX}.`;
const MAX_CERTIFICATE_CODE = 2000;

/** What the classifier may ask the store: only what is needed, nothing personal. */
export interface ScanLookup {
  ticketNumber(ticketId: string): string | null;
  appointmentKnown(reference: string): boolean;
}

function result(
  kind: ScanKind,
  message: string,
  reference: string | null,
  source: ScanSource,
  at: Date,
  extra: Pick<ScanResult, 'ticketId' | 'certificateCode'> = {},
): ScanResult {
  return { kind, message, source, reference, scannedAt: at.toISOString(), ...extra };
}

/**
 * Validates a scanned code and says what it is (docs/architecture.md §6): one of our ticket QR codes
 * (with its ticket id, so the screen can rate that ticket), an appointment reference (the screen
 * checks it in), an e-certificate slip's code (the screen has it verified: a forged or damaged one
 * gets its verdict there, not a bare "invalid"), something else (unknown), or broken (invalid).
 * The scanned text is never echoed back beyond a recognised reference or certificate code: it
 * may be anything.
 */
export function classifyScan(raw: string, source: ScanSource, lookup: ScanLookup, at: Date): ScanResult {
  const code = raw.replace(/[\r\n\t]+$/, '').trim();
  const certificate = code.startsWith(CERTIFICATE_PREFIX);
  if (code.length === 0 || code.length > (certificate ? MAX_CERTIFICATE_CODE : MAX_CODE) || !PRINTABLE.test(code)) {
    return result(ScanKind.Invalid, 'not a printable code', null, source, at);
  }
  if (certificate) return result(ScanKind.Certificate, 'e-certificate code', null, source, at, { certificateCode: code });
  if (code.startsWith(TICKET_PREFIX)) {
    const [ticketId = '', number = '', ...rest] = code.slice(TICKET_PREFIX.length).split(':');
    const parsed = TicketQr.safeParse({ ticketId, number });
    if (!parsed.success || rest.length > 0) return result(ScanKind.Invalid, 'malformed ticket QR code', null, source, at);
    const stored = lookup.ticketNumber(parsed.data.ticketId);
    if (stored !== null && stored !== parsed.data.number) {
      return result(ScanKind.Invalid, `ticket QR number ${parsed.data.number} does not match ticket ${stored}`, null, source, at);
    }
    const where = stored === null ? 'not issued by this kiosk' : 'issued by this kiosk';
    return result(ScanKind.Ticket, `ticket ${parsed.data.number}, ${where}`, parsed.data.number, source, at, { ticketId: parsed.data.ticketId });
  }
  const reference = AppointmentReference.safeParse(code);
  if (reference.success) {
    const known = lookup.appointmentKnown(reference.data);
    const message = known ? `appointment ${reference.data}` : `appointment ${reference.data}, not in this kiosk's list for today and tomorrow`;
    return result(ScanKind.Appointment, message, reference.data, source, at);
  }
  return result(ScanKind.Unknown, 'not a ticket or appointment code', null, source, at);
}
