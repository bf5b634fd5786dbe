import { z } from 'zod';
import type { TicketView } from '../../../common/contract/kiosk-api.js';
import { TicketNumber } from '../../../common/domain/ticket-number.js';

const TICKET_QR_PREFIX = 'HK1:';
const TicketQr = z.object({ ticketId: z.uuid(), number: TicketNumber });

/** The ticket a scanned ticket QR (`HK1:<id>:<number>`, see ticketQrPayload) names, or null for anything else. */
export function parseTicketQrPayload(text: string): Pick<TicketView, 'ticketId' | 'number'> | null {
  const code = text.trim();
  if (!code.startsWith(TICKET_QR_PREFIX)) return null;
  const [ticketId = '', number = '', ...rest] = code.slice(TICKET_QR_PREFIX.length).split(':');
  const parsed = TicketQr.safeParse({ ticketId, number });
  return parsed.success && rest.length === 0 ? parsed.data : null;
}
