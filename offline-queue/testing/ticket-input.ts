import { randomUUID } from 'node:crypto';
import { PrintState } from '../../common/contract/kiosk-api.js';
import { Priority } from '../../common/domain/priority.js';
import { NumberSource } from '../../common/domain/ticket-number.js';
import type { IssueTicketInput } from '../issue-ticket-input.js';

/** A valid kiosk-series issuance for tests; override what the test is about. */
export function ticketInput(overrides: Partial<IssueTicketInput> = {}): IssueTicketInput {
  return {
    ticketId: randomUUID(),
    requestId: randomUUID(),
    serviceId: 'social-insurance',
    businessDay: '2025-03-10',
    priority: Priority.Normal,
    number: { source: NumberSource.KioskSeries, prefix: 'A', kioskDigit: 2 },
    peopleAhead: null,
    peopleAheadApproximate: true,
    issuedOffline: true,
    printState: PrintState.Pending,
    citizenHmac: null,
    ...overrides,
  };
}
