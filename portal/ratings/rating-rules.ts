import { TicketStatus } from '../../common/contract/counter-api.js';
import { SyncRejectCode, type RatingSubmittedPayload } from '../../common/contract/sync-api.js';

/**
 * 一次一评 (issue 9 §6): who may rate which ticket, for every channel. Pure: the push path
 * (apply-rating-batch.ts) and the page and console (rate-ticket.ts) read the same facts
 * (rating-store.ts) and judge them here, so the channels cannot drift apart.
 *
 * A ticket is rateable when the hall holds it as served (done). The first rating of a ticket
 * stands, whatever its channel: any later one is `already-rated`. The same rating sent again (the
 * kiosk resends an event, or sends it under a new event id) is a no-op, not a refusal.
 */

export interface RatingRefusal {
  code: SyncRejectCode.NotRateable | SyncRejectCode.AlreadyRated | SyncRejectCode.InvalidEvent;
  reason: string;
}

/** What the hall's database holds about one rating's ticket and id. */
export interface RatingFacts {
  /** The ticket's status in this hall; null when the hall has no such ticket. */
  ticketStatus: TicketStatus | null;
  /** The ticket's printed number (null when unknown). */
  number: string | null;
  /** The rating already standing for this ticket, if any. */
  ratingOfTicket: string | null;
  /** The ticket a rating with this id was already given for, if any. */
  ticketOfRating: string | null;
}

/** Whether a ticket may be rated now, or why not (the same answer for every channel). */
export function rateability(ticketId: string, facts: Pick<RatingFacts, 'ticketStatus' | 'ratingOfTicket'>): RatingRefusal | null {
  if (facts.ticketStatus === null) return { code: SyncRejectCode.NotRateable, reason: `ticket ${ticketId} is not a ticket of this hall` };
  if (facts.ticketStatus !== TicketStatus.Done) {
    return { code: SyncRejectCode.NotRateable, reason: `ticket ${ticketId} is ${facts.ticketStatus}: only a served (done) ticket is rated` };
  }
  if (facts.ratingOfTicket !== null) {
    return { code: SyncRejectCode.AlreadyRated, reason: `ticket ${ticketId} was rated already (rating ${facts.ratingOfTicket}); the first rating stands` };
  }
  return null;
}

/** A `rating.submitted` event received for the first time, in seq order within its batch. */
export interface RatingEvent {
  eventId: string;
  payload: RatingSubmittedPayload;
}

export interface RatingDecision {
  /** To insert, in order. */
  insert: RatingEvent[];
  /** The same rating again: consumed, not applied, not refused. */
  replays: RatingEvent[];
  rejections: Map<string, RatingRefusal>;
}

/**
 * Judges a batch of kiosk ratings against their facts (one per event, same order), later events
 * seeing the earlier ones: two ratings of one ticket in a batch are the first and an
 * `already-rated`; a rating id reused for another ticket is an invalid event.
 */
export function decideRatings(events: readonly RatingEvent[], facts: readonly RatingFacts[]): RatingDecision {
  const decision: RatingDecision = { insert: [], replays: [], rejections: new Map() };
  const ratingOfTicket = new Map<string, string>();
  const ticketOfRating = new Map<string, string>();
  events.forEach((event, i) => {
    const f = facts[i];
    if (!f) throw new Error(`no facts for rating event ${event.eventId}`);
    const { ratingId, ticketId } = event.payload;
    const earlierTicket = f.ticketOfRating ?? ticketOfRating.get(ratingId) ?? null;
    if (earlierTicket !== null) {
      if (earlierTicket === ticketId) decision.replays.push(event);
      else {
        decision.rejections.set(event.eventId, {
          code: SyncRejectCode.InvalidEvent,
          reason: `rating id ${ratingId} was given for ticket ${earlierTicket}, not ${ticketId}`,
        });
      }
      return;
    }
    const refusal = rateability(ticketId, { ticketStatus: f.ticketStatus, ratingOfTicket: f.ratingOfTicket ?? ratingOfTicket.get(ticketId) ?? null });
    if (refusal) {
      decision.rejections.set(event.eventId, refusal);
      return;
    }
    decision.insert.push(event);
    ratingOfTicket.set(ticketId, ratingId);
    ticketOfRating.set(ratingId, ticketId);
  });
  return decision;
}
