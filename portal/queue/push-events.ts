import type pg from 'pg';
import { z } from 'zod';
import {
  SyncEventType,
  SyncRejectCode,
  type OutboxEvent,
  type PushRequest,
  type PushResponse,
  type RejectedEvent,
} from '../../common/contract/sync-api.js';
import type { KioskPrincipal } from '../auth/principals.js';
import { HallEventKind } from '../../common/contract/hall-events.js';
import { addDays } from '../../common/domain/business-day.js';
import { Priority } from '../../common/domain/priority.js';
import { emitQueueWaiting } from '../counter/hall-effects.js';
import { emitHallEvent } from '../realtime/emit-hall-event.js';
import { withTransaction } from '../db/transaction.js';
import { applyRatingBatch, type RatingEvent } from '../ratings/apply-rating-batch.js';
import { isStorablePayload } from '../ratings/storable-text.js';
import { applyTicketBatch } from './apply-ticket-batch.js';
import { pushWindowOf } from './hall-day.js';
import { isStorableInstant } from './real-dates.js';
import type { EventRejection, PushContext, TicketEvent } from './ticket-rules.js';

const CursorRow = z.object({
  last_seq: z.coerce.number().int().nonnegative(),
  latest_business_day: z.string().nullable(),
  time_zone: z.string(),
  business_day_start_hour: z.number().int(),
});
type CursorRow = z.infer<typeof CursorRow>;
const EventIdRow = z.object({ event_id: z.string() });

/**
 * Locks the kiosk epoch's cursor row (created on first push) and reads it, with the hall's zone
 * and day start, in one statement: the no-op DO UPDATE takes the row lock and returns the latest
 * committed value even when a racing push of the same epoch committed after this transaction
 * began. The lock serialises that race.
 */
async function lockCursor(client: pg.PoolClient, kiosk: KioskPrincipal, dbEpoch: string): Promise<CursorRow> {
  const result = await client.query({
    name: 'push-lock-cursor',
    text: `WITH cursor AS (
         INSERT INTO kiosk_cursors (hall_id, kiosk_id, db_epoch) VALUES ($1, $2, $3)
         ON CONFLICT (hall_id, kiosk_id, db_epoch) DO UPDATE SET last_seq = kiosk_cursors.last_seq
         RETURNING last_seq, latest_business_day::text AS latest_business_day
       )
       SELECT cursor.last_seq, cursor.latest_business_day, h.time_zone, h.business_day_start_hour
       FROM cursor JOIN halls h ON h.hall_id = $1`,
    values: [kiosk.hallId, kiosk.kioskId, dbEpoch],
  });
  return CursorRow.parse(result.rows[0]);
}

/** The rules' view of this push: the caller, the hall's days now, what this epoch delivered before. */
function pushContext(kiosk: KioskPrincipal, cursor: CursorRow, now: Date): PushContext {
  return {
    kioskId: kiosk.kioskId,
    kioskDigit: kiosk.kioskDigit,
    ...pushWindowOf(cursor, now),
    latestAccepted: cursor.latest_business_day,
  };
}

/**
 * The events this batch consumes: in seq order, those right after the cursor without a gap.
 * Seqs already consumed are skipped; the first gap ends the run (the kiosk resends from there).
 */
export function consumableRun(events: readonly OutboxEvent[], lastSeq: number): OutboxEvent[] {
  const run: OutboxEvent[] = [];
  let next = lastSeq + 1;
  for (const event of [...events].sort((a, b) => a.seq - b.seq)) {
    if (event.seq < next) continue;
    if (event.seq !== next) break;
    run.push(event);
    next += 1;
  }
  return run;
}

/**
 * Records the run in one statement; returns the events received for the first time. An event id
 * seen before (a retry, or the same event under a restored epoch) is consumed but not applied
 * again: delivery is at least once, the effect exactly once.
 */
async function recordEvents(
  client: pg.PoolClient,
  kiosk: KioskPrincipal,
  dbEpoch: string,
  run: readonly OutboxEvent[],
): Promise<OutboxEvent[]> {
  const events = run.map((e, i) => ({
    ord: i + 1,
    event_id: e.eventId,
    seq: e.seq,
    type: e.type,
    // Text jsonb refuses (NUL, a lone surrogate, e.g. in a rating's comment) would fail the whole
    // batch at every retry: such an event is recorded without its payload and refused below.
    payload: isStorablePayload(e.payload) ? e.payload : null,
    // Unknown rather than a failed batch; the event is refused as invalid below.
    occurred_at: isStorableInstant(e.occurredAt) ? e.occurredAt : null,
  }));
  // One JSON text parameter: V8 serialises it natively (text[] is escaped element by element).
  const result = await client.query({
    name: 'push-record-events',
    text: `INSERT INTO sync_events (hall_id, event_id, kiosk_id, db_epoch, seq, type, payload, occurred_at)
       SELECT $1, e.event_id, $2, $3, e.seq, e.type, e.payload, e.occurred_at
       FROM json_to_recordset($4::json) AS e(ord int, event_id uuid, seq bigint, type text, payload jsonb, occurred_at timestamptz)
       ORDER BY e.ord
       ON CONFLICT (hall_id, event_id) DO NOTHING
       RETURNING event_id`,
    values: [kiosk.hallId, kiosk.kioskId, dbEpoch, JSON.stringify(events)],
  });
  const fresh = new Set(result.rows.map((row) => EventIdRow.parse(row).event_id));
  // A batch may carry one event id twice under two seqs: only its first occurrence is applied.
  return run.filter((e) => fresh.delete(e.eventId));
}

/**
 * Applies the fresh events by type, each type as one set (tickets first: a rating is of a ticket
 * served since, never of one in the same batch); returns rejections by event id and the latest
 * business day accepted.
 */
async function applyEvents(
  client: pg.PoolClient,
  kiosk: KioskPrincipal,
  fresh: readonly OutboxEvent[],
  context: PushContext,
  now: Date,
): Promise<{ rejections: Map<string, EventRejection>; latestAccepted: string | null }> {
  const rejections = new Map<string, EventRejection>();
  const tickets: TicketEvent[] = [];
  const ratings: RatingEvent[] = [];
  for (const event of fresh) {
    if (!isStorableInstant(event.occurredAt)) {
      rejections.set(event.eventId, { code: SyncRejectCode.InvalidEvent, reason: `occurredAt ${event.occurredAt} is not a real instant` });
      continue;
    }
    if (!isStorablePayload(event.payload)) {
      rejections.set(event.eventId, { code: SyncRejectCode.InvalidEvent, reason: 'the payload holds text that cannot be stored (NUL or a lone surrogate)' });
      continue;
    }
    switch (event.type) {
      case SyncEventType.TicketIssued:
        tickets.push({ eventId: event.eventId, payload: event.payload });
        break;
      case SyncEventType.RatingSubmitted:
        ratings.push({ eventId: event.eventId, payload: event.payload });
        break;
    }
  }
  const applied = await applyTicketBatch(client, kiosk, tickets, context);
  for (const [eventId, rejection] of applied.rejections) rejections.set(eventId, rejection);
  if (ratings.length > 0) {
    for (const [eventId, rejection] of await applyRatingBatch(client, kiosk, ratings, context.today, now)) rejections.set(eventId, rejection);
  }
  return { rejections, latestAccepted: applied.latestAccepted };
}

/** The services of the accepted tickets of `day` (a ticket sent again counts: the counts are absolute). */
function servicesAddedOn(day: string, fresh: readonly OutboxEvent[], rejections: ReadonlyMap<string, EventRejection>): Set<string> {
  const services = new Set<string>();
  for (const event of fresh) {
    if (event.type === SyncEventType.TicketIssued && event.payload.businessDay === day && !rejections.has(event.eventId)) {
      services.add(event.payload.serviceId);
    }
  }
  return services;
}

/**
 * Today and tomorrow, if an accepted ticket of that day names the appointment it checked in
 * (ticket-store.ts marks it): the days kiosks hold appointments of. A ticket sent again counts
 * too; one pull too many costs a kiosk nothing.
 */
function checkInDays(fresh: readonly OutboxEvent[], rejections: ReadonlyMap<string, EventRejection>, today: string): string[] {
  const days = new Set<string>();
  const held = new Set([today, addDays(today, 1)]);
  for (const event of fresh) {
    if (event.type !== SyncEventType.TicketIssued || rejections.has(event.eventId)) continue;
    const t = event.payload;
    if (t.appointmentId !== undefined && t.priority === Priority.Appointment && held.has(t.businessDay)) days.add(t.businessDay);
  }
  return [...days].sort();
}

async function recordRejections(client: pg.PoolClient, hallId: string, rejected: readonly RejectedEvent[]): Promise<void> {
  if (rejected.length === 0) return;
  await client.query(
    `UPDATE sync_events s SET rejected_code = r.code, rejected_reason = r.reason
     FROM unnest($2::uuid[], $3::text[], $4::text[]) AS r(event_id, code, reason)
     WHERE s.hall_id = $1 AND s.event_id = r.event_id`,
    [hallId, rejected.map((r) => r.eventId), rejected.map((r) => r.code), rejected.map((r) => r.reason)],
  );
}

const StoredRejectionRow = z.object({ event_id: z.string(), rejected_code: z.enum(SyncRejectCode), rejected_reason: z.string().nullable() });

/**
 * Rejections of events this batch carries again although they were consumed before: when the
 * answer to the first push was lost, the retry must still tell the kiosk to quarantine them,
 * or the kiosk would trim them silently.
 */
async function earlierRejections(
  client: pg.PoolClient,
  hallId: string,
  replayed: readonly OutboxEvent[],
): Promise<RejectedEvent[]> {
  if (replayed.length === 0) return [];
  const result = await client.query(
    `SELECT event_id, rejected_code, rejected_reason FROM sync_events
     WHERE hall_id = $1 AND event_id = ANY($2::uuid[]) AND rejected_code IS NOT NULL`,
    [hallId, replayed.map((e) => e.eventId)],
  );
  const byId = new Map(result.rows.map((row) => {
    const r = StoredRejectionRow.parse(row);
    return [r.event_id, r] as const;
  }));
  return replayed.flatMap((e) => {
    const r = byId.get(e.eventId);
    return r ? [{ seq: e.seq, eventId: e.eventId, code: r.rejected_code, reason: r.rejected_reason ?? r.rejected_code }] : [];
  });
}

/**
 * Consumes a push batch in one transaction (docs/architecture.md §5): lock the cursor, skip what was
 * consumed, stop at the first gap, record each event once (ON CONFLICT DO NOTHING) and apply the
 * new ones under the push rules (ticket-rules.ts: prefix, series digit, leased band, allocated
 * number, business day at the portal's clock `now`, priority), advance the cursor and answer it.
 * A rejected event is recorded with its code and still consumed, so it never blocks the kiosk's
 * queue. Set-based: a handful of statements per batch, whatever its size.
 */
export async function pushEvents(
  pool: pg.Pool,
  kiosk: KioskPrincipal,
  request: PushRequest,
  now: Date,
): Promise<PushResponse> {
  return withTransaction(pool, async (client) => {
    const cursor = await lockCursor(client, kiosk, request.dbEpoch);
    const startSeq = cursor.last_seq;
    const replayed = await earlierRejections(client, kiosk.hallId, request.events.filter((e) => e.seq <= startSeq));
    const run = consumableRun(request.events, startSeq);
    const last = run[run.length - 1];
    if (!last) return { lastSeq: startSeq, rejected: replayed, serverTime: now.toISOString() };

    const fresh = await recordEvents(client, kiosk, request.dbEpoch, run);
    const context = pushContext(kiosk, cursor, now);
    const { rejections, latestAccepted } = await applyEvents(client, kiosk, fresh, context, now);
    const rejected: RejectedEvent[] = fresh.flatMap((event) => {
      const rejection = rejections.get(event.eventId);
      return rejection ? [{ seq: event.seq, eventId: event.eventId, code: rejection.code, reason: rejection.reason }] : [];
    });
    await recordRejections(client, kiosk.hallId, rejected);
    await client.query({
      name: 'push-advance-cursor',
      text: `UPDATE kiosk_cursors SET last_seq = $4, latest_business_day = $5, updated_at = clock_timestamp()
       WHERE hall_id = $1 AND kiosk_id = $2 AND db_epoch = $3`,
      values: [kiosk.hallId, kiosk.kioskId, request.dbEpoch, last.seq, latestAccepted],
    });
    // Appointments checked in by this batch: the hall's kiosks pull at once (not to check one in twice).
    const checkedIn = checkInDays(fresh, rejections, context.today);
    if (checkedIn.length > 0) {
      await emitHallEvent(client, kiosk.hallId, { kind: HallEventKind.AppointmentsChanged, payload: { days: checkedIn } });
    }
    // Today's line grew: the hall's pages get the new counts of those services, one event per
    // batch, as the last statements (it locks the hall's event counter until commit).
    await emitQueueWaiting(client, kiosk.hallId, context.today, servicesAddedOn(context.today, fresh, rejections));
    return { lastSeq: last.seq, rejected: [...replayed, ...rejected], serverTime: now.toISOString() };
  });
}
