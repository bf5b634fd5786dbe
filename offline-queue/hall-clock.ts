import { businessDayOf, type BusinessDay } from '../common/domain/business-day.js';

/**
 * The kiosk clock is for display and audit only (docs/architecture.md §5); the hall's business day is
 * read from the portal's clock through the offset the kiosk accepted (sync/accepted-clock-offset.ts):
 *
 *   hall time    = kiosk clock + clockOffsetMs   (offset = portal clock − kiosk clock)
 *   business day = the calendar day of hall time in the hall's IANA zone, starting at the hall's
 *                  configured start hour (midnight when the catalog gives none)
 *
 * Before the first measurement the offset counts as 0. A kiosk clock that jumps after the last
 * measurement moves the day with it until the next successful exchange re-measures the offset;
 * it never reorders tickets, which the outbox orders by seq, not by time.
 */
export function hallBusinessDay(kioskNow: Date, clockOffsetMs: number | null, timeZone: string, startHour = 0): BusinessDay {
  return businessDayOf(new Date(kioskNow.getTime() + (clockOffsetMs ?? 0)), timeZone, startHour);
}
