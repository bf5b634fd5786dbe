import type pg from 'pg';
import { z } from 'zod';
import type { CancelBookingRequest, CancelBookingResponse } from '../../common/contract/booking-api.js';
import { PortalErrorCode } from '../../common/contract/errors.js';
import { AppointmentStatus } from '../../common/contract/sync-api.js';
import { withTransaction } from '../db/transaction.js';
import { PortalError } from '../http/portal-error.js';
import { kiosksHoldDay, type AppointmentsChanged } from './booking-events.js';
import { MAX_CANCEL_FAILURES, cancelCodeMatches } from './cancel-code.js';
import { freePlace, lockSlots } from './slot-counter.js';

const BookingRow = z.object({
  appointment_id: z.string(),
  service_id: z.string(),
  business_day: z.string(),
  window_start: z.date(),
  status: z.enum(AppointmentStatus),
  cancel_code_hash: z.string().nullable(),
  cancel_failures: z.number().int(),
  time_zone: z.string(),
  business_day_start_hour: z.number().int(),
});

const StatusRow = z.object({ status: z.enum(AppointmentStatus) });

type Outcome = 'cancelled' | 'wrong-code' | 'locked' | 'begun' | { status: AppointmentStatus };

/** The same answer for an unknown reference and a wrong code: neither tells which it was. */
const notFound = (): PortalError => new PortalError(PortalErrorCode.NotFound, 'no booking with this reference and cancel code');

/**
 * Cancels an online booking with its reference and cancel code; its place goes back to the slot
 * (under the slot's lock, slot-counter.ts) and, for today or tomorrow, `changed` is told once it
 * committed (booking-events.ts: the hall's kiosks pull). Cancelling twice answers the same. A wrong code counts against the booking: after
 * MAX_CANCEL_FAILURES it is cancelled at the hall only. A booking that has begun, was checked in
 * or missed cannot be cancelled (409).
 */
export async function cancelBooking(
  pool: pg.Pool,
  request: z.infer<typeof CancelBookingRequest>,
  now: Date,
  changed?: AppointmentsChanged,
): Promise<z.input<typeof CancelBookingResponse>> {
  /** The day of a booking cancelled now that the hall's kiosks hold (told once committed). */
  let soonDay: string | null = null;
  const outcome = await withTransaction(pool, async (client): Promise<Outcome | null> => {
    const found = await client.query(
      `SELECT a.appointment_id, a.service_id, a.business_day::text AS business_day, a.window_start, a.status,
              a.cancel_code_hash, a.cancel_failures, h.time_zone, h.business_day_start_hour
       FROM appointments a JOIN halls h ON h.hall_id = a.hall_id
       WHERE a.hall_id = $1 AND a.reference = $2`,
      [request.hallId, request.reference],
    );
    if (found.rows.length === 0) return null;
    const row = BookingRow.parse(found.rows[0]);
    if (row.cancel_failures >= MAX_CANCEL_FAILURES) return 'locked';
    if (!cancelCodeMatches(row.appointment_id, request.cancelCode, row.cancel_code_hash)) {
      await client.query('UPDATE appointments SET cancel_failures = cancel_failures + 1 WHERE hall_id = $1 AND appointment_id = $2', [
        request.hallId,
        row.appointment_id,
      ]);
      return 'wrong-code';
    }
    if (row.status === AppointmentStatus.Cancelled) return 'cancelled';
    if (row.status !== AppointmentStatus.Booked) return { status: row.status };
    if (row.window_start.getTime() <= now.getTime()) return 'begun';

    const key = { hallId: request.hallId, serviceId: row.service_id, slotStart: row.window_start };
    // Slot first, then the appointment: the order every change of places takes its locks in.
    const locked = await lockSlots(client, key.hallId, key.serviceId, [key.slotStart], now);
    const updated = await client.query(
      `UPDATE appointments SET status = 'cancelled' WHERE hall_id = $1 AND appointment_id = $2 AND status = 'booked'`,
      [request.hallId, row.appointment_id],
    );
    if ((updated.rowCount ?? 0) === 0) {
      // Checked in or cancelled meanwhile: its status now is the answer.
      const again = await client.query('SELECT status FROM appointments WHERE hall_id = $1 AND appointment_id = $2', [
        request.hallId,
        row.appointment_id,
      ]);
      const status = StatusRow.parse(again.rows[0]).status;
      return status === AppointmentStatus.Cancelled ? 'cancelled' : { status };
    }
    if (locked.has(key.slotStart.getTime())) await freePlace(client, key);
    if (kiosksHoldDay({ timeZone: row.time_zone, businessDayStartHour: row.business_day_start_hour }, row.business_day, now)) {
      soonDay = row.business_day;
    }
    return 'cancelled';
  });
  if (soonDay !== null) changed?.(request.hallId, soonDay);
  if (outcome === null || outcome === 'wrong-code') throw notFound();
  if (outcome === 'locked') {
    throw new PortalError(PortalErrorCode.RateLimited, 'too many wrong cancel codes for this booking: cancel it at the hall');
  }
  if (outcome === 'begun') throw new PortalError(PortalErrorCode.InvalidTransition, 'the appointment has begun: it can no longer be cancelled online');
  if (outcome === 'cancelled') return { cancelled: true };
  throw new PortalError(PortalErrorCode.InvalidTransition, `the appointment is ${outcome.status}: it can no longer be cancelled`);
}
