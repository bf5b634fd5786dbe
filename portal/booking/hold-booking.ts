import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { z } from 'zod';
import type { HoldRequest, HoldResponse } from '../../common/contract/booking-api.js';
import { PortalErrorCode } from '../../common/contract/errors.js';
import type { Slot } from '../../common/domain/slots.js';
import { newAppointmentReference } from '../citizen/appointment-reference.js';
import { citizenHmacOf } from '../citizen/citizen-hmac.js';
import { IdNumberProblem, idNumberProblem } from '../citizen/id-number.js';
import { PortalError } from '../http/portal-error.js';
import { forgetBookable, keyTagOf, rememberBookable, rememberedBookable, type KnownBookable } from './bookable-cache.js';
import { BOOKABLE_COLUMNS, bookableOf, bookableSlot } from './bookable-service.js';
import { slotTakenSql } from './slot-counter.js';

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
/** The unique constraint of a hall's references (0002_bands_appointments_pull.sql). */
const REFERENCE_UNIQUE = 'appointments_hall_id_reference_key';

const ReadRow = z.object({ slot_taken: z.number().int().nullable(), catalog_version: z.coerce.number().int() });
const HoldOutcome = z.object({ outcome: z.enum(['stale', 'full', 'held']) });

type HoldResponseBody = z.input<typeof HoldResponse>;

type Attempt = { kind: 'stale' } | { kind: 'full' } | { kind: 'held'; holdId: string; expiresAt: Date };

function isUniqueViolation(err: unknown, constraint: string): boolean {
  const e = err as { code?: unknown; constraint?: unknown } | null;
  return e?.code === '23505' && e.constraint === constraint;
}

function fullSlot(slot: Slot): PortalError {
  return new PortalError(PortalErrorCode.SlotFull, `the slot ${slot.day} ${slot.opens} has no place left`);
}

/**
 * The hold under the slot's lock (slot-counter.ts), in one statement: booking_hold
 * (0015_booking_fast_path.sql) answers `stale` if `known` is out of date, `full` from an unlocked
 * read of a full slot; else creates the slot's row on its first hold, locks it and the citizen's
 * held slots of the service that day; releases what expired; if a place is free (or the citizen
 * held one in this very slot), releases the citizen's other hold (a new hold replaces it) and
 * takes the place. The locks are held only while PostgreSQL runs it, never across a round trip to
 * the portal.
 */
async function takePlace(
  pool: pg.Pool,
  known: KnownBookable,
  slot: Slot,
  citizenHmac: string,
  now: Date,
  holdMs: number,
): Promise<Attempt> {
  const { service } = known;
  const holdId = randomUUID();
  const expiresAt = new Date(now.getTime() + holdMs);
  for (let i = 0; i < REFERENCE_ATTEMPTS; i += 1) {
    try {
      const result = await pool.query({
        name: 'booking-hold',
        text: `SELECT booking_hold($1, $2, $3, $4, $5, $6::date, $7, $8, $9, $10, $11, $12, $13) AS outcome`,
        values: [
          service.hallId,
          service.serviceId,
          known.catalogVersion,
          known.keyTag,
          slot.start,
          slot.day,
          slot.end,
          citizenHmac,
          now,
          expiresAt,
          service.rules.capacity,
          holdId,
          newAppointmentReference(),
        ],
      });
      const { outcome } = HoldOutcome.parse(result.rows[0]);
      return outcome === 'held' ? { kind: 'held', holdId, expiresAt } : { kind: outcome };
    } catch (err) {
      if (isUniqueViolation(err, REFERENCE_UNIQUE)) continue;
      if (isUniqueViolation(err, ONE_ACTIVE_INDEX)) {
        throw new PortalError(PortalErrorCode.AlreadyBooked, `this citizen already booked ${service.serviceId} on ${slot.day}: one booking per service and day`);
      }
      throw err;
    }
  }
  throw new Error(`no free appointment reference after ${REFERENCE_ATTEMPTS} attempts`);
}

/** The hall and service read afresh (and remembered), with the places taken in the slot. */
async function readBookable(pool: pg.Pool, request: HoldRequest, now: Date): Promise<{ known: KnownBookable; takenNow: number | null }> {
  const first = await pool.query({
    name: 'booking-hold-read',
    text: `SELECT ${BOOKABLE_COLUMNS}, h.catalog_version, ${slotTakenSql('$3::timestamptz', '$4::timestamptz')} AS slot_taken
       FROM halls h LEFT JOIN services s ON s.hall_id = h.hall_id AND s.service_id = $2
       WHERE h.hall_id = $1`,
    values: [request.hallId, request.serviceId, request.slotStart, now],
  });
  const service = bookableOf(request.hallId, request.serviceId, first.rows[0]);
  const row = ReadRow.parse(first.rows[0]);
  const known: KnownBookable = { service, catalogVersion: row.catalog_version, keyTag: keyTagOf(service.citizenKey) };
  rememberBookable(pool, known);
  return { known, takenNow: row.slot_taken };
}

/**
 * Holds a place in a slot for `holdMs` while the citizen confirms (网上预约). The ID number is
 * checked (GB 11643), turned into the hall's citizen HMAC at once and dropped: no table, log or
 * error message ever holds it. The slot must be one of the service's (common/domain/slots.ts),
 * within the booking window, not begun. Capacity is never exceeded: a place is taken only under
 * the slot's row lock. A full slot is refused from one unlocked read, without a transaction; a
 * new hold of the same citizen for the same service and day replaces their earlier hold; a booked
 * one refuses it (`already-booked`).
 *
 * The hall and service are those remembered (bookable-cache.ts) when the hold statement finds
 * them current, else read again; whatever the remembered ones refuse is refused only once read
 * again.
 */
export async function holdBooking(pool: pg.Pool, request: HoldRequest, now: Date, holdMs: number): Promise<HoldResponseBody> {
  const problem = idNumberProblem(request.idNumber);
  if (problem) throw new PortalError(PortalErrorCode.BadRequest, ID_PROBLEM_TEXT[problem]);
  let known = rememberedBookable(pool, request.hallId, request.serviceId);
  let slot: Slot | undefined;
  if (known) {
    try {
      slot = bookableSlot(known.service, request.slotStart, now);
    } catch {
      known = undefined;
    }
  }
  // A stale stamp twice in a row (the hall changed again meanwhile) is read a third time at most.
  for (let tries = 0; tries < 3; tries += 1) {
    if (!known || !slot) {
      const read = await readBookable(pool, request, now);
      known = read.known;
      slot = bookableSlot(known.service, request.slotStart, now);
      if (read.takenNow !== null && read.takenNow >= known.service.rules.capacity) throw fullSlot(slot);
    }
    const citizenHmac = citizenHmacOf(known.service.citizenKey, request.idNumber);
    const outcome = await takePlace(pool, known, slot, citizenHmac, now, holdMs);
    if (outcome.kind === 'full') throw fullSlot(slot);
    if (outcome.kind === 'held') {
      return {
        holdId: outcome.holdId,
        expiresAt: outcome.expiresAt.toISOString(),
        slot: { day: slot.day, opens: slot.opens, closes: slot.closes, start: slot.start, end: slot.end },
      };
    }
    forgetBookable(pool, request.hallId, request.serviceId);
    known = undefined;
  }
  throw new Error(`the hall ${request.hallId} kept changing while a hold was tried`);
}
