import type pg from 'pg';
import { z } from 'zod';

/**
 * A hall event as read back for the live pages. The payload stays the JSON text PostgreSQL gives
 * (it was checked against the contract when it was written): each event is serialised once per
 * portal process, however many pages follow the hall.
 */
export interface StoredHallEvent {
  seq: number;
  kind: string;
  /** ISO 8601, UTC. */
  at: string;
  payloadJson: string;
}

const EventRow = z.object({ seq: z.string(), kind: z.string(), at: z.date(), payload: z.string() });

/** Pages of this many events: a replay of two busy days is many short reads, never one huge one. */
export const HALL_EVENT_PAGE = 500;

/** The hall's events after `afterSeq`, in order, at most `limit`. */
export async function readHallEvents(
  db: pg.Pool | pg.PoolClient,
  hallId: string,
  afterSeq: number,
  limit: number = HALL_EVENT_PAGE,
): Promise<StoredHallEvent[]> {
  const result = await db.query({
    name: 'hall-events-read',
    // Ordered by the column, not by the text alias ('10' < '9').
    text: `SELECT e.seq::text AS seq, e.kind, e.at, e.payload::text AS payload FROM hall_events e
     WHERE e.hall_id = $1 AND e.seq > $2 ORDER BY e.seq LIMIT $3`,
    values: [hallId, afterSeq, limit],
  });
  return result.rows.map((raw) => {
    const row = EventRow.parse(raw);
    return { seq: Number(row.seq), kind: row.kind, at: row.at.toISOString(), payloadJson: row.payload };
  });
}

/** The seq of the hall's latest committed event; 0 before its first. */
export async function lastHallEventSeq(db: pg.Pool | pg.PoolClient, hallId: string): Promise<number> {
  const result = await db.query<{ last_seq: string }>('SELECT last_seq::text AS last_seq FROM hall_event_counters WHERE hall_id = $1', [hallId]);
  return Number(result.rows[0]?.last_seq ?? 0);
}

/**
 * The event as the wire carries it: `HallEventEnvelope` of common/contract/hall-events.ts
 * (`kind`, `payload`, `seq`, `at`), built from the stored JSON without parsing it again.
 */
export function envelopeJson(event: StoredHallEvent): string {
  return `{"kind":${JSON.stringify(event.kind)},"payload":${event.payloadJson},"seq":${event.seq},"at":"${event.at}"}`;
}
