import { create } from 'qrcode';
import type { TicketView } from '../../../common/contract/kiosk-api.js';

/** What the on-screen QR code says: versioned, so counters can read older codes after a change. */
export function ticketQrPayload(ticket: Pick<TicketView, 'ticketId' | 'number'>): string {
  return `HK1:${ticket.ticketId}:${ticket.number}`;
}

export interface QrSvgShape {
  /** Width and height of the view box in modules, quiet zone included. */
  viewSize: number;
  /** One SVG path drawing every dark module. */
  path: string;
}

/** Modules of white border the QR specification asks for around the symbol. */
const QUIET_ZONE = 4;

/**
 * Draws a QR code as one SVG path built from the module matrix, so it renders as React
 * elements (no HTML string, no canvas) and looks the same in every renderer.
 */
export function qrSvgShape(text: string): QrSvgShape {
  const { modules } = create(text, { errorCorrectionLevel: 'M' });
  const parts: string[] = [];
  for (let row = 0; row < modules.size; row += 1) {
    let col = 0;
    while (col < modules.size) {
      if (!modules.get(row, col)) {
        col += 1;
        continue;
      }
      const start = col;
      while (col < modules.size && modules.get(row, col)) col += 1;
      const run = col - start;
      parts.push(`M${start + QUIET_ZONE} ${row + QUIET_ZONE}h${run}v1h-${run}z`);
    }
  }
  return { viewSize: modules.size + QUIET_ZONE * 2, path: parts.join('') };
}
