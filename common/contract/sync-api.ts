import { z } from 'zod';
import { BusinessDay } from '../domain/business-day.js';
import { Priority } from '../domain/priority.js';
import { MAX_BAND_SIZE, MAX_DAILY_SEQUENCE, MIN_BAND_SIZE, NumberSource, TicketNumber } from '../domain/ticket-number.js';
import { CaseView, CertificateKey } from './cases-api.js';
import { Catalog, ServiceId } from './catalog.js';
import { KioskSettings } from './kiosk-settings.js';
import { RatingInput } from './ratings-api.js';
import { RouteAuth, type RouteSpec } from './route-spec.js';

/**
 * The kiosk <-> portal HTTP contract. Kiosks authenticate with `Authorization: Bearer <kiosk token>`;
 * staff (booking appointments) with a session or `Authorization: Bearer <staff API key>`. The
 * token decides the hall and the kiosk, never the body. Every route below is listed in
 * `syncRoutes` so the OpenAPI document is generated from these same schemas. The counter's routes
 * are `counterRoutes` (counter-api.ts).
 */

export enum SyncEventType {
  TicketIssued = 'ticket.issued',
  /** A 好差评 rating given at the kiosk (queued offline like a ticket). */
  RatingSubmitted = 'rating.submitted',
}

export const CitizenHmac = z.string().regex(/^[0-9a-f]{64}$/, 'hex HMAC-SHA256');

export const TicketIssuedPayload = z.object({
  ticketId: z.uuid(),
  serviceId: ServiceId,
  number: TicketNumber,
  numberSource: z.enum(NumberSource),
  businessDay: BusinessDay,
  priority: z.enum(Priority),
  /** Kiosk clock: display and audit only. The portal orders by its own receive time. */
  issuedAt: z.iso.datetime(),
  citizenHmac: CitizenHmac.nullable(),
  /** The holder's name as masked on the receipt (`张*三`), for the counter console; absent when anonymous. */
  maskedName: z.string().min(1).max(40).optional(),
  /** The appointment this ticket checked in (priority `appointment`); the portal marks it arrived once. */
  appointmentId: z.uuid().optional(),
});
export type TicketIssuedPayload = z.infer<typeof TicketIssuedPayload>;

/** One rating per served ticket; `ratingId` makes a resent event a no-op. */
export const RatingSubmittedPayload = RatingInput.extend({
  ratingId: z.uuid(),
  ticketId: z.uuid(),
  /** Kiosk clock: audit only. */
  ratedAt: z.iso.datetime(),
});
export type RatingSubmittedPayload = z.infer<typeof RatingSubmittedPayload>;

const eventBase = {
  /** Gapless within a db epoch, assigned in the same transaction as the data. */
  seq: z.number().int().positive(),
  eventId: z.uuid(),
  occurredAt: z.iso.datetime(),
};

export const OutboxEvent = z.discriminatedUnion('type', [
  z.object({ ...eventBase, type: z.literal(SyncEventType.TicketIssued), payload: TicketIssuedPayload }),
  z.object({ ...eventBase, type: z.literal(SyncEventType.RatingSubmitted), payload: RatingSubmittedPayload }),
]);
export type OutboxEvent = z.infer<typeof OutboxEvent>;

export const MAX_PUSH_BATCH = 500;

export const PushRequest = z.object({
  /** A new UUID whenever the kiosk database is created or restored; the cursor is per epoch. */
  dbEpoch: z.uuid(),
  events: z.array(OutboxEvent).min(1).max(MAX_PUSH_BATCH),
});
export type PushRequest = z.infer<typeof PushRequest>;

/**
 * Why the portal refused a pushed event. The event still counts as consumed; the kiosk
 * quarantines it and tells the technician (`wrong-business-day` as a wrong kiosk clock).
 */
export enum SyncRejectCode {
  UnknownService = 'unknown-service',
  DuplicateNumber = 'duplicate-number',
  InvalidEvent = 'invalid-event',
  /** The number's letter is not the service's prefix. */
  WrongPrefix = 'wrong-prefix',
  /** A kiosk-marked series number whose digit is not the pushing kiosk's. */
  ForeignSeries = 'foreign-series',
  /** A band number outside every band leased to this kiosk for that service and day, or a band-range number claimed as another source. */
  NumberNotLeased = 'number-not-leased',
  /** Source `portal`, but the portal did not allocate that number to that ticket. */
  NumberNotAllocated = 'number-not-allocated',
  /** Not the hall's yesterday or today (tomorrow only within the hour before the day starts): the kiosk clock is wrong. */
  WrongBusinessDay = 'wrong-business-day',
  /** `appointment` without a matching appointment, `green-channel` from a kiosk, `elderly` without a citizen HMAC. */
  PriorityUnproven = 'priority-unproven',
  /** A rating of a ticket the portal does not hold as served (unknown, not done, another hall's). */
  NotRateable = 'not-rateable',
  /** The ticket was rated already (一次一评): the first rating stands. */
  AlreadyRated = 'already-rated',
}

export const RejectedEvent = z.object({
  seq: z.number().int().positive(),
  eventId: z.uuid(),
  code: z.enum(SyncRejectCode),
  reason: z.string(),
});
export type RejectedEvent = z.infer<typeof RejectedEvent>;

export const PushResponse = z.object({
  /** Highest seq applied (or rejected) in this epoch; the kiosk trims everything up to it. */
  lastSeq: z.number().int().nonnegative(),
  /** Events the portal refused; they count as consumed and the kiosk quarantines them. */
  rejected: z.array(RejectedEvent),
  serverTime: z.iso.datetime(),
});
export type PushResponse = z.infer<typeof PushResponse>;

export const AllocateNumberRequest = z.object({
  /** Idempotency key: asking twice for the same ticket returns the same number. */
  ticketId: z.uuid(),
  serviceId: ServiceId,
  /** When the visitor identified: the portal refuses (409 already-waiting) a second waiting ticket. */
  citizenHmac: CitizenHmac.nullable().default(null),
});
export type AllocateNumberRequest = z.infer<typeof AllocateNumberRequest>;

export const AllocateNumberResponse = z.object({
  ticketId: z.uuid(),
  number: TicketNumber,
  businessDay: BusinessDay,
  /** Tickets waiting for this service at the portal when the number was allocated. */
  waitingAhead: z.number().int().nonnegative(),
  serverTime: z.iso.datetime(),
});
export type AllocateNumberResponse = z.infer<typeof AllocateNumberResponse>;

export const CatalogResponse = Catalog.extend({ serverTime: z.iso.datetime() });
export type CatalogResponse = z.infer<typeof CatalogResponse>;

/**
 * A range of daily sequence numbers the portal leased to one kiosk for one service and business
 * day, used when online numbering is not answered within budget. Bands come from 8001..9999
 * (`A8001`), a range online numbering never reaches; unused numbers become gaps there only.
 * Bands leased before that rule (inside 1..999) stay valid until their day is over.
 */
export const NumberBand = z.object({
  bandId: z.uuid(),
  serviceId: ServiceId,
  businessDay: BusinessDay,
  firstSequence: z.number().int().min(1).max(MAX_DAILY_SEQUENCE),
  lastSequence: z.number().int().min(1).max(MAX_DAILY_SEQUENCE),
});
export type NumberBand = z.infer<typeof NumberBand>;

export const LeaseBandRequest = z.object({
  /** Idempotency key chosen by the kiosk: a retried lease returns the same band. */
  leaseId: z.uuid(),
  serviceId: ServiceId,
  businessDay: BusinessDay,
  size: z.number().int().min(MIN_BAND_SIZE).max(MAX_BAND_SIZE),
});
export type LeaseBandRequest = z.infer<typeof LeaseBandRequest>;

export const LeaseBandResponse = z.object({ band: NumberBand, serverTime: z.iso.datetime() });
export type LeaseBandResponse = z.infer<typeof LeaseBandResponse>;

export enum AppointmentStatus {
  /** A place held while the citizen confirms; never sent to kiosks. */
  Held = 'held',
  Booked = 'booked',
  CheckedIn = 'checked-in',
  Cancelled = 'cancelled',
  /** Booked, and nobody came by the end of the day. */
  NoShow = 'no-show',
}

/** An appointment booked online, as a kiosk holds it: the citizen only as an HMAC. */
export const Appointment = z.object({
  appointmentId: z.uuid(),
  /** The code in the appointment QR the citizen shows (e.g. `HKA1-7Q2M9X`). */
  reference: z.string().regex(/^[A-Z0-9-]{6,32}$/),
  serviceId: ServiceId,
  businessDay: BusinessDay,
  windowStart: z.iso.datetime(),
  windowEnd: z.iso.datetime(),
  citizenHmac: CitizenHmac,
  status: z.enum(AppointmentStatus),
});
export type Appointment = z.infer<typeof Appointment>;

/** Staff (or the online portal's booking front end) creates an appointment. */
export const CreateAppointmentRequest = z.object({
  serviceId: ServiceId,
  windowStart: z.iso.datetime(),
  windowEnd: z.iso.datetime(),
  /** Hashed by the portal with the hall key at once; the raw number is never stored. */
  idNumber: z.string().regex(/^\d{17}[\dX]$|^9\d{16}[\dX]$/, 'resident ID number'),
});
export type CreateAppointmentRequest = z.infer<typeof CreateAppointmentRequest>;

export const CreateAppointmentResponse = z.object({ appointment: Appointment });

export const KioskIdentity = z.object({
  kioskId: z.string(),
  /** Marks this kiosk's fallback series; assigned by the portal, unique in the hall. */
  kioskDigit: z.number().int().min(0).max(9),
});

/**
 * Pull: the server issues an opaque cursor; the kiosk sends it back and stores the next one in the
 * same SQLite transaction as the data it brings. Catalog is null when unchanged since the cursor;
 * bands are the complete set leased to this kiosk for today and tomorrow; appointments are the ones
 * for today and tomorrow changed since the cursor.
 */
export const PullResponse = z.object({
  cursor: z.string().min(1).max(200),
  catalog: Catalog.nullable(),
  kiosk: KioskIdentity,
  /** Hex HMAC-SHA256 key for citizen matching; delivered over the authenticated channel. */
  citizenKey: z.string().regex(/^[0-9a-f]{64}$/),
  bands: z.array(NumberBand),
  appointments: z.array(Appointment),
  /** The hall's e-certificate verification keys: the kiosk verifies slips offline with them. */
  certificateKeys: z.array(CertificateKey).default([]),
  serverTime: z.iso.datetime(),
  /**
   * What the hall manager set for this kiosk (issue 10), in every answer: small, and the kiosk
   * keeps the latest. Absent from a portal of before: the kiosk's own configuration stands.
   */
  settings: KioskSettings.optional(),
});
export type PullResponse = z.infer<typeof PullResponse>;

/** The kiosk asks for the cases of the visitor whose card it read (by HMAC, never the number). */
export const KioskCasesRequest = z.object({ citizenHmac: CitizenHmac });
export const KioskCasesResponse = z.object({ cases: z.array(CaseView), serverTime: z.iso.datetime() });
export type KioskCasesResponse = z.infer<typeof KioskCasesResponse>;

/** Served tickets a visitor may still rate: by card (HMAC), or one ticket from its QR code. */
export const RateableTicketsRequest = z
  .object({ citizenHmac: CitizenHmac.optional(), ticketId: z.uuid().optional() })
  .refine((r) => (r.citizenHmac === undefined) !== (r.ticketId === undefined), { message: 'exactly one of citizenHmac or ticketId' });
export const RateableTicket = z.object({
  ticketId: z.uuid(),
  number: TicketNumber,
  serviceId: ServiceId,
  businessDay: BusinessDay,
  counterNumber: z.number().int().nullable(),
  finishedAt: z.iso.datetime(),
});
export type RateableTicket = z.infer<typeof RateableTicket>;
export const RateableTicketsResponse = z.object({ tickets: z.array(RateableTicket), serverTime: z.iso.datetime() });

/**
 * The kiosk's live channel (Server-Sent Events, kiosk token): tells the kiosk to pull at once when
 * the hall's appointments or catalog change, instead of waiting for its periodic pull.
 */
export const KIOSK_EVENTS_PATH = '/v1/kiosk/stream';

export const PullQuery = z.object({ cursor: z.string().max(200).optional() });

export const syncRoutes = {
  catalog: {
    method: 'get', path: '/v1/kiosk/catalog', auth: RouteAuth.Kiosk,
    summary: 'Hall and service catalog for this kiosk', request: null, response: CatalogResponse,
  },
  push: {
    method: 'post', path: '/v1/kiosk/events', auth: RouteAuth.Kiosk,
    summary: 'Push a batch of outbox events (idempotent, ordered by seq)', request: PushRequest, response: PushResponse,
  },
  allocateNumber: {
    method: 'post', path: '/v1/kiosk/numbers', auth: RouteAuth.Kiosk,
    summary: 'Allocate the next number online (idempotent by ticketId)', request: AllocateNumberRequest, response: AllocateNumberResponse,
  },
  pull: {
    method: 'get', path: '/v1/kiosk/pull', auth: RouteAuth.Kiosk,
    summary: 'Pull catalog, kiosk identity, number bands and appointments since a cursor', request: null, response: PullResponse,
    query: PullQuery,
  },
  leaseBand: {
    method: 'post', path: '/v1/kiosk/bands', auth: RouteAuth.Kiosk,
    summary: 'Lease a band of numbers for offline issuance (idempotent by leaseId)', request: LeaseBandRequest, response: LeaseBandResponse,
  },
  kioskCases: {
    method: 'post', path: '/v1/kiosk/cases/lookup', auth: RouteAuth.Kiosk,
    summary: "The cases of the visitor whose card the kiosk read (by citizen HMAC)", request: KioskCasesRequest, response: KioskCasesResponse,
  },
  rateableTickets: {
    method: 'post', path: '/v1/kiosk/tickets/rateable', auth: RouteAuth.Kiosk,
    summary: 'Served tickets of today a visitor may still rate (by citizen HMAC or ticket id)', request: RateableTicketsRequest, response: RateableTicketsResponse,
  },
  createAppointment: {
    method: 'post', path: '/v1/hall/appointments', auth: RouteAuth.Staff,
    summary: 'Book an appointment (the ID number is hashed at once, never stored)', request: CreateAppointmentRequest, response: CreateAppointmentResponse,
  },
} as const satisfies Record<string, RouteSpec>;
