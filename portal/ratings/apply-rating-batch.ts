import type pg from 'pg';
import { RatingChannel } from '../../common/contract/ratings-api.js';
import { SyncRejectCode } from '../../common/contract/sync-api.js';
import type { BusinessDay } from '../../common/domain/business-day.js';
import type { KioskPrincipal } from '../auth/principals.js';
import { isDataFault } from '../queue/apply-ticket-issued.js';
import { isStorableInstant } from '../queue/real-dates.js';
import { afterRatings } from './rating-effects.js';
import { decideRatings, rateability, type RatingEvent, type RatingRefusal } from './rating-rules.js';
import { insertRatings, readRatingFacts, type NewRating } from './rating-store.js';
import { isStorableText } from './storable-text.js';

export type { RatingEvent } from './rating-rules.js';

function newRating(event: RatingEvent): NewRating {
  const p = event.payload;
  return {
    ratingId: p.ratingId,
    ticketId: p.ticketId,
    overall: p.overall,
    efficiency: p.efficiency,
    expertise: p.expertise,
    attitude: p.attitude,
    comment: p.comment,
    submittedAt: p.ratedAt,
  };
}

/** Data PostgreSQL would refuse inside the set-based insert (and with it the whole batch). */
function unstorable(event: RatingEvent): RatingRefusal | null {
  if (!isStorableInstant(event.payload.ratedAt)) {
    return { code: SyncRejectCode.InvalidEvent, reason: `rating refused: ratedAt ${event.payload.ratedAt} is not a real instant` };
  }
  if (!isStorableText(event.payload.comment)) return { code: SyncRejectCode.InvalidEvent, reason: 'rating refused: the comment holds characters text cannot' };
  return null;
}

/**
 * A handful of statements whatever the batch size: the facts of every rating, one insert, and for
 * the poor ones their orders, then the audit lines. A rating the insert did not take although it
 * was judged rateable lost a race (a page or console rating of the same ticket committed
 * meanwhile): it is judged again on what now stands.
 */
async function applySetBased(
  client: pg.PoolClient,
  kiosk: KioskPrincipal,
  events: readonly RatingEvent[],
  today: BusinessDay,
  now: Date,
): Promise<Map<string, RatingRefusal>> {
  const decision = decideRatings(events, await readRatingFacts(client, kiosk.hallId, events.map((e) => e.payload)));
  const source = { channel: RatingChannel.Kiosk, kioskId: kiosk.kioskId, ratedDay: today };
  const inserted = await insertRatings(client, kiosk.hallId, source, decision.insert.map(newRating));
  if (inserted.length !== decision.insert.length) {
    const taken = new Set(inserted.map((r) => r.rating_id));
    const missed = decision.insert.filter((e) => !taken.has(e.payload.ratingId));
    const facts = await readRatingFacts(client, kiosk.hallId, missed.map((e) => e.payload));
    missed.forEach((event, i) => {
      const f = facts[i];
      if (f?.ticketOfRating === event.payload.ticketId) return;
      decision.rejections.set(
        event.eventId,
        (f && rateability(event.payload.ticketId, f)) ?? { code: SyncRejectCode.AlreadyRated, reason: `ticket ${event.payload.ticketId} was rated meanwhile` },
      );
    });
  }
  await afterRatings(client, kiosk.hallId, { kind: 'kiosk', id: kiosk.kioskId }, inserted, now);
  return decision.rejections;
}

/**
 * Applies the batch's `rating.submitted` events exactly once (issue 9 §6): each event is recorded
 * once by the push (sync_events), and a rating is stored once per ticket and once per rating id,
 * so the same rating resent under another event id is a no-op. Refused: `not-rateable` (the hall
 * holds no such ticket, or not as done), `already-rated` (the first rating of the ticket stands,
 * from whatever channel). `today` is the hall's business day at the portal's clock: an order's
 * deadline counts from it, not from the kiosk's clock. Returns the refusals by event id.
 *
 * When PostgreSQL refuses data nobody foresaw, the batch goes back to its savepoint and is applied
 * one event at a time, each refused on its own.
 */
export async function applyRatingBatch(
  client: pg.PoolClient,
  kiosk: KioskPrincipal,
  events: readonly RatingEvent[],
  today: BusinessDay,
  now: Date,
): Promise<Map<string, RatingRefusal>> {
  const rejections = new Map<string, RatingRefusal>();
  const storable: RatingEvent[] = [];
  for (const event of events) {
    const problem = unstorable(event);
    if (problem) rejections.set(event.eventId, problem);
    else storable.push(event);
  }
  if (storable.length === 0) return rejections;

  await client.query('SAVEPOINT apply_rating_batch');
  try {
    for (const [id, r] of await applySetBased(client, kiosk, storable, today, now)) rejections.set(id, r);
    await client.query('RELEASE SAVEPOINT apply_rating_batch');
    return rejections;
  } catch (err) {
    if (!isDataFault(err)) throw err;
    await client.query('ROLLBACK TO SAVEPOINT apply_rating_batch');
  }
  for (const event of storable) {
    await client.query('SAVEPOINT apply_rating_one');
    try {
      for (const [id, r] of await applySetBased(client, kiosk, [event], today, now)) rejections.set(id, r);
      await client.query('RELEASE SAVEPOINT apply_rating_one');
    } catch (err) {
      if (!isDataFault(err)) throw err;
      await client.query('ROLLBACK TO SAVEPOINT apply_rating_one');
      rejections.set(event.eventId, { code: SyncRejectCode.InvalidEvent, reason: `rating refused: ${err.message}` });
    }
  }
  return rejections;
}
