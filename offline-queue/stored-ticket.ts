import { z } from 'zod';
import { PrintState } from '../common/contract/kiosk-api.js';
import { Priority } from '../common/domain/priority.js';
import { NumberSource } from '../common/domain/ticket-number.js';

/** A ticket as the kiosk keeps it. `citizenHmac` is an HMAC, never a raw ID number. */
export interface StoredTicket {
  ticketId: string;
  requestId: string;
  serviceId: string;
  number: string;
  numberSource: NumberSource;
  businessDay: string;
  priority: Priority;
  issuedAt: string;
  peopleAhead: number | null;
  peopleAheadApproximate: boolean;
  issuedOffline: boolean;
  printState: PrintState;
  citizenHmac: string | null;
  /** The appointment this ticket checked in (priority appointment), or null for a walk-in. */
  appointmentId: string | null;
  /** That appointment's slot start ("预约 09:30"): kept here, the appointment row goes with its day. */
  appointmentStart: string | null;
}

/** The columns of `tickets`, in the order every ticket query selects them. */
export const TICKET_COLUMNS =
  'ticket_id, request_id, service_id, number, number_source, business_day, priority, issued_at, ' +
  'people_ahead, people_ahead_approx, issued_offline, print_state, citizen_hmac, appointment_id, appointment_start';

const ZeroOne = z.union([z.literal(0), z.literal(1)]);

/** A `tickets` row as SQLite returns it; parsed so a bad value fails here, not in a caller. */
export const TicketRow = z.object({
  ticket_id: z.string(),
  request_id: z.string(),
  service_id: z.string(),
  number: z.string(),
  number_source: z.enum(NumberSource),
  business_day: z.string(),
  priority: z.enum(Priority),
  issued_at: z.string(),
  people_ahead: z.number().int().nullable(),
  people_ahead_approx: ZeroOne,
  issued_offline: ZeroOne,
  print_state: z.enum(PrintState),
  citizen_hmac: z.string().nullable(),
  appointment_id: z.string().nullable(),
  appointment_start: z.string().nullable(),
});
export type TicketRow = z.infer<typeof TicketRow>;

export function toStoredTicket(raw: unknown): StoredTicket {
  const row = TicketRow.parse(raw);
  return {
    ticketId: row.ticket_id,
    requestId: row.request_id,
    serviceId: row.service_id,
    number: row.number,
    numberSource: row.number_source,
    businessDay: row.business_day,
    priority: row.priority,
    issuedAt: row.issued_at,
    peopleAhead: row.people_ahead,
    peopleAheadApproximate: row.people_ahead_approx === 1,
    issuedOffline: row.issued_offline === 1,
    printState: row.print_state,
    citizenHmac: row.citizen_hmac,
    appointmentId: row.appointment_id,
    appointmentStart: row.appointment_start,
  };
}
