import { z } from 'zod';
import { PrintState } from '../common/contract/kiosk-api.js';
import { ServiceId } from '../common/contract/catalog.js';
import { CitizenHmac, TicketIssuedPayload } from '../common/contract/sync-api.js';
import { BusinessDay } from '../common/domain/business-day.js';
import { Priority } from '../common/domain/priority.js';
import { NumberSource, ServicePrefix, TicketNumber } from '../common/domain/ticket-number.js';

/**
 * How the number of a new ticket is decided, docs/architecture.md §4:
 * - Portal: a number the portal allocated online.
 * - Band: the next sequence of a leased band for (service, business day), taken inside the issuing
 *   transaction; when every band is used up, the kiosk-marked series in the same transaction.
 * - KioskSeries: the kiosk-marked series `<prefix><kioskDigit>-<seq>`, also taken in the transaction.
 * The stored ticket's `numberSource` says which one was used.
 */
export type NumberChoice =
  | { source: NumberSource.Portal; number: string }
  | { source: NumberSource.Band; prefix: string; kioskDigit: number }
  | { source: NumberSource.KioskSeries; prefix: string; kioskDigit: number };

export interface IssueTicketInput {
  ticketId: string;
  requestId: string;
  serviceId: string;
  businessDay: string;
  priority: Priority;
  number: NumberChoice;
  peopleAhead: number | null;
  peopleAheadApproximate: boolean;
  issuedOffline: boolean;
  printState: PrintState;
  citizenHmac: string | null;
  /** The holder's masked name (`张*三`) for the counter console, in the outbox event only; never in the tickets table. */
  maskedName?: string | null;
}

const NumberChoiceSchema = z.discriminatedUnion('source', [
  z.object({ source: z.literal(NumberSource.Portal), number: TicketNumber }),
  z.object({ source: z.literal(NumberSource.Band), prefix: ServicePrefix, kioskDigit: z.number().int().min(0).max(9) }),
  z.object({ source: z.literal(NumberSource.KioskSeries), prefix: ServicePrefix, kioskDigit: z.number().int().min(0).max(9) }),
]);

/** Checked before the transaction starts: a caller's mistake never reaches the disk. */
export const IssueTicketInputSchema = z.object({
  ticketId: z.uuid(),
  requestId: z.uuid(),
  serviceId: ServiceId,
  businessDay: BusinessDay,
  priority: z.enum(Priority),
  number: NumberChoiceSchema,
  peopleAhead: z.number().int().nonnegative().nullable(),
  peopleAheadApproximate: z.boolean(),
  issuedOffline: z.boolean(),
  printState: z.enum(PrintState),
  citizenHmac: CitizenHmac.nullable(),
  maskedName: TicketIssuedPayload.shape.maskedName.nullable(),
});

/**
 * A check-in ticket: the priority (appointment) and the citizen HMAC are the appointment's own,
 * read inside the transaction, never the caller's.
 */
export type CheckInTicketInput = Omit<IssueTicketInput, 'priority' | 'citizenHmac'> & { appointmentId: string };

export const CheckInTicketInputSchema = IssueTicketInputSchema.omit({ priority: true, citizenHmac: true }).extend({ appointmentId: z.uuid() });
