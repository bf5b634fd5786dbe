import { z } from 'zod';
import { HallCalendar, WeeklyHours } from '../domain/hall-calendar.js';
import { BookingRules } from '../domain/slots.js';
import { MAX_DAILY_SEQUENCE, ServicePrefix } from '../domain/ticket-number.js';
import { ServiceGuide } from './guide.js';
import { LocalizedText } from './localized-text.js';

/** A slug such as `social-insurance`: stable across catalog edits, safe in URLs. */
export const ServiceId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lowercase slug');
export type ServiceId = z.infer<typeof ServiceId>;

export { LocalizedText } from './localized-text.js';

/** Tickets a service issues in one business day, whatever numbers them (a day has 9999 numbers). */
export const DailyQuota = z.number().int().min(1).max(MAX_DAILY_SEQUENCE);

/** A hall service as the portal publishes it. Names are plain text, never HTML. */
export const Service = z.object({
  id: ServiceId,
  prefix: ServicePrefix,
  name: LocalizedText,
  description: LocalizedText.nullable(),
  enabled: z.boolean(),
  sortOrder: z.number().int(),
  /** Opening hours by weekday (tickets are taken and appointments booked within them); empty: closed. */
  hours: WeeklyHours.default({}),
  /** The service guide (办事指南); null when the hall has not written one. */
  guide: ServiceGuide.nullable().default(null),
  /** Lowercase pinyin keys (full and initials) computed by the portal, for search (common/domain/guide-search.ts). */
  searchKeys: z.array(z.string().regex(/^[a-z]{1,64}$/)).max(20).default([]),
  /** Online booking rules; null: not bookable online. */
  booking: BookingRules.nullable().default(null),
  /**
   * At most this many tickets a business day (issue 10): the portal refuses the next number and
   * the kiosk stops issuing. Null: no limit. Absent from a portal of before: no limit either.
   */
  dailyQuota: DailyQuota.nullable().optional(),
});
export type Service = z.infer<typeof Service>;

export const HallInfo = z.object({
  hallId: z.string().min(1).max(64),
  name: LocalizedText,
  /** IANA zone; numbering resets at this zone's business-day boundary, not the machine's. */
  timeZone: z.string().min(1),
  /** Local hour at which the business day (and numbering) starts; absent means midnight. */
  businessDayStartHour: z.number().int().min(0).max(23).optional(),
  /** Holidays and adjusted workdays (调休) of the coming weeks. */
  calendar: HallCalendar.default([]),
  /** When the kiosk checks an appointment in: from `beforeMinutes` before its start to `afterMinutes` after. */
  checkInWindow: z
    .object({ beforeMinutes: z.number().int().min(0).max(240).default(30), afterMinutes: z.number().int().min(0).max(240).default(15) })
    .prefault({}),
  /**
   * Walk-in tickets only while the service is open (its hours, the calendar): the kiosk and the
   * portal refuse one outside them (`service-closed`). Off (or absent, from a portal of before):
   * the hours are shown, not enforced, as they always were.
   */
  ticketsOnlyInHours: z.boolean().optional(),
});
export type HallInfo = z.infer<typeof HallInfo>;

export const Catalog = z.object({ hall: HallInfo, services: z.array(Service) });
export type Catalog = z.infer<typeof Catalog>;
