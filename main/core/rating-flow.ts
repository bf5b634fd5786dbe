import { KioskError, KioskErrorCode } from '../../common/contract/errors.js';
import type { KioskRequest, RateableTicketsView } from '../../common/contract/kiosk-api.js';
import type { RateableTicket } from '../../common/contract/sync-api.js';
import { RatingQueued, type KioskStore } from '../../offline-queue/kiosk-store.js';
import { portalAnswered, type PortalClient } from '../../offline-queue/sync/portal-client.js';
import type { PortalReachability } from './portal-reachability.js';

export interface RatingFlowDeps {
  store: KioskStore;
  client: Pick<PortalClient, 'rateableTickets'>;
  budgetMs: number;
  reachability: PortalReachability;
  /** The identified visitor's citizen HMAC (null: nobody identified, or no hall key yet). */
  visitorHmac: () => string | null;
  visitorPresent: () => boolean;
  /** The hall's business day now. */
  today: () => string;
  /** The hall clock (kiosk clock plus the accepted offset). */
  hallNow: () => Date;
  now: () => Date;
  /** A rating was queued: wake the sync engine. */
  onQueued: () => void;
}

const OFFLINE_EMPTY: RateableTicketsView = { tickets: [], offline: true };

/**
 * 好差评 at the kiosk (issue 9 §6). The tickets to rate come from the portal (it alone knows which
 * were served): by the identified visitor's HMAC, or the one ticket a scanned receipt QR names.
 * Offline a scanned ticket is still offered (the portal decides when the rating is pushed); by
 * card offline nothing can be offered. A rating goes into the outbox like a ticket (exactly once
 * at the portal by its ratingId), one per ticket from this kiosk. Rating does not end the visit.
 */
export class RatingFlow {
  constructor(private readonly deps: RatingFlowDeps) {}

  async find(request: KioskRequest<'findRateableTickets'>): Promise<RateableTicketsView> {
    if (request.ticketId !== undefined || request.number !== undefined) return this.byTicket(request.ticketId, request.number);
    if (!this.deps.visitorPresent()) {
      throw new KioskError(KioskErrorCode.BadRequest, 'rating needs a scanned ticket or an identified visitor');
    }
    const hmac = this.deps.visitorHmac();
    if (hmac === null) return OFFLINE_EMPTY;
    const answer = await this.ask({ citizenHmac: hmac });
    return answer ? { tickets: this.notRatedHere(answer), offline: false } : OFFLINE_EMPTY;
  }

  async submit(request: KioskRequest<'submitRating'>): Promise<{ queued: boolean }> {
    const outcome = this.deps.store.queueRating({ ...request, comment: request.comment ?? null, ratedAt: this.deps.now().toISOString() });
    if (outcome === RatingQueued.AlreadyRated) {
      throw new KioskError(KioskErrorCode.AlreadyRated, 'this ticket was rated from this kiosk already');
    }
    if (outcome === RatingQueued.Queued) this.deps.onQueued();
    return { queued: true };
  }

  private async byTicket(ticketId: string | undefined, number: string | undefined): Promise<RateableTicketsView> {
    const { store } = this.deps;
    const local = ticketId !== undefined ? store.getTicket(ticketId) : number !== undefined ? store.findTicketByNumber(this.deps.today(), number) : null;
    const id = ticketId ?? local?.ticketId;
    // A number alone names no ticket the portal would let a stranger rate.
    if (id === undefined) return { tickets: [], offline: false };
    if (store.ratingGiven(id) !== null) return { tickets: [], offline: false };
    const answer = await this.ask({ ticketId: id });
    if (answer) return { tickets: this.notRatedHere(answer), offline: false };

    // Offline: offer the scanned ticket as far as the kiosk can tell what it is.
    const shown = number ?? local?.number;
    const catalog = store.loadCatalog();
    const serviceId = local?.serviceId ?? catalog?.services.find((s) => s.prefix === shown?.charAt(0))?.id;
    if (shown === undefined || serviceId === undefined) return OFFLINE_EMPTY;
    const ticket: RateableTicket = {
      ticketId: id,
      number: shown,
      serviceId,
      businessDay: local?.businessDay ?? this.deps.today(),
      counterNumber: null,
      // Not known offline (the counter finished it): the time of the scan stands in.
      finishedAt: this.deps.hallNow().toISOString(),
    };
    return { tickets: [ticket], offline: true };
  }

  /** The portal's answer, or null when it did not give one (the screen says offline). */
  private async ask(request: { citizenHmac: string } | { ticketId: string }): Promise<RateableTicket[] | null> {
    const { reachability } = this.deps;
    if (!reachability.shouldTryOnline()) return null;
    try {
      const answer = await this.deps.client.rateableTickets(request, this.deps.budgetMs);
      reachability.recordAnswered();
      return answer.tickets;
    } catch (err) {
      reachability.record(portalAnswered(err));
      return null;
    }
  }

  /** A rating still in this kiosk's outbox is one the portal does not know of yet. */
  private notRatedHere(tickets: readonly RateableTicket[]): RateableTicket[] {
    return tickets.filter((t) => this.deps.store.ratingGiven(t.ticketId) === null);
  }
}
