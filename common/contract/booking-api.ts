import { z } from 'zod';
import { BusinessDay } from '../domain/business-day.js';
import { Catalog, LocalizedText, ServiceId } from './catalog.js';
import { RouteAuth, type RouteSpec } from './route-spec.js';
import { HallId } from './staff-api.js';

/**
 * Online appointments (网上预约), the citizen's side: public routes (no sign-in; the portal limits
 * them per address). A booking is held for a few minutes while the citizen confirms, then booked;
 * the ID number is entered once, at the hold, and kept only as the hall's HMAC. The confirmation
 * carries the reference (the check-in QR) and a cancel code shown once.
 */

export const AppointmentReference = z.string().regex(/^[A-Z0-9-]{6,32}$/);
/** Shown once at confirmation; only its hash is kept. */
export const CancelCode = z.string().regex(/^[0-9]{6}$/, 'six digits');
export const IdNumberInput = z.string().regex(/^\d{17}[\dXx]$|^9\d{16}[\dXx]$/, 'resident ID number');

export const SlotView = z.object({
  day: BusinessDay,
  opens: z.string(),
  closes: z.string(),
  start: z.iso.datetime(),
  end: z.iso.datetime(),
  capacity: z.number().int().nonnegative(),
  /** Capacity left (held and booked places taken). */
  available: z.number().int().nonnegative(),
});
export type SlotView = z.infer<typeof SlotView>;

/** The hall's published catalog for the citizen pages: enabled services only, with hours, guides, search keys and booking rules. */
export const HallParams = z.object({ hallId: HallId });
export const CitizenCatalogResponse = Catalog.extend({ serverTime: z.iso.datetime() });
export type CitizenCatalogResponse = z.infer<typeof CitizenCatalogResponse>;

export const SlotsQuery = z.object({ from: BusinessDay.optional(), to: BusinessDay.optional() });
export const ServiceSlotsParams = z.object({ hallId: HallId, serviceId: ServiceId });
export const SlotsResponse = z.object({
  serviceId: ServiceId,
  timeZone: z.string(),
  /** The first and last day one may book today. */
  firstDay: BusinessDay,
  lastDay: BusinessDay,
  slots: z.array(SlotView),
  serverTime: z.iso.datetime(),
});

export const HoldRequest = z.object({
  hallId: HallId,
  serviceId: ServiceId,
  /** The slot's start instant, as listed. */
  slotStart: z.iso.datetime(),
  idNumber: IdNumberInput,
});
export type HoldRequest = z.infer<typeof HoldRequest>;

export const HoldResponse = z.object({
  holdId: z.uuid(),
  /** Confirm before this or the place is released. */
  expiresAt: z.iso.datetime(),
  slot: SlotView.omit({ capacity: true, available: true }),
});

export const HoldParams = z.object({ holdId: z.uuid() });

export const BookingConfirmation = z.object({
  reference: AppointmentReference,
  /** What the check-in QR code says (the reference itself). */
  qrText: z.string(),
  cancelCode: CancelCode,
  hallName: LocalizedText,
  serviceName: LocalizedText,
  slot: SlotView.omit({ capacity: true, available: true }),
  /** When the kiosk will check the visitor in. */
  checkInFrom: z.iso.datetime(),
  checkInUntil: z.iso.datetime(),
});
export type BookingConfirmation = z.infer<typeof BookingConfirmation>;

export const CancelBookingRequest = z.object({ hallId: HallId, reference: AppointmentReference, cancelCode: CancelCode });
export const CancelBookingResponse = z.object({ cancelled: z.literal(true) });

export const bookingRoutes = {
  catalog: {
    method: 'get', path: '/v1/citizen/halls/{hallId}/catalog', auth: RouteAuth.None,
    summary: "The hall's services with hours, guides (办事指南), pinyin search keys and booking rules (public)", request: null,
    response: CitizenCatalogResponse, params: HallParams,
  },
  slots: {
    method: 'get', path: '/v1/citizen/halls/{hallId}/services/{serviceId}/slots', auth: RouteAuth.None,
    summary: 'Bookable slots of a service with the places left', request: null, response: SlotsResponse,
    params: ServiceSlotsParams, query: SlotsQuery,
  },
  hold: {
    method: 'post', path: '/v1/citizen/bookings/hold', auth: RouteAuth.None,
    summary: 'Hold a place in a slot while the citizen confirms (the ID number is hashed at once)', request: HoldRequest, response: HoldResponse,
  },
  confirm: {
    method: 'post', path: '/v1/citizen/bookings/{holdId}/confirm', auth: RouteAuth.None,
    summary: 'Confirm a held place: the booking, its reference (QR) and its cancel code', request: null, response: BookingConfirmation,
    params: HoldParams,
  },
  cancel: {
    method: 'post', path: '/v1/citizen/bookings/cancel', auth: RouteAuth.None,
    summary: 'Cancel a booking with its reference and cancel code; the place is freed', request: CancelBookingRequest, response: CancelBookingResponse,
  },
} as const satisfies Record<string, RouteSpec>;
