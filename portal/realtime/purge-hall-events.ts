import type pg from 'pg';

/**
 * How long hall events are kept: long enough for a display that lost the network over a night
 * or a weekend day to catch up, short enough that the table stays small. The latest
 * `keepLatest` events of a hall stay whatever their age, so a display of a quiet hall can
 * always replay a short gap instead of reloading.
 */
export const HALL_EVENT_RETENTION = {
  maxAgeMs: 2 * 86_400_000,
  keepLatest: 1_000,
  purgeIntervalMs: 3_600_000,
  batchSize: 5_000,
} as const;

export interface PurgeHallEventsOptions {
  /** Events written before this instant may go. */
  before: Date;
  /** The latest this many events of each hall stay, whatever their age. */
  keepLatest: number;
  batchSize?: number;
  /** Checked between batches (shutdown). */
  signal?: AbortSignal;
}

/**
 * One batch of one hall: old events outside the hall's latest `keepLatest`, locked with SKIP
 * LOCKED so two portal processes purging at once share the work instead of waiting on each other.
 */
const PURGE_BATCH = `
  WITH batch AS (
    SELECT e.seq FROM hall_events e
    WHERE e.hall_id = $1 AND e.at < $2::timestamptz
      AND e.seq <= (SELECT c.last_seq FROM hall_event_counters c WHERE c.hall_id = $1) - $3
    LIMIT $4 FOR UPDATE SKIP LOCKED
  )
  DELETE FROM hall_events e USING batch WHERE e.hall_id = $1 AND e.seq = batch.seq`;

/** Deletes old hall events, hall by hall, in bounded batches; returns how many went. */
export async function purgeHallEvents(pool: pg.Pool, options: PurgeHallEventsOptions): Promise<number> {
  const batchSize = options.batchSize ?? HALL_EVENT_RETENTION.batchSize;
  const halls = await pool.query<{ hall_id: string }>('SELECT hall_id FROM hall_event_counters ORDER BY hall_id');
  let purged = 0;
  for (const { hall_id: hallId } of halls.rows) {
    for (;;) {
      if (options.signal?.aborted) return purged;
      const n = (await pool.query(PURGE_BATCH, [hallId, options.before.toISOString(), options.keepLatest, batchSize])).rowCount ?? 0;
      purged += n;
      if (n < batchSize) break;
    }
  }
  return purged;
}
