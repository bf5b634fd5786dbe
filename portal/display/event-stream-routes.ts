import type { FastifyInstance } from 'fastify';
import { EVENT_STREAM_PATHS } from '../../common/contract/display-api.js';
import { RouteAuth } from '../../common/contract/route-spec.js';
import { registerHallStreamRoute, type HallStreamRouteSpec } from '../realtime/hall-stream-route.js';

/** The wire, for the OpenAPI document (the frames are described in portal/realtime/sse-frames.ts). */
const STREAM_DESCRIPTION =
  'Answers `200 text/event-stream`. Each hall event is one frame: `id: <seq>`, `event: <kind>`, `data: <HallEventEnvelope JSON>`. ' +
  'Send `Last-Event-ID: <seq>` (or `?lastEventId=<seq>`) to get the events after it first; without it the stream starts now. ' +
  'A `ready` frame (id = the seq caught up to) ends the replay; a `resync` frame says the seq cannot be replayed: reload the snapshot. ' +
  'A comment line every 15 s keeps the connection alive. 429 when the hall has too many streams open.';

const STREAM_ROUTES: readonly HallStreamRouteSpec[] = [
  {
    name: 'displayEvents',
    path: EVENT_STREAM_PATHS.display,
    auth: RouteAuth.Display,
    summary: "The hall's events as Server-Sent Events (text/event-stream; id = hall event seq; Last-Event-ID replay)",
    description: STREAM_DESCRIPTION,
    security: [{ displayToken: [] }],
  },
  {
    name: 'counterEvents',
    path: EVENT_STREAM_PATHS.counter,
    auth: RouteAuth.Staff,
    summary: "The hall's events for counter consoles as Server-Sent Events (text/event-stream; Last-Event-ID replay)",
    description: STREAM_DESCRIPTION,
    security: [{ staffSession: [] }, { staffToken: [] }],
  },
];

/**
 * The two live streams, registered outside the contracts (their answer is a stream, not JSON)
 * but authenticated the same way, before anything is written: a display token, or a member of
 * staff. The principal's hall is the only hall the stream carries.
 */
export function registerEventStreamRoutes(app: FastifyInstance): void {
  for (const spec of STREAM_ROUTES) registerHallStreamRoute(app, spec);
}
