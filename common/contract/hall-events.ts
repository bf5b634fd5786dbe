import { z } from 'zod';
import { Priority } from '../domain/priority.js';
import { TicketNumber } from '../domain/ticket-number.js';
import { LocalizedText, ServiceId } from './catalog.js';
import { CounterState, TicketStatus } from './counter-api.js';

/**
 * What happened in a hall, as the portal tells its live pages (counter consoles, the hall
 * display) over Server-Sent Events. Events are numbered per hall without gaps (`seq`, the SSE
 * `id`), committed with the change they describe, and kept for a while so a page that lost the
 * network asks for what it missed with `Last-Event-ID`.
 */
export enum HallEventKind {
  /** A ticket was called (or called again, or called back) to a counter: the display shows and says it. */
  TicketCalled = 'ticket.called',
  /** A ticket changed state, service, priority or counter. */
  TicketUpdated = 'ticket.updated',
  /** Waiting counts of the services that changed (tickets pushed, called, transferred, …). */
  QueueWaiting = 'queue.waiting',
  /** A counter's state changed (sign-in, pause, busy, …). */
  CounterUpdated = 'counter.updated',
  /** The display notice or voice settings changed. */
  DisplaySettings = 'display.settings',
  /** Appointments of today or tomorrow were booked, cancelled or checked in: kiosks pull at once. */
  AppointmentsChanged = 'appointments.changed',
  /** The catalog (services, hours, guides, calendar) changed: kiosks pull at once. */
  CatalogChanged = 'catalog.changed',
}

export const WaitingCount = z.object({ serviceId: ServiceId, waiting: z.number().int().nonnegative() });
export type WaitingCount = z.infer<typeof WaitingCount>;

export const TicketCalledPayload = z.object({
  ticketId: z.uuid(),
  number: TicketNumber,
  serviceId: ServiceId,
  counterId: z.string(),
  counterNumber: z.number().int().min(0).max(999),
  counterName: LocalizedText,
  /** 1 for the first call; a recall counts up. */
  callCount: z.number().int().positive(),
  recall: z.boolean(),
});
export type TicketCalledPayload = z.infer<typeof TicketCalledPayload>;

export const TicketUpdatedPayload = z.object({
  ticketId: z.uuid(),
  number: TicketNumber,
  serviceId: ServiceId,
  status: z.enum(TicketStatus),
  priority: z.enum(Priority),
  counterId: z.string().nullable(),
});
export type TicketUpdatedPayload = z.infer<typeof TicketUpdatedPayload>;

export const QueueWaitingPayload = z.object({ counts: z.array(WaitingCount) });
export const CounterUpdatedPayload = z.object({ counterId: z.string(), state: z.enum(CounterState) });
export const DisplaySettingsPayload = z.object({
  notice: LocalizedText.nullable(),
  voiceRepeat: z.number().int().min(1).max(5),
  voiceEnglish: z.boolean(),
});
export type DisplaySettingsPayload = z.infer<typeof DisplaySettingsPayload>;

export const AppointmentsChangedPayload = z.object({ days: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)).max(31) });
export const CatalogChangedPayload = z.object({ catalogVersion: z.number().int().positive() });

export const HallEvent = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal(HallEventKind.TicketCalled), payload: TicketCalledPayload }),
  z.object({ kind: z.literal(HallEventKind.TicketUpdated), payload: TicketUpdatedPayload }),
  z.object({ kind: z.literal(HallEventKind.QueueWaiting), payload: QueueWaitingPayload }),
  z.object({ kind: z.literal(HallEventKind.CounterUpdated), payload: CounterUpdatedPayload }),
  z.object({ kind: z.literal(HallEventKind.DisplaySettings), payload: DisplaySettingsPayload }),
  z.object({ kind: z.literal(HallEventKind.AppointmentsChanged), payload: AppointmentsChangedPayload }),
  z.object({ kind: z.literal(HallEventKind.CatalogChanged), payload: CatalogChangedPayload }),
]);
export type HallEvent = z.infer<typeof HallEvent>;

/** An event as stored and sent: its number in the hall's sequence and the portal time it was committed. */
export const HallEventEnvelope = z.intersection(HallEvent, z.object({ seq: z.number().int().positive(), at: z.iso.datetime() }));
export type HallEventEnvelope = z.infer<typeof HallEventEnvelope>;

/**
 * Frames of the event streams that are not hall events. `ready`: the replay after the client's
 * `Last-Event-ID` is written, the client is caught up (its SSE `id` is that seq). `resync`: the
 * client's `Last-Event-ID` cannot be replayed (events purged, or beyond the hall's last one): it
 * must reload its snapshot; the stream goes on after the seq given (also its SSE `id`).
 */
export enum HallStreamSignal {
  Ready = 'ready',
  Resync = 'resync',
}

export enum ResyncReason {
  /** The events after the client's Last-Event-ID are no longer kept. */
  Expired = 'expired',
  /** The client's Last-Event-ID is beyond the hall's last event (e.g. a restored database). */
  Ahead = 'ahead',
}

export const StreamReadyData = z.object({ lastEventSeq: z.number().int().nonnegative() });
export type StreamReadyData = z.infer<typeof StreamReadyData>;
export const StreamResyncData = z.object({ lastEventSeq: z.number().int().nonnegative(), reason: z.enum(ResyncReason) });
export type StreamResyncData = z.infer<typeof StreamResyncData>;
