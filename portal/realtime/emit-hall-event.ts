import type pg from 'pg';
import { HallEvent } from '../../common/contract/hall-events.js';

/** The channel every portal process LISTENs on; a notification's payload is `hallId:seq`. */
export const HALL_EVENTS_CHANNEL = 'hall_events';

/**
 * One statement: take the hall's next number (creating its counter row on the hall's first
 * event), write the event, and queue the notification. The counter row stays locked until the
 * caller's transaction ends, so the next emitter of this hall waits for that commit: per hall,
 * commit order is seq order and the numbers have no gaps (a rollback gives its number back).
 * PostgreSQL delivers the notification only once the transaction has committed, and not at all
 * when it rolls back.
 */
const EMIT = `
  WITH next AS (
    INSERT INTO hall_event_counters AS c (hall_id, last_seq) VALUES ($1, 1)
    ON CONFLICT (hall_id) DO UPDATE SET last_seq = c.last_seq + 1
    RETURNING last_seq
  ), written AS (
    INSERT INTO hall_events (hall_id, seq, kind, payload)
    SELECT $1, last_seq, $2, $3::jsonb FROM next
    RETURNING seq
  )
  SELECT seq::text AS seq, pg_notify('${HALL_EVENTS_CHANNEL}', $1::text || ':' || seq::text) FROM written`;

/**
 * Records `event` for the hall's live pages (display, counter consoles) and returns its seq.
 * Call it inside the transaction that makes the change the event describes, as its last
 * statement or as late as possible: it locks the hall's event counter until that transaction
 * ends, and every other emitter of the hall waits for it. The event is checked against the
 * contract first; a bad event throws before anything is written.
 */
export async function emitHallEvent(client: pg.PoolClient, hallId: string, event: HallEvent): Promise<number> {
  const checked = HallEvent.parse(event);
  const result = await client.query<{ seq: string }>(EMIT, [hallId, checked.kind, JSON.stringify(checked.payload)]);
  const row = result.rows[0];
  if (!row) throw new Error(`hall event not written for hall ${hallId}`);
  return Number(row.seq);
}
