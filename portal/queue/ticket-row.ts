import { z } from 'zod';
import { TicketStatus, type QueueTicket } from '../../common/contract/sync-api.js';
import { Priority } from '../../common/domain/priority.js';
import { NumberSource } from '../../common/domain/ticket-number.js';

/** The columns every ticket query selects, in this order. */
export const TICKET_COLUMNS =
  'ticket_id, service_id, number, number_source, priority, status, kiosk_id, counter_id, received_at, called_at';

/** A tickets row as pg returns it (uuid as string, timestamptz as Date); checked, not trusted. */
const TicketRow = z.object({
  ticket_id: z.string(),
  service_id: z.string(),
  number: z.string(),
  number_source: z.enum(NumberSource),
  priority: z.enum(Priority),
  status: z.enum(TicketStatus),
  kiosk_id: z.string(),
  counter_id: z.string().nullable(),
  received_at: z.date(),
  called_at: z.date().nullable(),
});

export function toQueueTicket(raw: unknown): QueueTicket {
  const row = TicketRow.parse(raw);
  return {
    ticketId: row.ticket_id,
    serviceId: row.service_id,
    number: row.number,
    numberSource: row.number_source,
    priority: row.priority,
    status: row.status,
    kioskId: row.kiosk_id,
    counterId: row.counter_id,
    receivedAt: row.received_at.toISOString(),
    calledAt: row.called_at ? row.called_at.toISOString() : null,
  };
}
