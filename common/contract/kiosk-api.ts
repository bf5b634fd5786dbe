import { z } from 'zod';
import { NumberSource, TicketNumber } from '../domain/ticket-number.js';
import { CaseNumber } from './counter-api.js';
import { CaseView, VerifyCertificateResponse } from './cases-api.js';
import { HallInfo, Service, ServiceId } from './catalog.js';
import { RatingInput } from './ratings-api.js';
import { RateableTicket } from './sync-api.js';
import { DeviceStatus } from './device-status.js';
import { KioskErrorPayload } from './errors.js';
import { Connectivity, PrinterStatus, PrintState } from './kiosk-status.js';
import {
  ConfirmClockJumpRequest,
  ConfirmClockJumpResult,
  Diagnostics,
  ExportedLogs,
  ReprintRequest,
  SelfTestRequest,
  SelfTestResult,
  SessionRequest,
  TechnicianPin,
  TechnicianSession,
} from './technician.js';
import { CardRejected, MaskedName, ScannedCode, ScanResult, VisitorCleared, VisitorView } from './visitor.js';

/**
 * The renderer <-> core contract. Both shells bridge it generically: a method added here works
 * in the Electron shell and the browser shell at once. The core validates every request with
 * these schemas; the renderer validates every response and event.
 */

export { ConnectivityState, Connectivity, PrinterState, PrinterStatus, PrintState } from './kiosk-status.js';
export * from './device-status.js';
export * from './technician.js';
export * from './visitor.js';

export const TicketView = z.object({
  ticketId: z.uuid(),
  number: TicketNumber,
  numberSource: z.enum(NumberSource),
  serviceId: ServiceId,
  serviceName: z.object({ zh: z.string(), en: z.string() }),
  issuedAt: z.iso.datetime(),
  /** Null when unknown; approximate when the kiosk was offline at issuance. */
  peopleAhead: z.number().int().nonnegative().nullable(),
  peopleAheadApproximate: z.boolean(),
  /** Issued without the portal: the screen and the paper say so. */
  issuedOffline: z.boolean(),
  printState: z.enum(PrintState),
  /** The identified visitor's masked name (`张*三`), in the issuing reply and event only: never stored. */
  holderName: MaskedName.optional(),
  /** For an appointment check-in: the booked slot's start, printed and shown as "预约 09:30". */
  appointmentStart: z.iso.datetime().nullable().default(null),
});
export type TicketView = z.infer<typeof TicketView>;

export const ServiceView = Service.pick({
  id: true,
  prefix: true,
  name: true,
  description: true,
  hours: true,
  guide: true,
  searchKeys: true,
  booking: true,
});
export type ServiceView = z.infer<typeof ServiceView>;

const Empty = z.object({}).strict();

export const CatalogChanged = z.object({
  /** When the kiosk stored what changed (kiosk clock). */
  pulledAt: z.iso.datetime(),
});
export type CatalogChanged = z.infer<typeof CatalogChanged>;

/** What became of a check-in (预约签到) at the kiosk. */
export enum CheckInOutcome {
  /** Within the window: a ticket with appointment priority. */
  Ticket = 'ticket',
  /** Too early: come back from `checkInFrom`. */
  Early = 'early',
  /** Past the window: the visitor may take a walk-in ticket instead. */
  Late = 'late',
  /** The appointment is for another day. */
  OtherDay = 'other-day',
  /** Checked in already (here or at another kiosk): the ticket it got, when this kiosk knows it. */
  AlreadyCheckedIn = 'already-checked-in',
  Cancelled = 'cancelled',
  /** No appointment for this code or card (today, in this kiosk's cache). */
  NotFound = 'not-found',
}

export const CheckInResult = z.object({
  outcome: z.enum(CheckInOutcome),
  ticket: TicketView.nullable(),
  appointment: z
    .object({
      reference: z.string(),
      serviceId: ServiceId,
      serviceName: z.object({ zh: z.string(), en: z.string() }),
      businessDay: z.string(),
      start: z.iso.datetime(),
      end: z.iso.datetime(),
      checkInFrom: z.iso.datetime(),
      checkInUntil: z.iso.datetime(),
    })
    .nullable(),
});
export type CheckInResult = z.infer<typeof CheckInResult>;

/** The visitor's cases as the kiosk shows them: fresh from the portal, or from its cache with their age. */
export const KioskCasesView = z.object({
  cases: z.array(CaseView),
  /** When the portal answered this list (now, or when it was cached). */
  fetchedAt: z.iso.datetime().nullable(),
  fromCache: z.boolean(),
});
export type KioskCasesView = z.infer<typeof KioskCasesView>;

export const RateableTicketsView = z.object({ tickets: z.array(RateableTicket), offline: z.boolean() });
export type RateableTicketsView = z.infer<typeof RateableTicketsView>;

export const kioskMethods = {
  listServices: {
    request: Empty,
    response: z.object({ hall: HallInfo, services: z.array(ServiceView) }),
  },
  takeTicket: {
    request: z
      .object({
        serviceId: ServiceId,
        /** Chosen by the renderer per tap: a retried or doubled request issues one ticket. */
        requestId: z.uuid(),
      })
      .strict(),
    response: TicketView,
  },
  getTicket: {
    request: z.object({ ticketId: z.uuid() }).strict(),
    response: TicketView,
  },
  getStatus: {
    request: Empty,
    response: z.object({ printer: PrinterStatus, connectivity: Connectivity }),
  },
  /** The visitor currently identified by a card, if any (a reloaded page asks). */
  getVisitor: {
    request: Empty,
    response: z.object({ visitor: VisitorView.nullable() }),
  },
  /** Done on the identity panel: the core wipes the card data at once (it also does after its idle timeout). */
  endVisit: {
    request: Empty,
    response: z.object({ cleared: z.boolean() }),
  },
  /** A keyboard-wedge scan decoded by the renderer; the serial scanner reaches the core directly. */
  submitScan: {
    request: z.object({ code: ScannedCode }).strict(),
    response: ScanResult,
  },
  /**
   * Check in for an appointment: by the reference a scan read, or (without one) by the identified
   * visitor's card. Works offline from the cached appointments. Idempotent by `requestId`.
   */
  checkIn: {
    request: z.object({ requestId: z.uuid(), reference: z.string().min(6).max(32).optional() }).strict(),
    response: CheckInResult,
  },
  /** Print a service guide's materials list ("bring these") on the receipt printer. */
  printGuide: {
    request: z.object({ serviceId: ServiceId }).strict(),
    response: z.object({ printed: z.boolean() }),
  },
  /** The identified visitor's cases (办件进度): from the portal, or cached when it does not answer. */
  lookupCases: {
    request: Empty,
    response: KioskCasesView,
  },
  /** Print the verification slip (QR) of a case's e-certificate, from the visitor's case list. */
  printCertificateSlip: {
    request: z.object({ caseNumber: CaseNumber }).strict(),
    response: z.object({ printed: z.boolean() }),
  },
  /** Verify an e-certificate code (a scanned slip) with the hall's pulled public keys, offline. */
  verifyCertificate: {
    request: z.object({ code: z.string().min(1).max(2000) }).strict(),
    response: VerifyCertificateResponse,
  },
  /** Tickets the visitor may rate: by card (asks the portal), or the one a scanned ticket QR names. */
  findRateableTickets: {
    request: z.object({ ticketId: z.uuid().optional(), number: TicketNumber.optional() }).strict(),
    response: RateableTicketsView,
  },
  /** Queue a 好差评 rating through the outbox (sent when the portal answers); one per ticket. */
  submitRating: {
    request: RatingInput.extend({ ratingId: z.uuid(), ticketId: z.uuid() }).strict(),
    response: z.object({ queued: z.boolean() }),
  },
  technicianLogin: {
    request: z.object({ pin: TechnicianPin }).strict(),
    response: TechnicianSession,
  },
  technicianLogout: {
    request: SessionRequest,
    response: z.object({}),
  },
  getDiagnostics: {
    request: SessionRequest,
    response: Diagnostics,
  },
  /** Reader: wait for a card; scanner: wait for a scan; printer: print a test page with its status. */
  runSelfTest: {
    request: SelfTestRequest,
    response: SelfTestResult,
  },
  exportLogs: {
    request: SessionRequest,
    response: ExportedLogs,
  },
  /** Prints a ticket's receipt again (possibly printed, failed or on-screen-only), as a new print job. */
  reprintTicket: {
    request: ReprintRequest,
    response: TicketView,
  },
  /** Adopts a held portal clock jump for the business day (shown in diagnostics.sync.clockJump). */
  confirmClockJump: {
    request: ConfirmClockJumpRequest,
    response: ConfirmClockJumpResult,
  },
} as const satisfies Record<string, { request: z.ZodType; response: z.ZodType }>;

export const kioskEvents = {
  ticketIssued: TicketView,
  /** A ticket's print state changed (printed, failed...). */
  ticketUpdated: TicketView,
  printerStatus: PrinterStatus,
  connectivity: Connectivity,
  /** A card was read: masked data only. */
  visitorIdentified: VisitorView,
  /** The card data was wiped (Done, idle, ticket issued). */
  visitorCleared: VisitorCleared,
  /** A card was read but cannot identify the visitor (expired, unreadable). */
  cardRejected: CardRejected,
  /** A code was scanned (serial scanner or keyboard wedge) and classified. */
  scanned: ScanResult,
  /** A device changed state; the technician screen and alerts follow it. */
  deviceStatus: DeviceStatus,
  /**
   * The pull brought a new catalog (names, hours, quotas, the calendar) or new settings for this
   * kiosk (the services it offers): the screen lists its services again (`listServices`).
   */
  catalogChanged: CatalogChanged,
} as const satisfies Record<string, z.ZodType>;

export type KioskMethodName = keyof typeof kioskMethods;
export type KioskEventName = keyof typeof kioskEvents;
export type KioskRequest<M extends KioskMethodName> = z.input<(typeof kioskMethods)[M]['request']>;
export type KioskResponse<M extends KioskMethodName> = z.output<(typeof kioskMethods)[M]['response']>;
export type KioskEventPayload<E extends KioskEventName> = z.output<(typeof kioskEvents)[E]>;

export const kioskMethodNames = Object.keys(kioskMethods) as KioskMethodName[];

/**
 * Methods whose effect a second delivery would repeat (a PIN attempt counted twice, a receipt or
 * test page printed twice). A bridge that loses its connection while one is in flight fails it
 * instead of sending it again; every other method is a read or idempotent (takeTicket by requestId).
 */
export const kioskMethodsNotResent: ReadonlySet<KioskMethodName> = new Set<KioskMethodName>([
  'technicianLogin',
  'runSelfTest',
  'reprintTicket',
  'confirmClockJump',
  'printGuide',
  'printCertificateSlip',
]);
export const kioskEventNames = Object.keys(kioskEvents) as KioskEventName[];

export function isKioskMethodName(name: string): name is KioskMethodName {
  return Object.hasOwn(kioskMethods, name);
}
export function isKioskEventName(name: string): name is KioskEventName {
  return Object.hasOwn(kioskEvents, name);
}

/** What `window.kiosk` looks like in either shell. */
export type KioskApi = {
  [M in KioskMethodName]: (request: KioskRequest<M>) => Promise<KioskResponse<M>>;
} & {
  on<E extends KioskEventName>(event: E, listener: (payload: KioskEventPayload<E>) => void): () => void;
};

/** Core-side implementation: one handler per method, typed by the contract. */
export type KioskHandlers = {
  [M in KioskMethodName]: (request: z.output<(typeof kioskMethods)[M]['request']>) => Promise<KioskResponse<M>>;
};

/** The browser shell's WebSocket bridge: its path on the host, and the query parameter of the launch token. */
export const BRIDGE_PATH = '/bridge';
export const BRIDGE_TOKEN_PARAM = 'token';

/**
 * The browser shell starts Chromium with a one-time launch code in the URL's hash (`#code=`), not
 * the token: a command line is visible to every local user. The page trades the code, once and
 * within a minute, for the token with a same-origin POST to this path.
 */
export const BRIDGE_LAUNCH_CODE_PARAM = 'code';
export const BRIDGE_EXCHANGE_PATH = '/bridge/exchange';
const BridgeSecret = z.string().regex(/^[0-9a-f]{64}$/);
export const LaunchCodeExchangeRequest = z.object({ code: BridgeSecret }).strict();
export type LaunchCodeExchangeRequest = z.infer<typeof LaunchCodeExchangeRequest>;
export const LaunchCodeExchangeResponse = z.object({ token: BridgeSecret }).strict();
export type LaunchCodeExchangeResponse = z.infer<typeof LaunchCodeExchangeResponse>;

/** Messages of the browser shell's WebSocket bridge. */
export const BridgeCall = z.object({
  kind: z.literal('call'),
  id: z.number().int().nonnegative(),
  method: z.string().max(64),
  request: z.unknown(),
});
export type BridgeCall = z.infer<typeof BridgeCall>;

export const BridgeReply = z.discriminatedUnion('ok', [
  z.object({ kind: z.literal('reply'), id: z.number().int(), ok: z.literal(true), response: z.unknown() }),
  z.object({ kind: z.literal('reply'), id: z.number().int(), ok: z.literal(false), error: KioskErrorPayload }),
]);
export type BridgeReply = z.infer<typeof BridgeReply>;

export const BridgeEvent = z.object({ kind: z.literal('event'), event: z.string(), payload: z.unknown() });
export type BridgeEvent = z.infer<typeof BridgeEvent>;

export const BridgeServerMessage = z.union([BridgeReply, BridgeEvent]);
