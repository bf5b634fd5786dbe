import { CERTIFICATE_CODE_PREFIX } from '../../../common/contract/cases-api.js';
import { ScanKind, type ScanResult } from '../../../common/contract/kiosk-api.js';
import { parseTicketQrPayload } from '../qr/ticket-qr-parse.js';

/** Where a scan takes the visitor: a scan anywhere starts the journey its code belongs to. */
export enum ScanRouteKind {
  /** A booking QR: check in. */
  CheckIn = 'check-in',
  /** A certificate slip: verify it. */
  Verify = 'verify',
  /** A ticket's QR: rate that ticket. */
  Rate = 'rate',
  /** Nothing to start: the scan is only reported (unknown or invalid code). */
  Notice = 'notice',
}

export type ScanRoute =
  | { kind: ScanRouteKind.CheckIn; reference: string }
  | { kind: ScanRouteKind.Verify; code: string | null }
  | { kind: ScanRouteKind.Rate; ticketId: string | null; number: string | null }
  | { kind: ScanRouteKind.Notice };

/**
 * Decides what a classified scan starts. The core classifies every code; `raw` is the text itself
 * when the renderer read it (keyboard wedge), so a wedge scan needs nothing more from the core.
 * A serial scan's ticket id and certificate code come with the core's ScanResult.
 */
export function routeScan(scan: ScanResult, raw: string | null): ScanRoute {
  const text = raw?.trim() ?? null;
  switch (scan.kind) {
    case ScanKind.Appointment:
      return scan.reference ? { kind: ScanRouteKind.CheckIn, reference: scan.reference } : { kind: ScanRouteKind.Notice };
    case ScanKind.Certificate: {
      const fromWedge = text?.startsWith(`${CERTIFICATE_CODE_PREFIX}.`) ? text : null;
      return { kind: ScanRouteKind.Verify, code: scan.certificateCode ?? fromWedge };
    }
    case ScanKind.Ticket: {
      const qr = text ? parseTicketQrPayload(text) : null;
      const ticketId = scan.ticketId ?? qr?.ticketId ?? null;
      const number = scan.reference ?? qr?.number ?? null;
      // Without either, a lookup would fall back to the card: not what the visitor scanned.
      return ticketId === null && number === null ? { kind: ScanRouteKind.Notice } : { kind: ScanRouteKind.Rate, ticketId, number };
    }
    default:
      return { kind: ScanRouteKind.Notice };
  }
}
