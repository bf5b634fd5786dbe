import { create } from 'qrcode';
import { qrSvgPath, type QrSvgShape } from '../../../common/browser/qr/qr-svg-path.js';
import type { TicketView } from '../../../common/contract/kiosk-api.js';

export type { QrSvgShape } from '../../../common/browser/qr/qr-svg-path.js';

/** What the on-screen QR code says: versioned, so counters can read older codes after a change. */
export function ticketQrPayload(ticket: Pick<TicketView, 'ticketId' | 'number'>): string {
  return `HK1:${ticket.ticketId}:${ticket.number}`;
}

/**
 * Draws a QR code as one SVG path built from the module matrix, so it renders as React
 * elements (no HTML string, no canvas) and looks the same in every renderer.
 */
export function qrSvgShape(text: string): QrSvgShape {
  return qrSvgPath(create(text, { errorCorrectionLevel: 'M' }).modules);
}
