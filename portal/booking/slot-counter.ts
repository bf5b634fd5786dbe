import type pg from 'pg';
import { z } from 'zod';
import { withTransaction } from '../db/transaction.js';

/**
 * The places of a slot (booking_slots.taken: held, booked and checked-in appointments) and the
 * one rule that keeps them true: whatever changes how many places a slot has taken — a hold, a
 * cancellation, the release of a hold that expired — does so holding that slot's row lock, in the
 * transaction that changes the appointments. Locks are always taken in slot order, so two
 * transactions that need two slots each never wait for each other in a circle.
 *
 * Expired holds are released (deleted: nobody but the citizen ever saw them) whenever their slot is
 * next locked, and by the sweep (hold-sweep.ts). Until then a slot's free places are its capacity
 * less its places taken, plus its holds expired by now: what `slotTakenSql` and the slot list read.
 *
 * A hold follows the same rule inside PostgreSQL, in one statement (booking_hold,
 * 0015_booking_fast_path.sql, which also creates a slot's row on its first hold); the functions
 * here serve cancellations and the release of expired holds.
 */

export interface SlotKey {
  hallId: string;
  serviceId: string;
  /** The slot's start instant. */
  slotStart: Date;
}

const LockedRow = z.object({ slot_start: z.date(), taken: z.number().int(), has_expired: z.boolean(), has_mine: z.boolean() });
const ReleasedRow = z.object({ slot_start: z.date(), taken: z.number().int() });

/** A slot row as locked. */
export interface LockedSlot {
  /** Places taken, as locked (the latest committed value). */
  taken: number;
  /**
   * Hints, read in the statement's snapshot before the lock was granted: whether the slot has
   * holds expired at `now`, and holds of the citizen. They only spare a statement when there is
   * nothing to release; the release itself (releaseHolds) decides under the lock. A hold missed
   * here (committed meanwhile) is released at the slot's next touch, or by the sweep.
   */
  hasExpired: boolean;
  hasMine: boolean;
}

/**
 * Locks, in slot order, the rows of `slotStarts` and of the slots where `citizen` holds a place of
 * this service on its `businessDay` (a new hold of theirs may replace it). Returns them by slot
 * start (ms); a slot without a row is missing from it.
 */
export async function lockSlots(
  client: pg.PoolClient,
  hallId: string,
  serviceId: string,
  slotStarts: readonly Date[],
  now: Date,
  citizen?: { hmac: string; businessDay: string },
): Promise<Map<number, LockedSlot>> {
  const result = await client.query({
    name: 'booking-lock-slots',
    text: `SELECT b.slot_start, b.taken,
         EXISTS (SELECT 1 FROM appointments a
                 WHERE a.hall_id = b.hall_id AND a.service_id = b.service_id AND a.window_start = b.slot_start
                   AND a.status = 'held' AND a.hold_expires_at <= $6) AS has_expired,
         EXISTS (SELECT 1 FROM appointments a
                 WHERE a.hall_id = b.hall_id AND a.service_id = b.service_id AND a.window_start = b.slot_start
                   AND a.status = 'held' AND a.citizen_hmac = $4 AND a.business_day = $5::date) AS has_mine
       FROM booking_slots b
       WHERE b.hall_id = $1 AND b.service_id = $2
         AND (b.slot_start = ANY($3::timestamptz[])
              OR b.slot_start IN (SELECT a.window_start FROM appointments a
                                  WHERE a.hall_id = $1 AND a.citizen_hmac = $4 AND a.service_id = $2
                                    AND a.business_day = $5::date AND a.status = 'held'))
       ORDER BY b.slot_start
       FOR UPDATE OF b`,
    values: [hallId, serviceId, slotStarts, citizen?.hmac ?? null, citizen?.businessDay ?? null, now],
  });
  return new Map(result.rows.map((raw) => {
    const row = LockedRow.parse(raw);
    return [row.slot_start.getTime(), { taken: row.taken, hasExpired: row.has_expired, hasMine: row.has_mine }] as const;
  }));
}

/** Which holds to release: those expired at `expiredAt`, and/or those of one citizen on one day. */
export interface ReleaseWhat {
  expiredAt?: Date;
  citizen?: { hmac: string; businessDay: string };
}

/**
 * In slots this transaction has locked (`locked`), deletes the holds `what` names and gives their
 * places back. Returns the places taken after it, by slot start (ms), for the slots that changed.
 */
export async function releaseHolds(
  client: pg.PoolClient,
  hallId: string,
  serviceId: string,
  locked: readonly Date[],
  what: ReleaseWhat,
): Promise<Map<number, number>> {
  if (locked.length === 0 || (what.expiredAt === undefined && what.citizen === undefined)) return new Map();
  const result = await client.query({
    name: 'booking-release-holds',
    text: `WITH released AS (
         DELETE FROM appointments a
         WHERE a.hall_id = $1 AND a.service_id = $2 AND a.window_start = ANY($3::timestamptz[]) AND a.status = 'held'
           AND (a.hold_expires_at <= $4 OR (a.citizen_hmac = $5 AND a.business_day = $6::date))
         RETURNING a.window_start
       ), per_slot AS (
         SELECT window_start, count(*)::int AS n FROM released GROUP BY window_start
       )
       UPDATE booking_slots s SET taken = s.taken - p.n
       FROM per_slot p
       WHERE s.hall_id = $1 AND s.service_id = $2 AND s.slot_start = p.window_start
       RETURNING s.slot_start, s.taken`,
    values: [hallId, serviceId, locked, what.expiredAt ?? null, what.citizen?.hmac ?? null, what.citizen?.businessDay ?? null],
  });
  return new Map(result.rows.map((raw) => {
    const row = ReleasedRow.parse(raw);
    return [row.slot_start.getTime(), row.taken] as const;
  }));
}

/**
 * Releases the expired holds of one slot in a transaction of its own: the sweep, and a
 * confirmation that came too late. Returns how many places went back.
 */
export async function releaseExpiredInSlot(pool: pg.Pool, key: SlotKey, now: Date): Promise<number> {
  return withTransaction(pool, async (client) => {
    const locked = await lockSlots(client, key.hallId, key.serviceId, [key.slotStart], now);
    const before = locked.get(key.slotStart.getTime())?.taken;
    if (before === undefined) return 0;
    const after = await releaseHolds(client, key.hallId, key.serviceId, [key.slotStart], { expiredAt: now });
    return before - (after.get(key.slotStart.getTime()) ?? before);
  });
}

/** Gives one place back to a locked slot (a booking cancelled). */
export async function freePlace(client: pg.PoolClient, key: SlotKey): Promise<void> {
  await client.query(
    'UPDATE booking_slots SET taken = taken - 1 WHERE hall_id = $1 AND service_id = $2 AND slot_start = $3 AND taken > 0',
    [key.hallId, key.serviceId, key.slotStart],
  );
}

/**
 * SQL for a slot's places taken less its holds expired at `now`, read without a lock: what a
 * citizen would find if they were released now. Enough to refuse a full slot; a place is only
 * ever taken under the lock (hold-booking.ts). Expects `h` (halls) and `s` (services) in scope;
 * NULL when the slot has no row yet (nothing taken).
 */
export function slotTakenSql(slotParam: string, nowParam: string): string {
  return `(SELECT b.taken - (SELECT count(*)::int FROM appointments a
                             WHERE a.hall_id = b.hall_id AND a.service_id = b.service_id AND a.window_start = b.slot_start
                               AND a.status = 'held' AND a.hold_expires_at <= ${nowParam})
           FROM booking_slots b WHERE b.hall_id = h.hall_id AND b.service_id = s.service_id AND b.slot_start = ${slotParam})`;
}
