import { z } from 'zod';
import { Priority } from '../domain/priority.js';
import { NumberSource, TicketNumber } from '../domain/ticket-number.js';
import { LocalizedText, ServiceId } from './catalog.js';
import { RouteAuth, StaffRole, type RouteSpec } from './route-spec.js';

/**
 * The counter API: what a clerk's console (and a machine client with a staff API key) does with
 * tickets and counters. Every transition is one conditional update at the portal; a transition
 * that does not apply to the ticket's state answers 409 `invalid-transition`.
 */

/** A ticket's life at the portal (docs/architecture.md, "The hall at work"). */
export enum TicketStatus {
  Waiting = 'waiting',
  Called = 'called',
  Serving = 'serving',
  Held = 'held',
  NoShow = 'no-show',
  Done = 'done',
  Cancelled = 'cancelled',
}

/** The states a ticket never leaves (a no-show can still be requeued). */
export const FINAL_TICKET_STATUSES: readonly TicketStatus[] = [TicketStatus.Done, TicketStatus.Cancelled];

export enum CounterState {
  SignedOut = 'signed-out',
  Idle = 'idle',
  Paused = 'paused',
  Busy = 'busy',
}

export const CounterId = z.string().regex(/^[A-Za-z0-9-]{1,32}$/);
export const CaseNumber = z.string().regex(/^[A-Za-z0-9-]{1,40}$/, 'case number: letters, digits, dashes');
export const StaffId = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/);

export const QueueTicket = z.object({
  ticketId: z.uuid(),
  serviceId: ServiceId,
  number: TicketNumber,
  numberSource: z.enum(NumberSource),
  priority: z.enum(Priority),
  status: z.enum(TicketStatus),
  kioskId: z.string(),
  /** The counter that holds it (called, serving, held), or held it last. */
  counterId: z.string().nullable(),
  /** A ticket transferred to one counter waits for that counter only. */
  targetCounterId: z.string().nullable(),
  /** Masked as the kiosk printed it (`张*三`); null for an anonymous ticket. */
  maskedName: z.string().nullable(),
  /** Start of the appointment window, for appointment tickets. */
  appointmentAt: z.iso.datetime().nullable(),
  /** Portal receive time (or the time it was requeued): the queue order within a class. */
  queueAt: z.iso.datetime(),
  receivedAt: z.iso.datetime(),
  calledAt: z.iso.datetime().nullable(),
  callCount: z.number().int().nonnegative(),
  caseNumber: CaseNumber.nullable(),
});
export type QueueTicket = z.infer<typeof QueueTicket>;

/** A waiting ticket in calling order, with the reasons for its place. */
export const WaitingTicket = QueueTicket.extend({
  /** 1 for the next to be called at this counter. */
  position: z.number().int().positive(),
});
export type WaitingTicket = z.infer<typeof WaitingTicket>;

export const CounterView = z.object({
  counterId: CounterId,
  /** The number on the sign above it (3 号窗口). */
  number: z.number().int().min(0).max(999),
  name: LocalizedText,
  state: z.enum(CounterState),
  staffId: StaffId.nullable(),
  staffName: z.string().nullable(),
  /** The services this counter may serve (configured); empty: all. */
  serviceIds: z.array(ServiceId),
  /** The services chosen at sign-in; empty: all it may serve. */
  activeServiceIds: z.array(ServiceId),
  /** The ticket it is calling or serving. */
  currentTicket: QueueTicket.nullable(),
});
export type CounterView = z.infer<typeof CounterView>;

export const CountersResponse = z.object({ counters: z.array(CounterView), serverTime: z.iso.datetime() });

export const CounterParam = z.object({ counterId: CounterId });
export const TicketIdParam = z.object({ ticketId: z.uuid() });

export const SignInCounterRequest = z
  .object({
    /** Services to serve now: a subset of the counter's; empty for all of them. */
    serviceIds: z.array(ServiceId).max(100).default([]),
  })
  // No body at all: every service it may serve.
  .prefault({});
export const CounterResponse = z.object({ counter: CounterView });

export const CallNextRequest = z.object({
  counterId: CounterId,
  /** Services to call from; empty (or absent): the counter's active services. */
  serviceIds: z.array(ServiceId).max(100).default([]),
});
export type CallNextRequest = z.infer<typeof CallNextRequest>;
export const CallNextResponse = z.object({ ticket: QueueTicket.nullable() });
export type CallNextResponse = z.infer<typeof CallNextResponse>;

/** For transitions done at a counter (call, call back): which counter. */
export const AtCounterRequest = z.object({ counterId: CounterId });
// A machine client may send no body at all, as it did before case numbers.
export const CompleteRequest = z.object({ caseNumber: CaseNumber.nullable().default(null) }).prefault({});
export const TransferRequest = z
  .object({
    /** Another service: the visitor keeps the number and waits in that service's line. */
    serviceId: ServiceId.optional(),
    /** Or one counter: only that counter calls the visitor next. */
    counterId: CounterId.optional(),
    /** A new priority class (e.g. the clerk grants the green channel); absent: unchanged. */
    priority: z.enum(Priority).optional(),
  })
  .refine((t) => (t.serviceId === undefined) !== (t.counterId === undefined), {
    message: 'transfer to exactly one of serviceId or counterId',
  });
export type TransferRequest = z.infer<typeof TransferRequest>;
export const CancelRequest = z.object({ reason: z.string().max(200).nullable().default(null) }).prefault({});

export const TicketTransitionResponse = z.object({ ticket: QueueTicket });
export type TicketTransitionResponse = z.infer<typeof TicketTransitionResponse>;

export const QueueQuery = z.object({ counterId: CounterId.optional() });
export const QueueListResponse = z.object({
  /** Waiting tickets in calling order (for the counter's services when `counterId` is given). */
  waiting: z.array(WaitingTicket),
  /** Tickets on hold (挂起) at this counter, or in the hall. */
  held: z.array(QueueTicket),
  /** No-shows of today that can be requeued. */
  noShows: z.array(QueueTicket),
  /** Everyone's called and serving tickets, for the hall overview. */
  active: z.array(QueueTicket),
  /** The hall's rule: a called ticket becomes a no-show on the recall after this many calls. */
  noShowAfterCalls: z.number().int().positive(),
  serverTime: z.iso.datetime(),
});
export type QueueListResponse = z.infer<typeof QueueListResponse>;

export const SweepResponse = z.object({ swept: z.number().int().nonnegative() });

const ticketRoute = <P extends string, Q extends z.ZodType | null>(path: P, summary: string, request: Q, minRole?: StaffRole) =>
  ({
    method: 'post',
    path: `/v1/counter/tickets/{ticketId}/${path}`,
    auth: RouteAuth.Staff,
    ...(minRole ? { minRole } : {}),
    summary,
    request,
    response: TicketTransitionResponse,
    params: TicketIdParam,
  }) as const;

export const counterRoutes = {
  counters: {
    method: 'get', path: '/v1/counter/counters', auth: RouteAuth.Staff,
    summary: 'Counters of the hall with their state and current ticket', request: null, response: CountersResponse,
  },
  signInCounter: {
    method: 'post', path: '/v1/counter/counters/{counterId}/sign-in', auth: RouteAuth.Staff,
    summary: 'Take a counter and choose its services', request: SignInCounterRequest, response: CounterResponse, params: CounterParam,
  },
  signOutCounter: {
    method: 'post', path: '/v1/counter/counters/{counterId}/sign-out', auth: RouteAuth.Staff,
    summary: 'Leave a counter', request: null, response: CounterResponse, params: CounterParam,
  },
  pauseCounter: {
    method: 'post', path: '/v1/counter/counters/{counterId}/pause', auth: RouteAuth.Staff,
    summary: 'Pause a counter (no calls until resumed)', request: null, response: CounterResponse, params: CounterParam,
  },
  resumeCounter: {
    method: 'post', path: '/v1/counter/counters/{counterId}/resume', auth: RouteAuth.Staff,
    summary: 'Resume a paused counter', request: null, response: CounterResponse, params: CounterParam,
  },
  callNext: {
    method: 'post', path: '/v1/counter/call-next', auth: RouteAuth.Staff,
    summary: 'Call the next waiting ticket for a counter', request: CallNextRequest, response: CallNextResponse,
  },
  queue: {
    method: 'get', path: '/v1/counter/queue', auth: RouteAuth.Staff,
    summary: "Today's queue in calling order, with held, no-show and active tickets", request: null, response: QueueListResponse,
    query: QueueQuery,
  },
  call: ticketRoute('call', 'Call this waiting ticket to a counter', AtCounterRequest),
  recall: ticketRoute('recall', 'Call the ticket again (重呼); past the hall limit it becomes a no-show', null),
  start: ticketRoute('start', 'The visitor arrived: start serving', null),
  complete: ticketRoute('complete', 'Mark the ticket served, optionally with its case number (办件编号)', CompleteRequest),
  noShow: ticketRoute('no-show', 'Mark a called ticket as a no-show (弃号)', null),
  requeue: ticketRoute('requeue', 'Put a no-show back in the line', null),
  hold: ticketRoute('hold', 'Put the ticket on hold (挂起); the counter is free again', null),
  callBack: ticketRoute('call-back', 'Call a held ticket back (回呼) to its counter', AtCounterRequest),
  transfer: ticketRoute('transfer', 'Transfer to another service or counter, keeping the number (转移)', TransferRequest),
  cancel: ticketRoute('cancel', 'Cancel the ticket', CancelRequest),
  sweep: {
    method: 'post', path: '/v1/counter/sweep', auth: RouteAuth.Staff, minRole: StaffRole.Manager,
    summary: 'End-of-day sweep now: close every unfinished ticket of past business days', request: null, response: SweepResponse,
  },
} as const satisfies Record<string, RouteSpec>;
