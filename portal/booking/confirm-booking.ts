import type pg from 'pg';
import { z } from 'zod';
import type { BookingConfirmation } from '../../common/contract/booking-api.js';
import { PortalErrorCode } from '../../common/contract/errors.js';
import { AppointmentStatus } from '../../common/contract/sync-api.js';
import { localDayTime } from '../../common/domain/local-time.js';
import { PortalError } from '../http/portal-error.js';
import { BOOKABLE_COLUMNS, bookableOf, loadBookable, type BookableService } from './bookable-service.js';
import { kiosksHoldDay, type AppointmentsChanged } from './booking-events.js';
import { cancelCodeHash, newCancelCode } from './cancel-code.js';
import { releaseExpiredInSlot } from './slot-counter.js';

const HoldRow = z.object({
  hall_id: z.string(),
  service_id: z.string(),
  window_start: z.date(),
  status: z.enum(AppointmentStatus),
  hold_expires_at: z.date().nullable(),
});
const ConfirmedRow = z.object({ reference: z.string(), business_day: z.string(), window_start: z.date(), window_end: z.date() });
const FastConfirmedRow = ConfirmedRow.extend({ hall_id: z.string(), service_id: z.string() });

type Confirmation = z.input<typeof BookingConfirmation>;

/** The hold of this id (its hall is found by the id: the confirm URL carries nothing else). */
async function findHold(pool: pg.Pool, holdId: string): Promise<z.infer<typeof HoldRow> | null> {
  const result = await pool.query({
    name: 'booking-find-hold',
    text: `SELECT hall_id, service_id, window_start, status, hold_expires_at FROM appointments WHERE appointment_id = $1 LIMIT 1`,
    values: [holdId],
  });
  return result.rows.length === 0 ? null : HoldRow.parse(result.rows[0]);
}

function confirmationOf(service: BookableService, row: z.infer<typeof ConfirmedRow>, cancelCode: string): Confirmation {
  const start = row.window_start;
  return {
    reference: row.reference,
    qrText: row.reference,
    cancelCode,
    hallName: service.hallName,
    serviceName: service.serviceName,
    slot: {
      day: row.business_day,
      opens: localDayTime(start, service.timeZone).time,
      closes: localDayTime(row.window_end, service.timeZone).time,
      start: start.toISOString(),
      end: row.window_end.toISOString(),
    },
    checkInFrom: new Date(start.getTime() - service.checkIn.beforeMinutes * 60_000).toISOString(),
    checkInUntil: new Date(start.getTime() + service.checkIn.afterMinutes * 60_000).toISOString(),
  };
}

/**
 * The usual confirmation in one round trip: the hold found by its id, confirmed if the service
 * still takes bookings, and returned with its hall and service. Null when it was not confirmed
 * (no such hold, run out, another status, the service closed meanwhile): the caller's longer way
 * finds out why. The same checks as the update below, in the same statement.
 */
async function confirmAtOnce(
  pool: pg.Pool,
  holdId: string,
  cancelHash: string,
  now: Date,
): Promise<{ service: BookableService; row: z.infer<typeof ConfirmedRow> } | null> {
  const result = await pool.query({
    name: 'booking-confirm-at-once',
    text: `WITH confirmed AS (
         UPDATE appointments a SET status = 'booked', cancel_code_hash = $2
         WHERE a.hall_id = (SELECT f.hall_id FROM appointments f WHERE f.appointment_id = $1 LIMIT 1)
           AND a.appointment_id = $1 AND a.hold_expires_at > $3
           AND (a.status = 'held' OR (a.status = 'booked' AND a.cancel_code_hash IS NOT NULL))
           AND EXISTS (SELECT 1 FROM services b WHERE b.hall_id = a.hall_id AND b.service_id = a.service_id
                         AND b.enabled AND b.booking_rules IS NOT NULL)
         RETURNING a.hall_id, a.service_id, a.reference, a.business_day::text AS business_day, a.window_start, a.window_end
       )
       SELECT c.*, ${BOOKABLE_COLUMNS}
       FROM confirmed c JOIN halls h ON h.hall_id = c.hall_id
         LEFT JOIN services s ON s.hall_id = c.hall_id AND s.service_id = c.service_id`,
    values: [holdId, cancelHash, now],
  });
  if (result.rows.length === 0) return null;
  const row = FastConfirmedRow.parse(result.rows[0]);
  return { service: bookableOf(row.hall_id, row.service_id, result.rows[0]), row };
}

/**
 * Confirms a held place: the booking, with its reference (what the check-in QR code says) and a
 * six-digit cancel code shown this once (only its hash is kept). One statement, so the hall-wide
 * part of it (the appointment change number kiosks pull by) is held only while PostgreSQL runs it;
 * usually the only one (confirmAtOnce), the hold's details read and written in it.
 * Retry-safe: confirming again before the hold would have run out answers the booking again, with
 * a new cancel code that replaces the first (whose answer was lost). A hold that ran out is
 * released at once and refused (410 `hold-expired`). A booking for today or tomorrow is reported
 * to `changed` once committed (booking-events.ts: the hall's kiosks pull).
 */
export async function confirmBooking(pool: pg.Pool, holdId: string, now: Date, changed?: AppointmentsChanged): Promise<Confirmation> {
  const cancelCode = newCancelCode();
  const atOnce = await confirmAtOnce(pool, holdId, cancelCodeHash(holdId, cancelCode), now);
  if (atOnce) {
    if (kiosksHoldDay(atOnce.service, atOnce.row.business_day, now)) changed?.(atOnce.service.hallId, atOnce.row.business_day);
    return confirmationOf(atOnce.service, atOnce.row, cancelCode);
  }

  const hold = await findHold(pool, holdId);
  if (!hold) throw new PortalError(PortalErrorCode.NotFound, 'no such hold');
  const service = await loadBookable(pool, hold.hall_id, hold.service_id);
  // A hold expired at `now` may be released by anyone meanwhile: the status and the expiry are
  // checked by this update, under the row's lock, never from the read above.
  const updated = await pool.query({
    name: 'booking-confirm',
    text: `UPDATE appointments SET status = 'booked', cancel_code_hash = $3
       WHERE hall_id = $1 AND appointment_id = $2 AND hold_expires_at > $4
         AND (status = 'held' OR (status = 'booked' AND cancel_code_hash IS NOT NULL))
       RETURNING reference, business_day::text AS business_day, window_start, window_end`,
    values: [hold.hall_id, holdId, cancelCodeHash(holdId, cancelCode), now],
  });
  if (updated.rows.length === 1) {
    const row = ConfirmedRow.parse(updated.rows[0]);
    if (kiosksHoldDay(service, row.business_day, now)) changed?.(service.hallId, row.business_day);
    return confirmationOf(service, row, cancelCode);
  }

  const after = await findHold(pool, holdId);
  if (!after) throw new PortalError(PortalErrorCode.HoldExpired, 'the hold ran out and its place went back: choose a slot again');
  if (after.status === AppointmentStatus.Held) {
    await releaseExpiredInSlot(pool, { hallId: after.hall_id, serviceId: after.service_id, slotStart: after.window_start }, now);
    throw new PortalError(PortalErrorCode.HoldExpired, 'the hold ran out and its place went back: choose a slot again');
  }
  throw new PortalError(PortalErrorCode.Conflict, `this booking is ${after.status}; it cannot be confirmed again`);
}
