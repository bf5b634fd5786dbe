import type Database from 'better-sqlite3';
import { z } from 'zod';
import { AppointmentStatus, type Appointment } from '../common/contract/sync-api.js';
import { StoreError, StoreErrorCode } from './store-error.js';

/** An appointment as the kiosk holds it: the citizen only as an HMAC, never a raw ID number. */
export interface StoredAppointment extends Appointment {
  /** The ticket this kiosk checked it in with (null: not here, or not yet). */
  ticketId: string | null;
  updatedAt: string;
}

interface Row {
  appointment_id: string;
  reference: string;
  service_id: string;
  business_day: string;
  window_start: string;
  window_end: string;
  citizen_hmac: string;
  status: string;
  ticket_id: string | null;
  updated_at: string;
}

const COLUMNS = 'appointment_id, reference, service_id, business_day, window_start, window_end, citizen_hmac, status, ticket_id, updated_at';
const StatusSchema = z.enum(AppointmentStatus);

function toStored(r: Row): StoredAppointment {
  const status = StatusSchema.safeParse(r.status);
  if (!status.success) throw new StoreError(StoreErrorCode.Corrupt, `appointment ${r.appointment_id} has unknown status ${r.status}`);
  return {
    appointmentId: r.appointment_id,
    reference: r.reference,
    serviceId: r.service_id,
    businessDay: r.business_day,
    windowStart: r.window_start,
    windowEnd: r.window_end,
    citizenHmac: r.citizen_hmac,
    status: status.data,
    ticketId: r.ticket_id,
    updatedAt: r.updated_at,
  };
}

/** Appointments pulled for today and tomorrow; statements only, run inside the store's transactions. */
export class AppointmentCache {
  private readonly stmt;

  constructor(db: Database.Database) {
    this.stmt = {
      upsert: db.prepare<{
        id: string;
        reference: string;
        serviceId: string;
        businessDay: string;
        start: string;
        end: string;
        hmac: string;
        status: string;
        at: string;
      }>(
        'INSERT INTO appointments (appointment_id, reference, service_id, business_day, window_start, window_end, citizen_hmac, status, updated_at) ' +
          'VALUES (@id, @reference, @serviceId, @businessDay, @start, @end, @hmac, @status, @at) ' +
          'ON CONFLICT (appointment_id) DO UPDATE SET reference = excluded.reference, service_id = excluded.service_id, ' +
          'business_day = excluded.business_day, window_start = excluded.window_start, window_end = excluded.window_end, ' +
          'citizen_hmac = excluded.citizen_hmac, ' +
          // Checked in here, and the portal has not heard of the ticket yet: a pull saying "booked"
          // must not make it checkable a second time. Any other word of the portal's wins.
          "status = CASE WHEN appointments.ticket_id IS NOT NULL AND excluded.status IN ('booked', 'held') THEN appointments.status ELSE excluded.status END, " +
          'updated_at = excluded.updated_at',
      ),
      // The portal's newest word wins: a reference now on another appointment id replaces the old row.
      dropReused: db.prepare<[string, string]>('DELETE FROM appointments WHERE reference = ? AND appointment_id <> ?'),
      byReference: db.prepare<[string], Row>(`SELECT ${COLUMNS} FROM appointments WHERE reference = ?`),
      byId: db.prepare<[string], Row>(`SELECT ${COLUMNS} FROM appointments WHERE appointment_id = ?`),
      byCitizen: db.prepare<[string, string, string], Row>(
        `SELECT ${COLUMNS} FROM appointments WHERE citizen_hmac = ? AND business_day BETWEEN ? AND ? ORDER BY window_start`,
      ),
      checkIn: db.prepare<[string, string, string]>(
        "UPDATE appointments SET status = 'checked-in', ticket_id = ?, updated_at = ? WHERE appointment_id = ? AND status = 'booked'",
      ),
      count: db.prepare<[], number>('SELECT count(*) FROM appointments').pluck(),
    };
  }

  upsert(a: Appointment, at: string): void {
    this.stmt.dropReused.run(a.reference, a.appointmentId);
    this.stmt.upsert.run({
      id: a.appointmentId,
      reference: a.reference,
      serviceId: a.serviceId,
      businessDay: a.businessDay,
      start: a.windowStart,
      end: a.windowEnd,
      hmac: a.citizenHmac,
      status: a.status,
      at,
    });
  }

  findByReference(reference: string): StoredAppointment | null {
    const r = this.stmt.byReference.get(reference);
    return r ? toStored(r) : null;
  }

  findById(appointmentId: string): StoredAppointment | null {
    const r = this.stmt.byId.get(appointmentId);
    return r ? toStored(r) : null;
  }

  /** One citizen's appointments from `firstDay` to `lastDay` (business days), earliest slot first. */
  byCitizen(citizenHmac: string, firstDay: string, lastDay: string): StoredAppointment[] {
    return this.stmt.byCitizen.all(citizenHmac, firstDay, lastDay).map(toStored);
  }

  /** Booked -> checked-in with this kiosk's ticket; false when it was not booked (any more). */
  markCheckedIn(appointmentId: string, ticketId: string, at: string): boolean {
    return this.stmt.checkIn.run(ticketId, at, appointmentId).changes === 1;
  }

  count(): number {
    return this.stmt.count.get() ?? 0;
  }
}
