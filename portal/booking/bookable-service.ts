import type pg from 'pg';
import { z } from 'zod';
import type { LocalizedText } from '../../common/contract/catalog.js';
import { PortalErrorCode } from '../../common/contract/errors.js';
import { addDays, businessDayOf, type BusinessDay } from '../../common/domain/business-day.js';
import { HallCalendar, WeeklyHours, hoursOn, type CalendarDay } from '../../common/domain/hall-calendar.js';
import { localDayTime } from '../../common/domain/local-time.js';
import { BookingRules, type Slot } from '../../common/domain/slots.js';
import { PortalError } from '../http/portal-error.js';
import { findDaySlot } from './day-slots.js';

/**
 * What booking needs to know of a hall and one of its services, read in one statement: the
 * hall's zone, calendar, citizen key and check-in window; the service's hours and booking rules.
 * The rules of slots are common/domain/slots.ts's, the same the citizen page lists slots with.
 */
export interface BookableService {
  hallId: string;
  serviceId: string;
  timeZone: string;
  businessDayStartHour: number;
  calendar: readonly CalendarDay[];
  citizenKey: string;
  checkIn: { beforeMinutes: number; afterMinutes: number };
  hallName: LocalizedText;
  serviceName: LocalizedText;
  hours: WeeklyHours;
  rules: BookingRules;
}

const Row = z.object({
  time_zone: z.string(),
  business_day_start_hour: z.number().int(),
  calendar: z.unknown(),
  citizen_hmac_key: z.string(),
  check_in_before_minutes: z.number().int(),
  check_in_after_minutes: z.number().int(),
  hall_name_zh: z.string(),
  hall_name_en: z.string(),
  enabled: z.boolean().nullable(),
  hours: z.unknown(),
  booking_rules: z.unknown(),
  name_zh: z.string().nullable(),
  name_en: z.string().nullable(),
});

/** The hall and service columns every booking query selects (`h` halls, `s` services, left-joined). */
export const BOOKABLE_COLUMNS = `h.time_zone, h.business_day_start_hour, h.calendar, h.citizen_hmac_key,
  h.check_in_before_minutes, h.check_in_after_minutes, h.name_zh AS hall_name_zh, h.name_en AS hall_name_en,
  s.enabled, s.hours, s.booking_rules, s.name_zh, s.name_en`;

/**
 * The hall and service of a booking from a row of BOOKABLE_COLUMNS; a coded error when the hall
 * or the service does not exist (404), is disabled (404), or is not booked online (409).
 */
export function bookableOf(hallId: string, serviceId: string, raw: unknown): BookableService {
  if (raw === undefined) throw new PortalError(PortalErrorCode.NotFound, `hall ${hallId} not found`);
  const row = Row.parse(raw);
  if (row.enabled !== true || row.name_zh === null || row.name_en === null) {
    throw new PortalError(PortalErrorCode.UnknownService, `service ${serviceId} is not open in this hall`);
  }
  if (row.booking_rules === null) throw new PortalError(PortalErrorCode.NotBookable, `service ${serviceId} is not booked online`);
  return {
    hallId,
    serviceId,
    timeZone: row.time_zone,
    businessDayStartHour: row.business_day_start_hour,
    calendar: HallCalendar.parse(row.calendar),
    citizenKey: row.citizen_hmac_key,
    checkIn: { beforeMinutes: row.check_in_before_minutes, afterMinutes: row.check_in_after_minutes },
    hallName: { zh: row.hall_name_zh, en: row.hall_name_en },
    serviceName: { zh: row.name_zh, en: row.name_en },
    hours: WeeklyHours.parse(row.hours),
    rules: BookingRules.parse(row.booking_rules),
  };
}

export async function loadBookable(db: pg.Pool | pg.PoolClient, hallId: string, serviceId: string): Promise<BookableService> {
  const result = await db.query(
    `SELECT ${BOOKABLE_COLUMNS} FROM halls h LEFT JOIN services s ON s.hall_id = h.hall_id AND s.service_id = $2
     WHERE h.hall_id = $1`,
    [hallId, serviceId],
  );
  return bookableOf(hallId, serviceId, result.rows[0]);
}

/** The days one may book at `now`: the hall's business day plus the rules' min and max days ahead. */
export function bookingWindow(service: BookableService, now: Date): { today: BusinessDay; firstDay: BusinessDay; lastDay: BusinessDay } {
  const today = businessDayOf(now, service.timeZone, service.businessDayStartHour);
  return { today, firstDay: addDays(today, service.rules.minDaysAhead), lastDay: addDays(today, service.rules.maxDaysAhead) };
}

/**
 * The slot that starts at `slotStart`, if one may be booked at `now`: its day within the booking
 * window (`outside-booking-window`), the service open that day (`closed-day`), a slot of the
 * service's hours starting exactly then (`no-such-slot`), not begun yet (`outside-booking-window`).
 */
export function bookableSlot(service: BookableService, slotStart: string, now: Date): Slot {
  const start = new Date(slotStart);
  const { day } = localDayTime(start, service.timeZone);
  const { firstDay, lastDay } = bookingWindow(service, now);
  if (day < firstDay || day > lastDay) {
    throw new PortalError(PortalErrorCode.OutsideBookingWindow, `${day} is outside the booking window ${firstDay}..${lastDay}`);
  }
  if (hoursOn(day, service.hours, service.calendar).length === 0) {
    throw new PortalError(PortalErrorCode.ClosedDay, `${service.serviceId} is closed on ${day}`);
  }
  const slot = findDaySlot(day, start.toISOString(), service.hours, service.calendar, service.rules, service.timeZone);
  if (!slot) throw new PortalError(PortalErrorCode.NoSuchSlot, `no slot of ${service.serviceId} starts at ${start.toISOString()}`);
  if (Date.parse(slot.start) <= now.getTime()) {
    throw new PortalError(PortalErrorCode.OutsideBookingWindow, `the slot at ${slot.start} has begun`);
  }
  return slot;
}
