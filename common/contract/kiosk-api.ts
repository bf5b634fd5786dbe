import { z } from 'zod';
import { NumberSource, TicketNumber } from '../domain/ticket-number.js';
import { HallInfo, Service, ServiceId } from './catalog.js';
import { KioskErrorPayload } from './errors.js';

/**
 * The renderer <-> core contract. Both shells bridge it generically: a method added here works
 * in the Electron shell and the browser shell at once. The core validates every request with
 * these schemas; the renderer validates every response and event.
 */

export enum PrintState {
  /** Recorded, not yet sent. */
  Pending = 'pending',
  Printing = 'printing',
  Printed = 'printed',
  /** Sending failed; the ticket stays valid and is shown on screen. */
  Failed = 'failed',
  /** The kiosk stopped while sending: never reprinted silently, a technician decides. */
  PossiblyPrinted = 'possibly-printed',
  /** The printer was not ready before issuance; the visitor got an on-screen ticket. */
  OnScreenOnly = 'on-screen-only',
}

export enum PrinterState {
  Ready = 'ready',
  PaperNearEnd = 'paper-near-end',
  PaperOut = 'paper-out',
  CoverOpen = 'cover-open',
  Offline = 'offline',
  Error = 'error',
  Unknown = 'unknown',
}

export enum ConnectivityState {
  Online = 'online',
  Offline = 'offline',
  Unknown = 'unknown',
}

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
});
export type TicketView = z.infer<typeof TicketView>;

export const PrinterStatus = z.object({
  state: z.enum(PrinterState),
  checkedAt: z.iso.datetime().nullable(),
});
export type PrinterStatus = z.infer<typeof PrinterStatus>;

export const Connectivity = z.object({
  state: z.enum(ConnectivityState),
  lastSyncAt: z.iso.datetime().nullable(),
  /** Outbox events not yet acknowledged by the portal. */
  backlog: z.number().int().nonnegative(),
  /** Portal clock minus kiosk clock, measured at the last sync; null before the first. */
  clockOffsetMs: z.number().int().nullable().default(null),
  /** Events the portal refused, kept for the technician; never blocking the queue. */
  quarantined: z.number().int().nonnegative().default(0),
});
export type Connectivity = z.infer<typeof Connectivity>;

export const ServiceView = Service.pick({ id: true, prefix: true, name: true, description: true });
export type ServiceView = z.infer<typeof ServiceView>;

const Empty = z.object({}).strict();

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
} as const satisfies Record<string, { request: z.ZodType; response: z.ZodType }>;

export const kioskEvents = {
  ticketIssued: TicketView,
  /** A ticket's print state changed (printed, failed...). */
  ticketUpdated: TicketView,
  printerStatus: PrinterStatus,
  connectivity: Connectivity,
} as const satisfies Record<string, z.ZodType>;

export type KioskMethodName = keyof typeof kioskMethods;
export type KioskEventName = keyof typeof kioskEvents;
export type KioskRequest<M extends KioskMethodName> = z.input<(typeof kioskMethods)[M]['request']>;
export type KioskResponse<M extends KioskMethodName> = z.output<(typeof kioskMethods)[M]['response']>;
export type KioskEventPayload<E extends KioskEventName> = z.output<(typeof kioskEvents)[E]>;

export const kioskMethodNames = Object.keys(kioskMethods) as KioskMethodName[];
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
