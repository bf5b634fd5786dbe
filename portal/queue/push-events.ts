import type pg from 'pg';
import { z } from 'zod';
import {
  SyncEventType,
  type OutboxEvent,
  type PushRequest,
  type PushResponse,
  type RejectedEvent,
} from '../../common/contract/sync-api.js';
import type { KioskPrincipal } from '../auth/principals.js';
import { withTransaction } from '../db/transaction.js';
import { applyTicketIssued, type EventRejection } from './apply-ticket-issued.js';

const CursorRow = z.object({ last_seq: z.coerce.number().int().nonnegative() });

async function lockCursor(client: pg.PoolClient, kiosk: KioskPrincipal, dbEpoch: string): Promise<number> {
  await client.query(
    `INSERT INTO kiosk_cursors (hall_id, kiosk_id, db_epoch) VALUES ($1, $2, $3)
     ON CONFLICT (hall_id, kiosk_id, db_epoch) DO NOTHING`,
    [kiosk.hallId, kiosk.kioskId, dbEpoch],
  );
  // Serialises concurrent pushes of the same kiosk epoch (a retry racing the original).
  const result = await client.query(
    'SELECT last_seq FROM kiosk_cursors WHERE hall_id = $1 AND kiosk_id = $2 AND db_epoch = $3 FOR UPDATE',
    [kiosk.hallId, kiosk.kioskId, dbEpoch],
  );
  return CursorRow.parse(result.rows[0]).last_seq;
}

/** Records the event; false when this event id was already received (at-least-once delivery). */
async function recordEvent(
  client: pg.PoolClient,
  kiosk: KioskPrincipal,
  dbEpoch: string,
  event: OutboxEvent,
): Promise<boolean> {
  const result = await client.query(
    `INSERT INTO sync_events (hall_id, event_id, kiosk_id, db_epoch, seq, type, payload, occurred_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (hall_id, event_id) DO NOTHING
     RETURNING event_id`,
    [kiosk.hallId, event.eventId, kiosk.kioskId, dbEpoch, event.seq, event.type, JSON.stringify(event.payload), event.occurredAt],
  );
  return result.rows.length === 1;
}

async function applyEvent(client: pg.PoolClient, kiosk: KioskPrincipal, event: OutboxEvent): Promise<EventRejection | null> {
  switch (event.type) {
    case SyncEventType.TicketIssued:
      return applyTicketIssued(client, kiosk, event.payload);
  }
}

/**
 * Consumes a push batch in one transaction (ARCHITECTURE.md §5): lock the cursor, skip what was
 * consumed, stop at the first gap, record and apply each event once. A rejected event is recorded
 * with its code and still consumed, so it never blocks the kiosk's queue.
 */
export async function pushEvents(
  pool: pg.Pool,
  kiosk: KioskPrincipal,
  request: PushRequest,
  now: Date,
): Promise<PushResponse> {
  return withTransaction(pool, async (client) => {
    let lastSeq = await lockCursor(client, kiosk, request.dbEpoch);
    const startSeq = lastSeq;
    const rejected: RejectedEvent[] = [];
    const ordered = [...request.events].sort((a, b) => a.seq - b.seq);
    for (const event of ordered) {
      if (event.seq <= lastSeq) continue;
      if (event.seq !== lastSeq + 1) break;
      if (await recordEvent(client, kiosk, request.dbEpoch, event)) {
        const rejection = await applyEvent(client, kiosk, event);
        if (rejection) {
          await client.query(
            'UPDATE sync_events SET rejected_code = $3, rejected_reason = $4 WHERE hall_id = $1 AND event_id = $2',
            [kiosk.hallId, event.eventId, rejection.code, rejection.reason],
          );
          rejected.push({ seq: event.seq, eventId: event.eventId, code: rejection.code, reason: rejection.reason });
        }
      }
      lastSeq = event.seq;
    }
    if (lastSeq !== startSeq) {
      await client.query(
        `UPDATE kiosk_cursors SET last_seq = $4, updated_at = clock_timestamp()
         WHERE hall_id = $1 AND kiosk_id = $2 AND db_epoch = $3`,
        [kiosk.hallId, kiosk.kioskId, request.dbEpoch, lastSeq],
      );
    }
    return { lastSeq, rejected, serverTime: now.toISOString() };
  });
}
