import { businessDayOf } from '../../common/domain/business-day.js';
import { NumberSource } from '../../common/domain/ticket-number.js';
import type { HallInfo, Service } from '../../common/contract/catalog.js';
import type { NumberChoice } from '../../offline-queue/kiosk-store.js';
import type { PortalClient } from '../../offline-queue/sync/portal-client.js';

export interface NumberDecision {
  choice: NumberChoice;
  businessDay: string;
  peopleAhead: number | null;
  peopleAheadApproximate: boolean;
  issuedOffline: boolean;
  /** Whether the portal answered; feeds the connectivity state. */
  portalAnswered: boolean;
}

export interface NumberAllocator {
  decide(input: { ticketId: string; service: Service; hall: HallInfo; now: Date }): Promise<NumberDecision>;
}

/**
 * Online first, within a short budget; past it, the kiosk-marked series, which is unique without
 * the portal. Number bands (ARCHITECTURE.md §4) slot in between the two as another step here.
 * A number the portal allocated after the budget ran out is never used: it becomes a gap.
 */
export function createNumberAllocator(opts: { client: PortalClient; budgetMs: number; kioskDigit: number }): NumberAllocator {
  return {
    async decide({ ticketId, service, hall, now }) {
      try {
        const answer = await opts.client.allocateNumber({ ticketId, serviceId: service.id, citizenHmac: null }, opts.budgetMs);
        return {
          choice: { source: NumberSource.Portal, number: answer.number },
          businessDay: answer.businessDay,
          peopleAhead: answer.waitingAhead,
          peopleAheadApproximate: false,
          issuedOffline: false,
          portalAnswered: true,
        };
      } catch {
        return {
          choice: { source: NumberSource.KioskSeries, prefix: service.prefix, kioskDigit: opts.kioskDigit },
          businessDay: businessDayOf(now, hall.timeZone),
          peopleAhead: null,
          peopleAheadApproximate: true,
          issuedOffline: true,
          portalAnswered: false,
        };
      }
    },
  };
}
