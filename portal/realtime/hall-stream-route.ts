import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { EventStreamQuery, LastEventId } from '../../common/contract/display-api.js';
import { PortalErrorCode } from '../../common/contract/errors.js';
import type { RouteAuth } from '../../common/contract/route-spec.js';
import { authenticateRequest } from '../http/contract-routes.js';
import { PortalError, badRequestFromZod } from '../http/portal-error.js';
import { openEventStream, type EventStream } from './event-stream.js';
import { HubFull } from './hall-event-hub.js';
import { DropReason } from './hall-event-sink.js';
import { kindFilterSink } from './kind-filter-sink.js';

/** How long a client refused for want of room should wait before trying again. */
const FULL_RETRY_AFTER_S = 30;

/** One live stream of the hall's events: who may open it, and which kinds it carries. */
export interface HallStreamRouteSpec {
  name: string;
  path: string;
  auth: RouteAuth;
  summary: string;
  description: string;
  security: { [scheme: string]: string[] }[];
  /** Only these event kinds (plus the stream's own `ready` and `resync`); every kind when absent. */
  kinds?: ReadonlySet<string>;
}

/** `Last-Event-ID` (the header wins), else the `lastEventId` query parameter, else null. */
export function lastEventIdOf(request: FastifyRequest, query: { lastEventId?: number | undefined }): number | null {
  const header = request.headers['last-event-id'];
  if (typeof header === 'string' && header.trim() !== '') {
    const parsed = LastEventId.safeParse(header.trim());
    if (!parsed.success) throw badRequestFromZod(parsed.error, 'Last-Event-ID header');
    return parsed.data;
  }
  return query.lastEventId ?? null;
}

/**
 * Registers one live stream of the hall event hub (the display's, the counter console's, the
 * kiosks'): outside the JSON contracts, since its answer is a stream, but authenticated the same
 * way before anything is written. The principal's hall is the only hall it carries; a hall with
 * too many streams open answers 429 with Retry-After.
 */
export function registerHallStreamRoute(app: FastifyInstance, spec: HallStreamRouteSpec): void {
  const hub = app.portal.hallEvents;
  const open = new Set<EventStream>();
  // Fastify's close waits for open responses: end the streams first (clients reconnect elsewhere).
  app.addHook('preClose', async () => {
    for (const stream of [...open]) stream.close(DropReason.ShuttingDown);
  });
  app.route({
    method: 'GET',
    url: spec.path,
    schema: {
      operationId: spec.name,
      summary: spec.summary,
      description: spec.description,
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
      const sink = spec.kinds ? kindFilterSink(stream, spec.kinds) : stream;
      subscription = hub.subscribe({ hallId: principal.hallId, principalKey: request.principalKey, sink, lastEventId });
      // The client may have gone while we subscribed.
      if (stream.ended) subscription.close();
      return reply;
    },
  });
}
