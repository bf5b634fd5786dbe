import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { EVENT_STREAM_PATHS, EventStreamQuery, LastEventId } from '../../common/contract/display-api.js';
import { PortalErrorCode } from '../../common/contract/errors.js';
import { RouteAuth } from '../../common/contract/route-spec.js';
import { authenticateRequest } from '../http/contract-routes.js';
import { PortalError, badRequestFromZod } from '../http/portal-error.js';
import { openEventStream, type EventStream } from '../realtime/event-stream.js';
import { HubFull } from '../realtime/hall-event-hub.js';
import { DropReason } from '../realtime/hall-event-sink.js';

/** The wire, for the OpenAPI document (the frames are described in portal/realtime/sse-frames.ts). */
const STREAM_DESCRIPTION =
  'Answers `200 text/event-stream`. Each hall event is one frame: `id: <seq>`, `event: <kind>`, `data: <HallEventEnvelope JSON>`. ' +
  'Send `Last-Event-ID: <seq>` (or `?lastEventId=<seq>`) to get the events after it first; without it the stream starts now. ' +
  'A `ready` frame (id = the seq caught up to) ends the replay; a `resync` frame says the seq cannot be replayed: reload the snapshot. ' +
  'A comment line every 15 s keeps the connection alive. 429 when the hall has too many streams open.';

/** How long a client refused for want of room should wait before trying again. */
const FULL_RETRY_AFTER_S = 30;

interface StreamRouteSpec {
  name: string;
  path: string;
  auth: RouteAuth.Display | RouteAuth.Staff;
  summary: string;
  security: { [scheme: string]: string[] }[];
}

const STREAM_ROUTES: readonly StreamRouteSpec[] = [
  {
    name: 'displayEvents',
    path: EVENT_STREAM_PATHS.display,
    auth: RouteAuth.Display,
    summary: "The hall's events as Server-Sent Events (text/event-stream; id = hall event seq; Last-Event-ID replay)",
    security: [{ displayToken: [] }],
  },
  {
    name: 'counterEvents',
    path: EVENT_STREAM_PATHS.counter,
    auth: RouteAuth.Staff,
    summary: "The hall's events for counter consoles as Server-Sent Events (text/event-stream; Last-Event-ID replay)",
    security: [{ staffSession: [] }, { staffToken: [] }],
  },
];

/** `Last-Event-ID` (the header wins), else the `lastEventId` query parameter, else null. */
function lastEventIdOf(request: FastifyRequest, query: { lastEventId?: number | undefined }): number | null {
  const header = request.headers['last-event-id'];
  if (typeof header === 'string' && header.trim() !== '') {
    const parsed = LastEventId.safeParse(header.trim());
    if (!parsed.success) throw badRequestFromZod(parsed.error, 'Last-Event-ID header');
    return parsed.data;
  }
  return query.lastEventId ?? null;
}

/**
 * The two live streams, registered outside the contracts (their answer is a stream, not JSON)
 * but authenticated the same way, before anything is written: a display token, or a member of
 * staff. The principal's hall is the only hall the stream carries.
 */
export function registerEventStreamRoutes(app: FastifyInstance): void {
  const hub = app.portal.hallEvents;
  const open = new Set<EventStream>();
  // Fastify's close waits for open responses: end the streams first (clients reconnect elsewhere).
  app.addHook('preClose', async () => {
    for (const stream of [...open]) stream.close(DropReason.ShuttingDown);
  });

  for (const spec of STREAM_ROUTES) {
    app.route({
      method: 'GET',
      url: spec.path,
      schema: {
        operationId: spec.name,
        summary: spec.summary,
        description: STREAM_DESCRIPTION,
        tags: ['events'],
        security: spec.security,
        querystring: EventStreamQuery,
      },
      onRequest: async (request: FastifyRequest) => {
        await authenticateRequest(app, request, spec.auth, { routeName: spec.name });
      },
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        const principal = request.principal;
        if (!principal || request.principalKey === null) throw new PortalError(PortalErrorCode.Unauthorized, 'not authenticated');
        const lastEventId = lastEventIdOf(request, request.query as { lastEventId?: number });
        try {
          hub.admit(principal.hallId);
        } catch (err) {
          if (!(err instanceof HubFull)) throw err;
          throw new PortalError(PortalErrorCode.RateLimited, 'too many live streams for this hall; try again later', {
            headers: { 'retry-after': String(FULL_RETRY_AFTER_S) },
          });
        }
        let subscription: { close(): void } | null = null;
        const stream = openEventStream(reply, {
          heartbeatMs: hub.heartbeatMs,
          onEnd: () => {
            open.delete(stream);
            subscription?.close();
          },
        });
        open.add(stream);
        subscription = hub.subscribe({ hallId: principal.hallId, principalKey: request.principalKey, sink: stream, lastEventId });
        // The client may have gone while we subscribed.
        if (stream.ended) subscription.close();
        return reply;
      },
    });
  }
}
