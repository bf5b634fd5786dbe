import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { z } from 'zod';
import type { HoldRequest, HoldResponse } from '../../common/contract/booking-api.js';
import { PortalErrorCode } from '../../common/contract/errors.js';
import type { Slot } from '../../common/domain/slots.js';
import { newAppointmentReference } from '../citizen/appointment-reference.js';
import { citizenHmacOf } from '../citizen/citizen-hmac.js';
import { IdNumberProblem, idNumberProblem } from '../citizen/id-number.js';
import { withTransaction } from '../db/transaction.js';
import { PortalError } from '../http/portal-error.js';
import { BOOKABLE_COLUMNS, bookableOf, bookableSlot, type BookableService } from './bookable-service.js';
import { ensureSlotRow, lockSlots, releaseHolds, slotTakenSql, type LockedSlot, type SlotKey } from './slot-counter.js';

/** Never echoes the number: error messages end up in logs. */
const ID_PROBLEM_TEXT: Readonly<Record<IdNumberProblem, string>> = {
  [IdNumberProblem.Format]: 'idNumber: expected 17 digits and a check digit or X',
  [IdNumberProblem.BirthDate]: 'idNumber: the birth date part is not a real date',
  [IdNumberProblem.CheckCharacter]: 'idNumber: the check character does not match (GB 11643)',
};

/** A clash of random references is rare; a few tries make it vanish. */
const REFERENCE_ATTEMPTS = 5;
/** The unique index of one active booking per citizen, service and day (0008_citizen_booking.sql). */
const ONE_ACTIVE_INDEX = 'appointments_one_active';

const SlotTakenRow = z.object({ slot_taken: z.number().int().nullable() });
const HeldRow = z.object({ taken: z.number().int() });

type HoldResponseBody = z.input<typeof HoldResponse>;

type Attempt = { kind: 'no-row' } | { kind: 'full' } | { kind: 'held'; holdId: string; expiresAt: Date };

function isOneActiveViolation(err: unknown): boolean {
  const e = err as { code?: unknown; constraint?: unknown } | null;
  return e?.code === '23505' && e.constraint === ONE_ACTIVE_INDEX;
}

function fullSlot(slot: Slot): PortalError {
  return new PortalError(PortalErrorCode.SlotFull, `the slot ${slot.day} ${slot.opens} has no place left`);
}

/**
 * One try under the slot's lock (slot-counter.ts): lock the slot, and the citizen's held slots of
 * the service that day; release what expired; if a place is free (or the citizen held one in this
 * very slot), release the citizen's other hold (a new hold replaces it) and take the place.
 */
async function attempt(
  pool: pg.Pool,
  service: BookableService,
  slot: Slot,
  citizenHmac: string,
  now: Date,
  holdMs: number,
): Promise<Attempt> {
  const key: SlotKey = { hallId: service.hallId, serviceId: service.serviceId, slotStart: new Date(slot.start) };
  const startMs = key.slotStart.getTime();
  const citizen = { hmac: citizenHmac, businessDay: slot.day };
  return withTransaction(pool, async (client) => {
    const locked = await lockSlots(client, key.hallId, key.serviceId, [key.slotStart], now, citizen);
    const target = locked.get(startMs);
    if (target === undefined) return { kind: 'no-row' } as const;
    const lockedSlots = (which: (slot: LockedSlot) => boolean): Date[] =>
      [...locked.entries()].filter(([, slot]) => which(slot)).map(([ms]) => new Date(ms));
    let taken = target.taken;
    const withExpired = lockedSlots((slot) => slot.hasExpired);
    if (withExpired.length > 0) {
      const after = await releaseHolds(client, key.hallId, key.serviceId, withExpired, { expiredAt: now });
      taken = after.get(startMs) ?? taken;
    }
    // The citizen's own hold goes only if this one succeeds: trying a full slot keeps it.
    const mine = lockedSlots((slot) => slot.hasMine).filter((d) => taken < service.rules.capacity || d.getTime() === startMs);
    if (mine.length > 0) {
      const after = await releaseHolds(client, key.hallId, key.serviceId, mine, { citizen });
      taken = after.get(startMs) ?? taken;
    }
    if (taken >= service.rules.capacity) return { kind: 'full' } as const;

    const expiresAt = new Date(now.getTime() + holdMs);
    for (let i = 0; i < REFERENCE_ATTEMPTS; i += 1) {
      const holdId = randomUUID();
      try {
        const held = await client.query({
          name: 'booking-take-place',
          text: `WITH held AS (
               INSERT INTO appointments (hall_id, appointment_id, reference, service_id, business_day, window_start, window_end,
                                         citizen_hmac, status, hold_expires_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'held', $9)
               ON CONFLICT (hall_id, reference) DO NOTHING
               RETURNING window_start
             )
             UPDATE booking_slots b SET taken = b.taken + 1 FROM held
             WHERE b.hall_id = $1 AND b.service_id = $4 AND b.slot_start = held.window_start
             RETURNING b.taken`,
          values: [key.hallId, holdId, newAppointmentReference(), key.serviceId, slot.day, slot.start, slot.end, citizenHmac, expiresAt],
        });
        if (held.rows.length === 1) {
          HeldRow.parse(held.rows[0]);
          return { kind: 'held', holdId, expiresAt } as const;
        }
      } catch (err) {
        if (isOneActiveViolation(err)) {
          throw new PortalError(PortalErrorCode.AlreadyBooked, `this citizen already booked ${key.serviceId} on ${slot.day}: one booking per service and day`);
        }
        throw err;
      }
    }
    throw new Error(`no free appointment reference after ${REFERENCE_ATTEMPTS} attempts`);
  });
}

/**
 * Holds a place in a slot for `holdMs` while the citizen confirms (网上预约). The ID number is
 * checked (GB 11643), turned into the hall's citizen HMAC at once and dropped: no table, log or
 * error message ever holds it. The slot must be one of the service's (common/domain/slots.ts),
 * within the booking window, not begun. Capacity is never exceeded: a place is taken only under
 * the slot's row lock. A full slot is refused from one unlocked read, without a transaction; a
 * new hold of the same citizen for the same service and day replaces their earlier hold; a booked
 * one refuses it (`already-booked`).
 */
export async function holdBooking(pool: pg.Pool, request: HoldRequest, now: Date, holdMs: number): Promise<HoldResponseBody> {
  const problem = idNumberProblem(request.idNumber);
  if (problem) throw new PortalError(PortalErrorCode.BadRequest, ID_PROBLEM_TEXT[problem]);
  const first = await pool.query({
    name: 'booking-hold-read',
    text: `SELECT ${BOOKABLE_COLUMNS}, ${slotTakenSql('$3::timestamptz', '$4::timestamptz')} AS slot_taken
       FROM halls h LEFT JOIN services s ON s.hall_id = h.hall_id AND s.service_id = $2
       WHERE h.hall_id = $1`,
    values: [request.hallId, request.serviceId, request.slotStart, now],
  });
  const service = bookableOf(request.hallId, request.serviceId, first.rows[0]);
  const slot = bookableSlot(service, request.slotStart, now);
  const takenNow = SlotTakenRow.parse(first.rows[0]).slot_taken;
  if (takenNow !== null && takenNow >= service.rules.capacity) throw fullSlot(slot);

  const citizenHmac = citizenHmacOf(service.citizenKey, request.idNumber);
  let outcome = await attempt(pool, service, slot, citizenHmac, now, holdMs);
  if (outcome.kind === 'no-row') {
    await ensureSlotRow(pool, { hallId: service.hallId, serviceId: service.serviceId, slotStart: new Date(slot.start) }, slot.day);
    outcome = await attempt(pool, service, slot, citizenHmac, now, holdMs);
  }
  switch (outcome.kind) {
    case 'full':
      throw fullSlot(slot);
    case 'no-row':
      throw new Error(`slot row of ${slot.start} missing after it was created`);
    case 'held':
      return {
        holdId: outcome.holdId,
        expiresAt: outcome.expiresAt.toISOString(),
        slot: { day: slot.day, opens: slot.opens, closes: slot.closes, start: slot.start, end: slot.end },
      };
  }
}
