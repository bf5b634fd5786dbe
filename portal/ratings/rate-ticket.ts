import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { z } from 'zod';
import { PortalErrorCode } from '../../common/contract/errors.js';
import { RatingChannel, type RatingInput, type RatingView } from '../../common/contract/ratings-api.js';
import { SyncRejectCode } from '../../common/contract/sync-api.js';
import type { StaffPrincipal } from '../auth/principals.js';
import { withTransaction } from '../db/transaction.js';
import { PortalError } from '../http/portal-error.js';
import { recordAudit, type AuditActor } from '../staff/audit.js';
import { afterRatings } from './rating-effects.js';
import { rateability, type RatingRefusal } from './rating-rules.js';
import { insertRatings, readRatingFacts, toRatingView, type RatingFactsRow } from './rating-store.js';
import { isStorableText } from './storable-text.js';
import { rectificationClock } from './rectification-clock.js';

/**
 * A rating given on the citizen page or at the counter console's prompt: judged by the same
 * rules as the kiosk's (rating-rules.ts), one transaction with its order and audit line. The
 * portal chooses the rating id. A refusal is audited on its own after the rollback.
 */

/** The citizen page acts for an anonymous visitor: the audit log names the channel, never an address. */
export const CITIZEN_PAGE_ACTOR: AuditActor = { kind: 'system', id: 'citizen-page' };

function refusalError(refusal: RatingRefusal): PortalError {
  const code = refusal.code === SyncRejectCode.AlreadyRated ? PortalErrorCode.AlreadyRated : PortalErrorCode.NotRateable;
  return new PortalError(code, refusal.reason);
}

interface RateOptions {
  hallId: string;
  ticketId: string;
  input: RatingInput;
  channel: RatingChannel.Web | RatingChannel.Counter;
  actor: AuditActor;
  /** Beyond rateability: the console's "clerk of that counter" check. */
  check?: (client: pg.PoolClient, facts: RatingFactsRow) => Promise<void>;
  now: Date;
}

async function rate(pool: pg.Pool, options: RateOptions): Promise<RatingView> {
  const { hallId, ticketId, input } = options;
  if (!isStorableText(input.comment)) throw new PortalError(PortalErrorCode.BadRequest, 'the comment holds characters that cannot be stored');
  try {
    return await withTransaction(pool, async (client) => {
      const rating = { ...input, ratingId: randomUUID(), ticketId, submittedAt: null };
      const [facts] = await readRatingFacts(client, hallId, [rating]);
      if (!facts) throw new Error('no facts for the rating');
      const notServed = rateability(ticketId, { ticketStatus: facts.ticketStatus, ratingOfTicket: null });
      if (notServed) throw refusalError(notServed);
      await options.check?.(client, facts);
      const refusal = rateability(ticketId, facts);
      if (refusal) throw refusalError(refusal);
      const { today } = await rectificationClock(client, hallId, options.now);
      const [row] = await insertRatings(client, hallId, { channel: options.channel, kioskId: null, ratedDay: today }, [rating]);
      // Rated by another channel between the facts and the insert: that rating stands.
      if (!row) throw new PortalError(PortalErrorCode.AlreadyRated, `ticket ${ticketId} was rated meanwhile; the first rating stands`);
      await afterRatings(client, hallId, options.actor, [row], options.now);
      return toRatingView(row);
    });
  } catch (err) {
    if (err instanceof PortalError) {
      await recordAudit(pool, {
        hallId,
        actor: options.actor,
        action: 'rating.submit',
        target: ticketId,
        detail: { channel: options.channel, code: err.code, message: err.message },
        outcome: 'refused',
      }).catch(() => undefined);
    }
    throw err;
  }
}

const HallOfTicket = z.object({ hall_id: z.string() });

/**
 * The citizen page: the ticket id and the number from the receipt's QR code must both match one
 * served ticket. The request names no hall, so the ticket decides it: one primary-key probe per
 * hall of this portal (a handful), rather than one more index on the busiest table that every
 * pushed ticket would pay for. An id two halls hold (a forged push) is refused rather than
 * guessed, and every miss gets the same answer, so the page tells nobody which ids exist.
 */
export async function rateAsCitizen(
  pool: pg.Pool,
  request: RatingInput & { ticketId: string; number: string },
  now: Date,
): Promise<RatingView> {
  const found = await pool.query(
    // A scalar subquery is never flattened into a join: each hall is a probe of the primary key
    // (hall_id, ticket_id), where a join may be planned as a scan of the whole key for the id.
    `SELECT h.hall_id FROM halls h
     WHERE (SELECT true FROM tickets t WHERE t.hall_id = h.hall_id AND t.ticket_id = $1 AND t.number = $2)
     LIMIT 2`,
    [request.ticketId, request.number],
  );
  if (found.rows.length !== 1) {
    throw new PortalError(PortalErrorCode.NotRateable, `no served ticket ${request.number} with this id`);
  }
  const { hall_id: hallId } = HallOfTicket.parse(found.rows[0]);
  const { ticketId, number: _number, ...input } = request;
  return rate(pool, { hallId, ticketId, input, channel: RatingChannel.Web, actor: CITIZEN_PAGE_ACTOR, now });
}

/**
 * The counter console's prompt after completion: only the clerk of the counter that served the
 * ticket (signed in there now, or the clerk its last serving segment names) may post the rating
 * for the visitor; a manager is no exception, nobody rates on someone else's counter.
 */
export async function rateAtCounter(pool: pg.Pool, actor: StaffPrincipal, ticketId: string, input: RatingInput, now: Date): Promise<RatingView> {
  return rate(pool, {
    hallId: actor.hallId,
    ticketId,
    input,
    channel: RatingChannel.Counter,
    actor: { kind: 'staff', id: actor.staffId },
    now,
    check: async (client, facts) => {
      if (facts.ratedStaffId === actor.staffId) return;
      const here = await client.query('SELECT 1 FROM counters WHERE hall_id = $1 AND counter_id = $2 AND staff_id = $3', [
        actor.hallId,
        facts.ratedCounterId,
        actor.staffId,
      ]);
      if (here.rows.length === 0) {
        throw new PortalError(PortalErrorCode.Forbidden, `ticket ${ticketId} was not served at a counter signed in under ${actor.staffId}`);
      }
    },
  });
}
