import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { z } from 'zod';
import { PortalErrorCode } from '../../common/contract/errors.js';
import {
  AppointmentStatus,
  type Appointment,
  type CreateAppointmentRequest,
  type CreateAppointmentResponse as CreateAppointmentResponseSchema,
} from '../../common/contract/sync-api.js';
import { businessDayOf } from '../../common/domain/business-day.js';
import type { StaffPrincipal } from '../auth/principals.js';
import { newAppointmentReference } from '../citizen/appointment-reference.js';
import { citizenHmacOf } from '../citizen/citizen-hmac.js';
import { IdNumberProblem, idNumberProblem } from '../citizen/id-number.js';
import { withTransaction } from '../db/transaction.js';
import { PortalError } from '../http/portal-error.js';

/** A booking window longer than a day is a mistake, not an appointment. */
const MAX_WINDOW_MS = 24 * 3_600_000;
/** A clash of random references is rare; a few tries make it vanish. */
const REFERENCE_ATTEMPTS = 5;

/** The columns every appointment query selects, in this order. */
export const APPOINTMENT_COLUMNS =
  'appointment_id, reference, service_id, business_day::text AS business_day, window_start, window_end, citizen_hmac, status';

/** The contract exports the schema only. */
type CreateAppointmentResponse = z.infer<typeof CreateAppointmentResponseSchema>;

const AppointmentRow = z.object({
  appointment_id: z.string(),
  reference: z.string(),
  service_id: z.string(),
  business_day: z.string(),
  window_start: z.date(),
  window_end: z.date(),
  citizen_hmac: z.string(),
  status: z.enum(AppointmentStatus),
});

export function toAppointment(raw: unknown): Appointment {
  const row = AppointmentRow.parse(raw);
  return {
    appointmentId: row.appointment_id,
    reference: row.reference,
    serviceId: row.service_id,
    businessDay: row.business_day,
    windowStart: row.window_start.toISOString(),
    windowEnd: row.window_end.toISOString(),
    citizenHmac: row.citizen_hmac,
    status: row.status,
  };
}

/** Never echoes the number: error messages end up in logs. */
const ID_PROBLEM_TEXT: Readonly<Record<IdNumberProblem, string>> = {
  [IdNumberProblem.Format]: 'idNumber: expected 17 digits and a check digit or X',
  [IdNumberProblem.BirthDate]: 'idNumber: the birth date part is not a real date',
  [IdNumberProblem.CheckCharacter]: 'idNumber: the check character does not match (GB 11643)',
};

const HallKeyRow = z.object({ time_zone: z.string(), business_day_start_hour: z.number().int(), citizen_hmac_key: z.string() });
const ServiceRow = z.object({ enabled: z.boolean() });

function checkRequest(request: CreateAppointmentRequest, now: Date): { start: Date; end: Date } {
  const problem = idNumberProblem(request.idNumber);
  if (problem) throw new PortalError(PortalErrorCode.BadRequest, ID_PROBLEM_TEXT[problem]);
  const start = new Date(request.windowStart);
  const end = new Date(request.windowEnd);
  if (end.getTime() <= start.getTime()) {
    throw new PortalError(PortalErrorCode.BadRequest, 'windowEnd must be after windowStart');
  }
  if (end.getTime() - start.getTime() > MAX_WINDOW_MS) {
    throw new PortalError(PortalErrorCode.BadRequest, 'an appointment window may last 24 hours at most');
  }
  if (end.getTime() <= now.getTime()) throw new PortalError(PortalErrorCode.BadRequest, 'the window has already ended');
  return { start, end };
}

/** One active booking per citizen, service and day (the index appointments_one_active): 409. */
async function insertAppointment(client: pg.PoolClient, values: unknown[]): Promise<pg.QueryResult> {
  try {
    return await client.query(
      `INSERT INTO appointments (hall_id, appointment_id, reference, service_id, business_day, window_start, window_end,
                                 citizen_hmac, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (hall_id, reference) DO NOTHING
       RETURNING ${APPOINTMENT_COLUMNS}`,
      values,
    );
  } catch (err) {
    const e = err as { code?: unknown; constraint?: unknown };
    if (e.code === '23505' && e.constraint === 'appointments_one_active') {
      throw new PortalError(PortalErrorCode.AlreadyBooked, 'this citizen already has a booking of this service that day: one at a time');
    }
    throw err;
  }
}

/**
 * Books an appointment for a citizen. The ID number is checked (GB 11643), turned into the hall's
 * citizen HMAC at once and dropped: no table, log or error message ever holds it. The business
 * day is that of the window's start in the hall's zone; kiosks get the appointment by pull.
 * Like an online booking, one active booking per citizen, service and day (409 already-booked);
 * unlike one, it takes no place of the online slots: staff book outside them.
 */
export async function createAppointment(
  pool: pg.Pool,
  staff: StaffPrincipal,
  request: CreateAppointmentRequest,
  now: Date,
): Promise<CreateAppointmentResponse> {
  const { start, end } = checkRequest(request, now);
  return withTransaction(pool, async (client) => {
    const hallResult = await client.query(
      'SELECT time_zone, business_day_start_hour, citizen_hmac_key FROM halls WHERE hall_id = $1',
      [staff.hallId],
    );
    if (hallResult.rows.length === 0) throw new PortalError(PortalErrorCode.NotFound, `hall ${staff.hallId} not found`);
    const hall = HallKeyRow.parse(hallResult.rows[0]);
    const service = await client.query('SELECT enabled FROM services WHERE hall_id = $1 AND service_id = $2', [
      staff.hallId,
      request.serviceId,
    ]);
    if (service.rows.length === 0 || !ServiceRow.parse(service.rows[0]).enabled) {
      throw new PortalError(PortalErrorCode.UnknownService, `service ${request.serviceId} is not open in this hall`);
    }

    const citizenHmac = citizenHmacOf(hall.citizen_hmac_key, request.idNumber);
    const businessDay = businessDayOf(start, hall.time_zone, hall.business_day_start_hour);
    for (let attempt = 0; attempt < REFERENCE_ATTEMPTS; attempt++) {
      const inserted = await insertAppointment(client, [
          staff.hallId,
          randomUUID(),
          newAppointmentReference(),
          request.serviceId,
          businessDay,
          start,
          end,
          citizenHmac,
          AppointmentStatus.Booked,
      ]);
      if (inserted.rows.length === 1) return { appointment: toAppointment(inserted.rows[0]) };
    }
    throw new Error(`no free appointment reference after ${REFERENCE_ATTEMPTS} attempts`);
  });
}
