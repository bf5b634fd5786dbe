import type pg from 'pg';
import { z } from 'zod';
import type { SlotsQuery, SlotsResponse } from '../../common/contract/booking-api.js';
import { PortalErrorCode } from '../../common/contract/errors.js';
import { isRealDay } from '../../common/domain/business-day.js';
import { bookableDays } from '../../common/domain/slots.js';
import { PortalError } from '../http/portal-error.js';
import { bookingWindow, loadBookable } from './bookable-service.js';
import { daySlots } from './day-slots.js';

const TakenRow = z.object({ slot_start: z.date(), taken: z.number().int() });

/**
 * The slots a citizen may book, with the places left: computed from the service's hours, the hall
 * calendar and the booking rules (common/domain/slots.ts, never stored), for the days of the
 * booking window within `from`..`to`, less those begun. Places left are the capacity less the
 * places taken, a hold expired by now counting as free (it is released when its slot is next
 * touched).
 */
export async function listSlots(
  pool: pg.Pool,
  params: { hallId: string; serviceId: string },
  query: z.infer<typeof SlotsQuery>,
  now: Date,
): Promise<z.input<typeof SlotsResponse>> {
  for (const day of [query.from, query.to]) {
    if (day !== undefined && !isRealDay(day)) throw new PortalError(PortalErrorCode.BadRequest, `${day} is not a real day`);
  }
  const service = await loadBookable(pool, params.hallId, params.serviceId);
  const { today, firstDay, lastDay } = bookingWindow(service, now);
  const from = query.from !== undefined && query.from > firstDay ? query.from : firstDay;
  const to = query.to !== undefined && query.to < lastDay ? query.to : lastDay;
  const days = bookableDays(today, service.rules).filter((d) => d >= from && d <= to);
  const slots = days
    .flatMap((day) => daySlots(day, service.hours, service.calendar, service.rules, service.timeZone))
    .filter((slot) => Date.parse(slot.start) > now.getTime());

  const taken = new Map<number, number>();
  if (slots.length > 0) {
    const result = await pool.query({
      name: 'booking-slots-taken',
      text: `SELECT b.slot_start,
              b.taken - (SELECT count(*)::int FROM appointments a
                         WHERE a.hall_id = b.hall_id AND a.service_id = b.service_id AND a.window_start = b.slot_start
                           AND a.status = 'held' AND a.hold_expires_at <= $5) AS taken
         FROM booking_slots b
         WHERE b.hall_id = $1 AND b.service_id = $2 AND b.business_day BETWEEN $3::date AND $4::date`,
      values: [params.hallId, params.serviceId, from, to, now],
    });
    for (const raw of result.rows) {
      const row = TakenRow.parse(raw);
      taken.set(row.slot_start.getTime(), row.taken);
    }
  }
  const capacity = service.rules.capacity;
  return {
    serviceId: params.serviceId,
    timeZone: service.timeZone,
    firstDay,
    lastDay,
    slots: slots.map((slot) => ({
      ...slot,
      capacity,
      available: Math.max(0, capacity - (taken.get(Date.parse(slot.start)) ?? 0)),
    })),
    serverTime: now.toISOString(),
  };
}
