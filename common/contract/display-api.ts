import { z } from 'zod';
import { TicketNumber } from '../domain/ticket-number.js';
import { LocalizedText, Service } from './catalog.js';
import { DisplaySettingsPayload, WaitingCount } from './hall-events.js';
import { RouteAuth, type RouteSpec } from './route-spec.js';

/**
 * The hall display: a TV in kiosk-mode Chromium with a display token. It loads a snapshot, then
 * follows the hall's events (`GET /v1/display/events`, Server-Sent Events, `Last-Event-ID` replay).
 */

export const RecentCall = z.object({
  ticketId: z.uuid(),
  number: TicketNumber,
  counterNumber: z.number().int().min(0).max(999),
  counterName: LocalizedText,
  recall: z.boolean(),
  calledAt: z.iso.datetime(),
});
export type RecentCall = z.infer<typeof RecentCall>;

export const DisplayStateResponse = z.object({
  hall: z.object({ hallId: z.string(), name: LocalizedText }),
  settings: DisplaySettingsPayload,
  services: z.array(Service.pick({ id: true, prefix: true, name: true })),
  waiting: z.array(WaitingCount),
  /** Newest first. */
  recentCalls: z.array(RecentCall).max(50),
  /** The hall event this snapshot includes: follow the events after it. */
  lastEventSeq: z.number().int().nonnegative(),
  serverTime: z.iso.datetime(),
});
export type DisplayStateResponse = z.infer<typeof DisplayStateResponse>;

/** Both live streams speak SSE; their `id:` is the hall event seq. */
export const EVENT_STREAM_PATHS = { display: '/v1/display/events', counter: '/v1/counter/events' } as const;

/** A hall event seq as the `Last-Event-ID` header (or the `lastEventId` query parameter) carries it. */
export const LastEventId = z.string().regex(/^\d{1,15}$/, 'a hall event seq').transform(Number);

/**
 * Query of both event streams: `lastEventId` for clients that cannot set the `Last-Event-ID`
 * header (the header wins when both are sent).
 */
export const EventStreamQuery = z.object({ lastEventId: LastEventId.optional() });

export const displayRoutes = {
  displayState: {
    method: 'get', path: '/v1/display/state', auth: RouteAuth.Display,
    summary: 'What the hall display shows now: recent calls, waiting per service, notice and voice settings',
    request: null, response: DisplayStateResponse,
  },
} as const satisfies Record<string, RouteSpec>;
