import type { HallInfo, Service } from '../../common/contract/catalog.js';
import { KioskError, KioskErrorCode, PortalErrorCode } from '../../common/contract/errors.js';
import { NumberSource } from '../../common/domain/ticket-number.js';
import { hallBusinessDay } from '../../offline-queue/hall-clock.js';
import type { NumberChoice } from '../../offline-queue/kiosk-store.js';
import { PortalClientError, portalAnswered, type PortalClient } from '../../offline-queue/sync/portal-client.js';
import type { PortalReachability } from './portal-reachability.js';

/** What became of the online attempt for one ticket. */
export enum PortalAttempt {
  /** The portal allocated the number within the budget. */
  Allocated = 'allocated',
  /** The portal answered but gave no number (refused, bad token, broken answer). */
  Refused = 'refused',
  /** No answer within the budget, or no connection. */
  Unanswered = 'unanswered',
  /** Not tried: the portal failed moments ago (see PortalReachability). */
  Skipped = 'skipped',
}

export interface NumberDecision {
  choice: NumberChoice;
  businessDay: string;
  peopleAhead: number | null;
  peopleAheadApproximate: boolean;
  issuedOffline: boolean;
  portal: PortalAttempt;
}

export interface NumberRequest {
  ticketId: string;
  service: Service;
  hall: HallInfo;
  /** Kiosk clock at the tap. */
  now: Date;
  citizenHmac?: string | null;
}

export interface NumberAllocator {
  decide(input: NumberRequest): Promise<NumberDecision>;
}

export interface NumberAllocatorOptions {
  client: Pick<PortalClient, 'allocateNumber'>;
  /** Online numbering budget (config `portal.numberBudgetMs`, default 400 ms). */
  budgetMs: number;
  /** The kiosk digit the portal assigned (pulled identity) when known, else the configured one. */
  kioskDigit: () => number;
  /**
   * Portal clock minus kiosk clock as accepted (a jump beyond the limit is held until a technician
   * confirms it, see offline-queue/sync/accepted-clock-offset.ts); null before the first measurement.
   */
  clockOffsetMs: () => number | null;
  reachability: PortalReachability;
}

/** The last waiting count the portal reported for a service, grown by each ticket issued since. */
interface AheadEstimate {
  businessDay: string;
  ahead: number;
}

/**
 * Decides a new ticket's number (docs/architecture.md §4): online within the budget → a band number →
 * the kiosk series. The last two are taken by the store inside the issuing transaction
 * (`NumberSource.Band` falls back to the series there when every band is used up), so this only
 * says which to use and for which business day.
 *
 * A portal that does not answer within the budget may still allocate a number for this ticketId
 * afterwards. That number is a gap, never a second ticket: the fetch is aborted at the budget, so
 * a late answer is never read, and the ticket.issued event the portal later receives for this
 * ticketId carries the band (or series) number that was printed. Nothing else to do on the kiosk.
 */
export function createNumberAllocator(opts: NumberAllocatorOptions): NumberAllocator {
  const estimates = new Map<string, AheadEstimate>();

  function local(input: NumberRequest, portal: PortalAttempt): NumberDecision {
    const businessDay = hallBusinessDay(input.now, opts.clockOffsetMs(), input.hall.timeZone, input.hall.businessDayStartHour);
    const known = estimates.get(input.service.id);
    let peopleAhead: number | null = null;
    if (known && known.businessDay === businessDay) {
      peopleAhead = known.ahead;
      known.ahead += 1;
    }
    return {
      choice: { source: NumberSource.Band, prefix: input.service.prefix, kioskDigit: opts.kioskDigit() },
      businessDay,
      peopleAhead,
      peopleAheadApproximate: true,
      issuedOffline: true,
      portal,
    };
  }

  return {
    async decide(input) {
      if (!opts.reachability.shouldTryOnline()) return local(input, PortalAttempt.Skipped);
      try {
        const answer = await opts.client.allocateNumber(
          { ticketId: input.ticketId, serviceId: input.service.id, citizenHmac: input.citizenHmac ?? null },
          opts.budgetMs,
        );
        opts.reachability.recordAnswered();
        // The count ahead of this ticket, plus this ticket: what the next offline visitor is behind.
        estimates.set(input.service.id, { businessDay: answer.businessDay, ahead: answer.waitingAhead + 1 });
        return {
          choice: { source: NumberSource.Portal, number: answer.number },
          businessDay: answer.businessDay,
          peopleAhead: answer.waitingAhead,
          peopleAheadApproximate: false,
          issuedOffline: false,
          portal: PortalAttempt.Allocated,
        };
      } catch (err) {
        if (err instanceof PortalClientError && err.code === PortalErrorCode.AlreadyWaiting) {
          opts.reachability.recordAnswered();
          throw new KioskError(KioskErrorCode.AlreadyWaiting, 'this ID card already holds a waiting ticket for this service', { cause: err });
        }
        // The hall manager's limits (issue 10): the portal's word stands, no band or series number instead.
        if (err instanceof PortalClientError && err.code === PortalErrorCode.DailyQuota) {
          opts.reachability.recordAnswered();
          throw new KioskError(KioskErrorCode.QuotaReached, err.message, { cause: err });
        }
        if (err instanceof PortalClientError && err.code === PortalErrorCode.ServiceClosed) {
          opts.reachability.recordAnswered();
          throw new KioskError(KioskErrorCode.ServiceClosed, err.message, { cause: err });
        }
        const answered = portalAnswered(err);
        opts.reachability.record(answered);
        return local(input, answered ? PortalAttempt.Refused : PortalAttempt.Unanswered);
      }
    },
  };
}
