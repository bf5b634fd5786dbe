import { z } from 'zod';
import { PrintState } from '../common/contract/kiosk-api.js';
import { ServiceId } from '../common/contract/catalog.js';
import { CitizenHmac } from '../common/contract/sync-api.js';
import { BusinessDay } from '../common/domain/business-day.js';
import { Priority } from '../common/domain/priority.js';
import { NumberSource, ServicePrefix, TicketNumber } from '../common/domain/ticket-number.js';

/**
 * How the number of a new ticket is decided: a number already allocated (portal or band), or
 * the kiosk-marked series, whose next sequence the store allocates inside the issuing transaction.
 */
export type NumberChoice =
  | { source: NumberSource.Portal | NumberSource.Band; number: string }
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
}

const NumberChoiceSchema = z.discriminatedUnion('source', [
  z.object({ source: z.literal(NumberSource.Portal), number: TicketNumber }),
  z.object({ source: z.literal(NumberSource.Band), number: TicketNumber }),
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
});
