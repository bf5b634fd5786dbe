import { z } from 'zod';
import { HallCalendar, WeeklyHours } from '../domain/hall-calendar.js';
import { BookingRules } from '../domain/slots.js';
import { ServicePrefix } from '../domain/ticket-number.js';
import { DailyQuota, LocalizedText, Service, ServiceId } from './catalog.js';
import { CounterId, StaffId } from './counter-api.js';
import { ServiceGuide } from './guide.js';
import { ElderlyAge, IdleTimeoutMs, MAX_OFFERED_SERVICES } from './kiosk-settings.js';
import { RouteAuth, StaffRole, type RouteSpec } from './route-spec.js';
import { TechnicianPin } from './technician.js';

/**
 * The manager console's configuration API (issue 10 §1): the hall's services, counters, kiosks
 * and settings, for a manager or admin of the caller's hall (the session or API key decides the
 * hall, never the body). Values are checked with the schemas the kiosks and the citizen pages
 * read them with (catalog, hall calendar, slots, guide).
 *
 * Every write names the `version` it edited: a write over a newer version is refused with 409
 * `stale-version` (reload, edit again). Each change bumps that version (and the hall's catalog
 * version when kiosks show it), is written to the audit log with who, when, before and after in
 * the same transaction, and reaches the kiosks with their next pull, at once over their live
 * channel (`catalog.changed`).
 */

/** The version a thing has; every change makes it one higher. */
export const ConfigVersion = z.number().int().positive();

const Versioned = { version: ConfigVersion };

// --- Services ------------------------------------------------------------------------------

/** What a manager sets for a service: everything but its id. */
export const ServiceSettings = z.object({
  /** The number letter. Unique in the hall; changes only on a day the service has no ticket yet. */
  prefix: ServicePrefix,
  name: LocalizedText,
  description: LocalizedText.nullable(),
  enabled: z.boolean(),
  /** Display order (ascending), on the kiosk and the citizen pages. */
  sortOrder: z.number().int().min(0).max(1_000_000),
  /** Opening hours by weekday; empty: closed. */
  hours: WeeklyHours,
  /** Tickets per business day, all numbering sources together; null: no limit. */
  dailyQuota: DailyQuota.nullable(),
  guide: ServiceGuide.nullable(),
  /** Online booking (slot length, capacity, days ahead); null: not booked online. */
  booking: BookingRules.nullable(),
});
export type ServiceSettings = z.infer<typeof ServiceSettings>;

export const CreateServiceRequest = ServiceSettings.extend({ serviceId: ServiceId });
export type CreateServiceRequest = z.input<typeof CreateServiceRequest>;
/** The whole service as it should be, with the version it was read at. */
export const UpdateServiceRequest = ServiceSettings.extend(Versioned);
export type UpdateServiceRequest = z.input<typeof UpdateServiceRequest>;

/** A service as the console edits it: the catalog's view, its quota and its version. */
export const ServiceConfigView = Service.extend({ dailyQuota: DailyQuota.nullable(), version: ConfigVersion });
export type ServiceConfigView = z.infer<typeof ServiceConfigView>;

export const ServicesConfigResponse = z.object({
  services: z.array(ServiceConfigView),
  /** The hall's catalog version: what kiosks compare with what they pulled. */
  catalogVersion: ConfigVersion,
  serverTime: z.iso.datetime(),
});
export const ServiceConfigResponse = z.object({ service: ServiceConfigView, catalogVersion: ConfigVersion, serverTime: z.iso.datetime() });
export type ServiceConfigResponse = z.infer<typeof ServiceConfigResponse>;

// --- Counters ------------------------------------------------------------------------------

/** A service a counter serves, with its priority weight (1 lowest, 100 highest). */
export const CounterServiceWeight = z.object({ serviceId: ServiceId, weight: z.number().int().min(1).max(100) });

export const CounterSettings = z.object({
  /** The number on the sign (3 号窗口); 0 for a counter without one. */
  number: z.number().int().min(0).max(999),
  name: LocalizedText,
  enabled: z.boolean(),
  /** The services it serves, each once; empty: every service of the hall. */
  services: z
    .array(CounterServiceWeight)
    .max(200)
    .refine((list) => new Set(list.map((s) => s.serviceId)).size === list.length, { message: 'a service appears twice' }),
  /** Who may sign in at it (clerks; managers and admins may sign in anywhere); empty: any clerk. */
  allowedStaffIds: z
    .array(StaffId)
    .max(200)
    .refine((list) => new Set(list).size === list.length, { message: 'a member of staff appears twice' }),
});
export type CounterSettings = z.infer<typeof CounterSettings>;

export const CreateCounterRequest = CounterSettings.extend({ counterId: CounterId });
export type CreateCounterRequest = z.input<typeof CreateCounterRequest>;
export const UpdateCounterRequest = CounterSettings.extend(Versioned);
export type UpdateCounterRequest = z.input<typeof UpdateCounterRequest>;

export const CounterConfigView = CounterSettings.extend({ counterId: CounterId, version: ConfigVersion });
export type CounterConfigView = z.infer<typeof CounterConfigView>;

export const CountersConfigResponse = z.object({ counters: z.array(CounterConfigView), serverTime: z.iso.datetime() });
export const CounterConfigResponse = z.object({ counter: CounterConfigView, serverTime: z.iso.datetime() });
export type CounterConfigResponse = z.infer<typeof CounterConfigResponse>;

// --- Kiosks --------------------------------------------------------------------------------

/** A kiosk's id in its hall (the portal's column allows 64 characters). */
export const KioskId = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'kiosk id: letters, digits, dashes');
export const KioskDigit = z.number().int().min(0).max(9);

const OfferedServices = z
  .array(ServiceId)
  .max(MAX_OFFERED_SERVICES)
  .refine((list) => new Set(list).size === list.length, { message: 'a service appears twice' });

/** What a manager sets for a kiosk; null leaves a value to the kiosk's own configuration file. */
export const KioskSettingsInput = z.object({
  name: z.string().trim().min(1).max(64).nullable(),
  /** The services it offers; null: every enabled service of the hall. */
  offeredServiceIds: OfferedServices.nullable(),
  idleTimeoutMs: IdleTimeoutMs.nullable(),
  elderlyAge: ElderlyAge.nullable(),
});

export const RegisterKioskRequest = KioskSettingsInput.extend({
  kioskId: KioskId,
  /** Marks its fallback series (`A2-047`): unique among the hall's active kiosks. */
  kioskDigit: KioskDigit,
  /** Sent once, hashed at once (scrypt); the kiosks get the hash, nobody gets the PIN back. Null: the kiosk's own. */
  technicianPin: TechnicianPin.nullable(),
});
export type RegisterKioskRequest = z.input<typeof RegisterKioskRequest>;

export const UpdateKioskRequest = KioskSettingsInput.extend({
  ...Versioned,
  /** Changes only while the kiosk is revoked: an active kiosk may hold offline numbers with its digit. */
  kioskDigit: KioskDigit,
  /** Absent: unchanged; null: removed (the kiosk's own PIN applies again); digits: the new PIN. */
  technicianPin: TechnicianPin.nullable().optional(),
});
export type UpdateKioskRequest = z.input<typeof UpdateKioskRequest>;

/** Revoking a kiosk, or giving it a new token, names the version too. */
export const KioskVersionRequest = z.object(Versioned);
export type KioskVersionRequest = z.input<typeof KioskVersionRequest>;

/** A kiosk as the console shows it: never its token, never its PIN (only whether one is set). */
export const KioskConfigView = z.object({
  kioskId: KioskId,
  name: z.string().nullable(),
  kioskDigit: KioskDigit,
  /** Its token works (not revoked). */
  active: z.boolean(),
  createdAt: z.iso.datetime(),
  revokedAt: z.iso.datetime().nullable(),
  offeredServiceIds: z.array(ServiceId).nullable(),
  idleTimeoutMs: IdleTimeoutMs.nullable(),
  elderlyAge: ElderlyAge.nullable(),
  technicianPinSet: z.boolean(),
  version: ConfigVersion,
});
export type KioskConfigView = z.infer<typeof KioskConfigView>;

export const KiosksConfigResponse = z.object({ kiosks: z.array(KioskConfigView), serverTime: z.iso.datetime() });
export const KioskConfigResponse = z.object({ kiosk: KioskConfigView, serverTime: z.iso.datetime() });
export type KioskConfigResponse = z.infer<typeof KioskConfigResponse>;

/** The kiosk's bearer token, in this answer only: the portal keeps its SHA-256 and cannot show it again. */
export const KioskToken = z.string().regex(/^[A-Za-z0-9_-]{43}$/);
export const KioskTokenResponse = z.object({ kiosk: KioskConfigView, token: KioskToken, serverTime: z.iso.datetime() });
export type KioskTokenResponse = z.infer<typeof KioskTokenResponse>;

// --- The hall ------------------------------------------------------------------------------

/** An IANA time zone the runtime knows (`Asia/Shanghai`, `Asia/Urumqi`). */
export const TimeZone = z
  .string()
  .min(1)
  .max(64)
  .refine(
    (zone) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    },
    { message: 'not a known IANA time zone' },
  );

const RetentionDays = z.number().int().min(1).max(3_650);

export const HallSettings = z.object({
  name: LocalizedText,
  /** Numbering resets at this zone's business-day start; changes only on a day without tickets yet. */
  timeZone: TimeZone,
  businessDayStartHour: z.number().int().min(0).max(23),
  /** Holidays and adjusted workdays (调休). */
  calendar: HallCalendar,
  /** When a kiosk checks an appointment in: from `beforeMinutes` before its start to `afterMinutes` after. */
  checkInWindow: z.object({ beforeMinutes: z.number().int().min(0).max(240), afterMinutes: z.number().int().min(0).max(240) }),
  /** Walk-in tickets only while the service is open (its hours and the calendar), at the kiosk and the portal. */
  ticketsOnlyInHours: z.boolean(),
  /** The hall display's scrolling notice, in both languages or none. */
  displayNotice: LocalizedText.nullable(),
  voice: z.object({
    /** How many times the display says each call. */
    repeat: z.number().int().min(1).max(5),
    /** Also in English. */
    english: z.boolean(),
  }),
  /** A called ticket becomes a no-show on the recall after this many calls. */
  noShowAfterCalls: z.number().int().min(1).max(9),
  /** Days the portal keeps personal data; null: the portal's own policy (PORTAL_PERSONAL_DATA_DAYS and the like). */
  retention: z.object({
    /** The citizen HMAC of tickets, appointments and finished cases. */
    personalDataDays: RetentionDays.nullable(),
    /** The raw payload of sync events. */
    eventPayloadDays: RetentionDays.nullable(),
  }),
  /** Working days a rectification order (好差评) is given. */
  rectificationDays: z.number().int().min(1).max(60),
});
export type HallSettings = z.infer<typeof HallSettings>;

export const UpdateHallRequest = HallSettings.extend(Versioned);
export type UpdateHallRequest = z.input<typeof UpdateHallRequest>;

export const HallSettingsView = HallSettings.extend({ hallId: z.string(), catalogVersion: ConfigVersion, version: ConfigVersion });
export type HallSettingsView = z.infer<typeof HallSettingsView>;
export const HallSettingsResponse = z.object({ hall: HallSettingsView, serverTime: z.iso.datetime() });
export type HallSettingsResponse = z.infer<typeof HallSettingsResponse>;

// --- Who may be assigned, and what changed -------------------------------------------------

export const StaffMemberView = z.object({
  staffId: z.string(),
  displayName: z.string(),
  role: z.enum(StaffRole),
  /** Signs in with a password (an account without one only holds API keys). */
  username: z.string().nullable(),
  disabled: z.boolean(),
});
export const StaffListResponse = z.object({ staff: z.array(StaffMemberView), serverTime: z.iso.datetime() });

/** The configuration's audit lines, newest first: who changed what, when, from what, to what. */
export const ConfigAuditQuery = z.object({
  /** `service:<id>`, `counter:<id>`, `kiosk:<id>` or `hall`; absent: all. */
  target: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const ConfigAuditEntry = z.object({
  at: z.iso.datetime(),
  staffId: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
});
export type ConfigAuditEntry = z.infer<typeof ConfigAuditEntry>;
export const ConfigAuditResponse = z.object({ entries: z.array(ConfigAuditEntry), serverTime: z.iso.datetime() });

const ServiceParam = z.object({ serviceId: ServiceId });
const CounterParam = z.object({ counterId: CounterId });
const KioskParam = z.object({ kioskId: KioskId });

const manager = { auth: RouteAuth.Staff, minRole: StaffRole.Manager } as const;

export const configRoutes = {
  listServiceConfig: {
    method: 'get', path: '/v1/manager/services', ...manager,
    summary: "The hall's services as the console edits them, with their versions", request: null, response: ServicesConfigResponse,
  },
  createService: {
    method: 'post', path: '/v1/manager/services', ...manager,
    summary: 'Add a service', request: CreateServiceRequest, response: ServiceConfigResponse,
  },
  updateService: {
    method: 'put', path: '/v1/manager/services/{serviceId}', ...manager,
    summary: 'Change a service (names, prefix, hours, quota, guide, booking); names the version it edited', request: UpdateServiceRequest,
    response: ServiceConfigResponse, params: ServiceParam,
  },
  listCounterConfig: {
    method: 'get', path: '/v1/manager/counters', ...manager,
    summary: "The hall's counters: services with weights, who may sign in", request: null, response: CountersConfigResponse,
  },
  createCounter: {
    method: 'post', path: '/v1/manager/counters', ...manager,
    summary: 'Add a counter', request: CreateCounterRequest, response: CounterConfigResponse,
  },
  updateCounter: {
    method: 'put', path: '/v1/manager/counters/{counterId}', ...manager,
    summary: 'Change a counter; names the version it edited', request: UpdateCounterRequest, response: CounterConfigResponse, params: CounterParam,
  },
  listKioskConfig: {
    method: 'get', path: '/v1/manager/kiosks', ...manager,
    summary: "The hall's kiosks and their settings (never a token or a PIN)", request: null, response: KiosksConfigResponse,
  },
  registerKiosk: {
    method: 'post', path: '/v1/manager/kiosks', ...manager,
    summary: 'Register a kiosk: its token is in this answer only', request: RegisterKioskRequest, response: KioskTokenResponse,
  },
  updateKiosk: {
    method: 'put', path: '/v1/manager/kiosks/{kioskId}', ...manager,
    summary: "Change a kiosk's settings (services offered, idle timeout, elderly age, technician PIN, digit)", request: UpdateKioskRequest,
    response: KioskConfigResponse, params: KioskParam,
  },
  revokeKiosk: {
    method: 'post', path: '/v1/manager/kiosks/{kioskId}/revoke', ...manager,
    summary: "Revoke a kiosk's token: refused from then on", request: KioskVersionRequest, response: KioskConfigResponse, params: KioskParam,
  },
  issueKioskToken: {
    method: 'post', path: '/v1/manager/kiosks/{kioskId}/token', ...manager,
    summary: 'A new token for a kiosk (the old one stops working; a revoked kiosk is active again)', request: KioskVersionRequest,
    response: KioskTokenResponse, params: KioskParam,
  },
  hallSettings: {
    method: 'get', path: '/v1/manager/hall', ...manager,
    summary: "The hall's settings: time zone, day start, calendar, notice, voice, retention, deadlines", request: null, response: HallSettingsResponse,
  },
  updateHallSettings: {
    method: 'put', path: '/v1/manager/hall', ...manager,
    summary: "Change the hall's settings; names the version it edited", request: UpdateHallRequest, response: HallSettingsResponse,
  },
  listStaff: {
    method: 'get', path: '/v1/manager/staff', ...manager,
    summary: "The hall's staff, to choose who may sign in at a counter", request: null, response: StaffListResponse,
  },
  configAudit: {
    method: 'get', path: '/v1/manager/config-audit', ...manager,
    summary: 'Configuration changes, newest first, with who, when, before and after', request: null, response: ConfigAuditResponse,
    query: ConfigAuditQuery,
  },
} as const satisfies Record<string, RouteSpec>;
