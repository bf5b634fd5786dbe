import { z } from 'zod';
import { TicketStatus, type QueueTicket } from '../../common/contract/counter-api.js';
import { Priority } from '../../common/domain/priority.js';
import { NumberSource } from '../../common/domain/ticket-number.js';

/** The columns of a ticket every counter query returns, in this order. */
export const TICKET_COLUMN_LIST = [
  'ticket_id',
  'service_id',
  'number',
  'number_source',
  'priority',
  'status',
  'kiosk_id',
  'counter_id',
  'target_counter_id',
  'masked_name',
  'appointment_at',
  'queue_at',
  'received_at',
  'called_at',
  'call_count',
  'case_number',
] as const;

export const TICKET_COLUMNS = TICKET_COLUMN_LIST.join(', ');

/** The same columns over a table alias (`t.ticket_id, …`). */
export function ticketColumnsOf(alias: string): string {
  return TICKET_COLUMN_LIST.map((c) => `${alias}.${c}`).join(', ');
}

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
  target_counter_id: z.string().nullable(),
  masked_name: z.string().nullable(),
  appointment_at: z.date().nullable(),
  queue_at: z.date(),
  received_at: z.date(),
  called_at: z.date().nullable(),
  call_count: z.number().int(),
  case_number: z.string().nullable(),
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
    targetCounterId: row.target_counter_id,
    maskedName: row.masked_name,
    appointmentAt: row.appointment_at?.toISOString() ?? null,
    queueAt: row.queue_at.toISOString(),
    receivedAt: row.received_at.toISOString(),
    calledAt: row.called_at?.toISOString() ?? null,
    callCount: row.call_count,
    caseNumber: row.case_number,
  };
}
