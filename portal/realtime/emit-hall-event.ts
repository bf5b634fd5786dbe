import type pg from 'pg';
import { HallEvent } from '../../common/contract/hall-events.js';

/** The channel every portal process LISTENs on; a notification's payload is `hallId:seq`. */
export const HALL_EVENTS_CHANNEL = 'hall_events';

/**
 * One statement for a request's events: take the hall's next numbers (creating its counter row
 * on the hall's first event), write the events in order, and queue one notification per event.
 * The counter row stays locked until the caller's transaction ends, so the next emitter of this
 * hall waits for that commit: per hall, commit order is seq order and the numbers have no gaps (a
 * rollback gives its numbers back). PostgreSQL delivers the notifications only once the
 * transaction has committed, and not at all when it rolls back. One statement however many
 * events: the counter is locked for one round trip, not one per event.
 */
const EMIT = `
  WITH batch AS MATERIALIZED (
    SELECT e.event ->> 'kind' AS kind, e.event -> 'payload' AS payload, e.ord
    FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS e(event, ord)
  ), next AS (
    INSERT INTO hall_event_counters AS c (hall_id, last_seq) VALUES ($1, $3::bigint)
    ON CONFLICT (hall_id) DO UPDATE SET last_seq = c.last_seq + $3::bigint
    RETURNING last_seq
  ), written AS (
    INSERT INTO hall_events (hall_id, seq, kind, payload)
    SELECT $1, next.last_seq - $3::bigint + b.ord, b.kind, b.payload FROM next, batch b
    RETURNING seq
  )
  SELECT w.seq::text AS seq, pg_notify('${HALL_EVENTS_CHANNEL}', $1::text || ':' || w.seq::text)
  FROM (SELECT seq FROM written ORDER BY seq) w`;

/**
 * Records `events`, in order, for the hall's live pages (display, counter consoles) and returns
 * their seqs. Call it inside the transaction that makes the changes the events describe, as its
 * last statement or as late as possible: it locks the hall's event counter until that
 * transaction ends, and every other emitter of the hall waits for it. Every event is checked
 * against the contract first; a bad one throws before anything is written. No events: nothing.
 */
export async function emitHallEvents(client: pg.PoolClient, hallId: string, events: readonly HallEvent[]): Promise<number[]> {
  if (events.length === 0) return [];
  const checked = events.map((event) => HallEvent.parse(event));
  const result = await client.query<{ seq: string }>({ name: 'hall-events-emit', text: EMIT, values: [hallId, JSON.stringify(checked), checked.length] });
  if (result.rows.length !== checked.length) throw new Error(`hall events not written for hall ${hallId}`);
  return result.rows.map((row) => Number(row.seq));
}

/** One event (emitHallEvents), returning its seq. */
export async function emitHallEvent(client: pg.PoolClient, hallId: string, event: HallEvent): Promise<number> {
  const [seq] = await emitHallEvents(client, hallId, [event]);
  if (seq === undefined) throw new Error(`hall event not written for hall ${hallId}`);
  return seq;
}
