import { z } from 'zod';
import { BusinessDay } from '../domain/business-day.js';
import { Priority } from '../domain/priority.js';
import { NumberSource, TicketNumber } from '../domain/ticket-number.js';
import { Catalog, ServiceId } from './catalog.js';

/**
 * The kiosk <-> portal HTTP contract. Kiosks authenticate with `Authorization: Bearer <kiosk token>`;
 * counters with `Authorization: Bearer <staff token>`. The token decides the hall and the kiosk,
 * never the body. Every route below is listed in `syncRoutes` so the OpenAPI document is generated
 * from these same schemas.
 */

export enum SyncEventType {
  TicketIssued = 'ticket.issued',
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
});
export type TicketIssuedPayload = z.infer<typeof TicketIssuedPayload>;

const eventBase = {
  /** Gapless within a db epoch, assigned in the same transaction as the data. */
  seq: z.number().int().positive(),
  eventId: z.uuid(),
  occurredAt: z.iso.datetime(),
};

export const OutboxEvent = z.discriminatedUnion('type', [
  z.object({ ...eventBase, type: z.literal(SyncEventType.TicketIssued), payload: TicketIssuedPayload }),
]);
export type OutboxEvent = z.infer<typeof OutboxEvent>;

export const MAX_PUSH_BATCH = 500;

export const PushRequest = z.object({
  /** A new UUID whenever the kiosk database is created or restored; the cursor is per epoch. */
  dbEpoch: z.uuid(),
  events: z.array(OutboxEvent).min(1).max(MAX_PUSH_BATCH),
});
export type PushRequest = z.infer<typeof PushRequest>;

export enum SyncRejectCode {
  UnknownService = 'unknown-service',
  DuplicateNumber = 'duplicate-number',
  InvalidEvent = 'invalid-event',
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

export enum TicketStatus {
  Waiting = 'waiting',
  Called = 'called',
  Completed = 'completed',
  NoShow = 'no-show',
}

export const QueueTicket = z.object({
  ticketId: z.uuid(),
  serviceId: ServiceId,
  number: TicketNumber,
  numberSource: z.enum(NumberSource),
  priority: z.enum(Priority),
  status: z.enum(TicketStatus),
  kioskId: z.string(),
  counterId: z.string().nullable(),
  receivedAt: z.iso.datetime(),
  calledAt: z.iso.datetime().nullable(),
});
export type QueueTicket = z.infer<typeof QueueTicket>;

export const CounterId = z.string().regex(/^[A-Za-z0-9-]{1,32}$/);

export const CallNextRequest = z.object({
  counterId: CounterId,
  /** Services this counter handles; empty means all. */
  serviceIds: z.array(ServiceId).max(100),
});
export type CallNextRequest = z.infer<typeof CallNextRequest>;

export const CallNextResponse = z.object({ ticket: QueueTicket.nullable() });
export type CallNextResponse = z.infer<typeof CallNextResponse>;

export const TicketTransitionResponse = z.object({ ticket: QueueTicket });
export type TicketTransitionResponse = z.infer<typeof TicketTransitionResponse>;

export const QueueListResponse = z.object({ tickets: z.array(QueueTicket) });
export type QueueListResponse = z.infer<typeof QueueListResponse>;

export const TicketIdParam = z.object({ ticketId: z.uuid() });

export enum RouteAuth {
  Kiosk = 'kiosk',
  Staff = 'staff',
  None = 'none',
}

export interface RouteSpec {
  method: 'get' | 'post';
  /** OpenAPI-style path, `{ticketId}` for parameters. */
  path: string;
  auth: RouteAuth;
  summary: string;
  request: z.ZodType | null;
  response: z.ZodType;
}

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
  callNext: {
    method: 'post', path: '/v1/counter/call-next', auth: RouteAuth.Staff,
    summary: 'Call the next waiting ticket for a counter', request: CallNextRequest, response: CallNextResponse,
  },
  complete: {
    method: 'post', path: '/v1/counter/tickets/{ticketId}/complete', auth: RouteAuth.Staff,
    summary: 'Mark a called ticket as served', request: null, response: TicketTransitionResponse,
  },
  noShow: {
    method: 'post', path: '/v1/counter/tickets/{ticketId}/no-show', auth: RouteAuth.Staff,
    summary: 'Mark a called ticket as a no-show', request: null, response: TicketTransitionResponse,
  },
  queue: {
    method: 'get', path: '/v1/counter/queue', auth: RouteAuth.Staff,
    summary: "Today's tickets of the hall in calling order", request: null, response: QueueListResponse,
  },
} as const satisfies Record<string, RouteSpec>;
