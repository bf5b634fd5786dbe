import type pg from 'pg';
import { z } from 'zod';
import { TicketStatus } from '../../common/contract/counter-api.js';
import { RatingChannel, RatingLevel, type RatingInput, type RatingView } from '../../common/contract/ratings-api.js';
import type { RatingFacts } from './rating-rules.js';

/**
 * The statements of rating a ticket, shared by every channel: read the facts the rules judge
 * (rating-rules.ts) for a set of ratings at once, and insert the accepted ones at once. Each
 * rating names what was rated — service, counter and clerk of the ticket's last serving segment
 * (the one the completion closed), falling back to the ticket's own columns.
 */

/** One rating to judge or insert: its id, its ticket, what the visitor chose. */
export interface NewRating extends RatingInput {
  ratingId: string;
  ticketId: string;
  /** The kiosk's own clock (audit only); null for the page and the console. */
  submittedAt: string | null;
}

/** The facts of a rating, plus what it would name: for the console's "clerk of that counter" check. */
export interface RatingFactsRow extends RatingFacts {
  ratedCounterId: string | null;
  ratedStaffId: string | null;
}

const FactsRow = z.object({
  ord: z.coerce.number().int(),
  ticket_status: z.enum(TicketStatus).nullable(),
  number: z.string().nullable(),
  rating_of_ticket: z.string().nullable(),
  ticket_of_rating: z.string().nullable(),
  rated_counter_id: z.string().nullable(),
  rated_staff_id: z.string().nullable(),
});

/** The segment a rating names: the ticket's last called or serving one (a done ticket's final segment). */
const LAST_SERVING_SEGMENT = `
  SELECT s.service_id, s.counter_id, s.staff_id FROM ticket_segments s
  WHERE s.hall_id = $1 AND s.ticket_id = t.ticket_id AND s.state IN ('called', 'serving')
  ORDER BY s.seq DESC LIMIT 1`;

/** Reads what the rules need about each rating (same order as given) in one statement. */
export async function readRatingFacts(
  db: pg.PoolClient | pg.Pool,
  hallId: string,
  ratings: readonly Pick<NewRating, 'ratingId' | 'ticketId'>[],
): Promise<RatingFactsRow[]> {
  if (ratings.length === 0) return [];
  const result = await db.query(
    `SELECT i.ord, t.status AS ticket_status, t.number,
       (SELECT r.rating_id::text FROM ratings r WHERE r.hall_id = $1 AND r.ticket_id = i.ticket_id) AS rating_of_ticket,
       (SELECT r.ticket_id::text FROM ratings r WHERE r.hall_id = $1 AND r.rating_id = i.rating_id) AS ticket_of_rating,
       coalesce(g.counter_id, t.counter_id) AS rated_counter_id, coalesce(g.staff_id, t.staff_id) AS rated_staff_id
     FROM json_to_recordset($2::json) AS i(ord int, rating_id uuid, ticket_id uuid)
     LEFT JOIN tickets t ON t.hall_id = $1 AND t.ticket_id = i.ticket_id
     LEFT JOIN LATERAL (${LAST_SERVING_SEGMENT}) g ON t.status = 'done'
     ORDER BY i.ord`,
    [hallId, JSON.stringify(ratings.map((r, i) => ({ ord: i + 1, rating_id: r.ratingId, ticket_id: r.ticketId })))],
  );
  return result.rows.map((raw) => {
    const row = FactsRow.parse(raw);
    return {
      ticketStatus: row.ticket_status,
      number: row.number,
      ratingOfTicket: row.rating_of_ticket,
      ticketOfRating: row.ticket_of_rating,
      ratedCounterId: row.rated_counter_id,
      ratedStaffId: row.rated_staff_id,
    };
  });
}

/** Who sent the ratings of one insert, and the hall's day when they arrived. */
export interface RatingSource {
  channel: RatingChannel;
  /** The sending kiosk (channel kiosk only). */
  kioskId: string | null;
  /** The hall's business day now: an order's deadline counts from it. */
  ratedDay: string;
}

const Level = z.enum(RatingLevel);
export const RATING_COLUMNS = `r.rating_id::text AS rating_id, r.ticket_id::text AS ticket_id, r.channel, r.overall, r.efficiency,
  r.expertise, r.attitude, r.comment, r.business_day::text AS business_day, r.number, r.service_id, r.counter_id, r.staff_id,
  r.rated_day::text AS rated_day, r.rated_at`;

export const RatingRow = z.object({
  rating_id: z.string(),
  ticket_id: z.string(),
  channel: z.enum(RatingChannel),
  overall: Level,
  efficiency: Level,
  expertise: Level,
  attitude: Level,
  comment: z.string().nullable(),
  business_day: z.string(),
  number: z.string(),
  service_id: z.string(),
  counter_id: z.string().nullable(),
  staff_id: z.string().nullable(),
  rated_day: z.string(),
  rated_at: z.date(),
});
export type RatingRow = z.infer<typeof RatingRow>;

export function toRatingView(row: RatingRow): RatingView {
  return {
    ratingId: row.rating_id,
    ticketId: row.ticket_id,
    number: row.number,
    businessDay: row.business_day,
    serviceId: row.service_id,
    counterId: row.counter_id,
    staffId: row.staff_id,
    channel: row.channel,
    overall: row.overall,
    efficiency: row.efficiency,
    expertise: row.expertise,
    attitude: row.attitude,
    comment: row.comment,
    ratedAt: row.rated_at.toISOString(),
  };
}

/**
 * Inserts the ratings of served tickets in one statement and returns the rows it took, in order.
 * A rating whose ticket is not done, or whose ticket or id a concurrent request rated meanwhile,
 * is left out (ON CONFLICT DO NOTHING): the caller compares and re-judges.
 */
export async function insertRatings(
  client: pg.PoolClient,
  hallId: string,
  source: RatingSource,
  ratings: readonly NewRating[],
): Promise<RatingRow[]> {
  if (ratings.length === 0) return [];
  const rows = ratings.map((r, i) => ({
    ord: i + 1,
    rating_id: r.ratingId,
    ticket_id: r.ticketId,
    overall: r.overall,
    efficiency: r.efficiency,
    expertise: r.expertise,
    attitude: r.attitude,
    comment: r.comment,
    submitted_at: r.submittedAt,
  }));
  const result = await client.query(
    `WITH taken AS (
       INSERT INTO ratings (hall_id, rating_id, ticket_id, channel, overall, efficiency, expertise, attitude, comment,
                            business_day, number, service_id, counter_id, staff_id, kiosk_id, rated_day, submitted_at)
       SELECT $1, i.rating_id, t.ticket_id, $2, i.overall, i.efficiency, i.expertise, i.attitude, i.comment,
              t.business_day, t.number, coalesce(g.service_id, t.service_id), coalesce(g.counter_id, t.counter_id),
              coalesce(g.staff_id, t.staff_id), $3, $4::date, i.submitted_at
       FROM json_to_recordset($5::json) AS i(ord int, rating_id uuid, ticket_id uuid, overall text, efficiency text,
                                             expertise text, attitude text, comment text, submitted_at timestamptz)
       JOIN tickets t ON t.hall_id = $1 AND t.ticket_id = i.ticket_id AND t.status = 'done'
       LEFT JOIN LATERAL (${LAST_SERVING_SEGMENT}) g ON true
       -- In ticket order: two pushes racing over the same tickets wait for each other, never deadlock.
       ORDER BY i.ticket_id
       ON CONFLICT DO NOTHING
       RETURNING *
     )
     SELECT ${RATING_COLUMNS} FROM taken r`,
    [hallId, source.channel, source.kioskId, source.ratedDay, JSON.stringify(rows)],
  );
  const byId = new Map(result.rows.map((raw) => {
    const row = RatingRow.parse(raw);
    return [row.rating_id, row] as const;
  }));
  return ratings.flatMap((r) => {
    const row = byId.get(r.ratingId);
    return row ? [row] : [];
  });
}

/** The rating standing for a ticket of the hall, if any. */
export async function ratingOfTicket(db: pg.PoolClient | pg.Pool, hallId: string, ticketId: string): Promise<RatingView | null> {
  const result = await db.query(`SELECT ${RATING_COLUMNS} FROM ratings r WHERE r.hall_id = $1 AND r.ticket_id = $2`, [hallId, ticketId]);
  return result.rows[0] ? toRatingView(RatingRow.parse(result.rows[0])) : null;
}
