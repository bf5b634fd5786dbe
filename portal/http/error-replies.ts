import http from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { PortalErrorCode, type PortalErrorBody } from '../../common/contract/errors.js';
import { isDatabaseBusy } from '../db/pool.js';
import { PortalError } from './portal-error.js';
import { createRouteMatcher, type RouteTemplate } from './route-matcher.js';

/**
 * Every error leaves the portal as `{ code, message }` and nothing else: no stack, no Fastify
 * error shape. The statuses and messages are the ones kiosks in the field already know
 * (portal/http/kiosk-wire.test.ts pins them).
 */

/** Fastify's own errors, as the portal words them. */
function fromFastifyError(err: FastifyError, request: FastifyRequest): PortalError | null {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new PortalError(PortalErrorCode.BadRequest, `body larger than ${request.routeOptions.bodyLimit} bytes`, { status: 413 });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new PortalError(PortalErrorCode.BadRequest, 'content-type header is malformed');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new PortalError(PortalErrorCode.BadRequest, 'body length does not match content-length');
    default:
      return null;
  }
}

export interface ErrorRepliesOptions {
  /** Anything that becomes a 500 (or a 503 of the database); the client only sees the code. */
  onInternalError: (err: unknown, request: FastifyRequest) => void;
  /** Runs before the 404/405 answer (the per-address rate limit: unknown paths are no free lunch). */
  notFoundPreHandler?: preHandlerAsyncHookHandler;
}

function sendPortalError(reply: FastifyReply, err: PortalError): FastifyReply {
  const body: PortalErrorBody = err.toBody();
  return reply.code(err.status).headers(err.headers).send(body);
}

/** The route templates registered so far, for telling a wrong method (405) from an unknown path (404). */
function collectRoutes(app: FastifyInstance): RouteTemplate[] {
  const routes: RouteTemplate[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, path: route.url });
  });
  return routes;
}

function closeMalformedConnection(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, message] =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'request not received in time']
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'request headers too large']
        : [400, 'malformed HTTP request'];
  const body = JSON.stringify({ code: PortalErrorCode.BadRequest, message } satisfies PortalErrorBody);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/** For Fastify's `clientErrorHandler`: malformed requests and timeouts get a coded body too. */
export const clientErrorHandler = closeMalformedConnection;

/** For Fastify's `frameworkErrors`: URLs the router cannot even decode. */
export function frameworkErrorHandler(err: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const message = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'invalid path: a parameter is too long' : 'invalid path: malformed percent-encoding';
  // No route, so no onSend hooks: the header the others get from there.
  void sendPortalError(reply.header('cache-control', 'no-store'), new PortalError(PortalErrorCode.BadRequest, message));
}

/**
 * The error handler, 404 and 405 of the whole app. Install before any route so `collectRoutes`
 * sees them all; domain plugins inherit both.
 */
export function installErrorReplies(app: FastifyInstance, options: ErrorRepliesOptions): void {
  const routes = collectRoutes(app);
  let match: ReturnType<typeof createRouteMatcher<string>> | null = null;
  let matchedCount = -1;

  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof PortalError) return sendPortalError(reply, err);
    const framework = fromFastifyError(err, request);
    if (framework) return sendPortalError(reply, framework);
    if (err.statusCode === 429) {
      return sendPortalError(reply, new PortalError(PortalErrorCode.RateLimited, err.message));
    }
    options.onInternalError(err, request);
    if (isDatabaseBusy(err)) {
      return sendPortalError(reply, new PortalError(PortalErrorCode.ServiceUnavailable, 'database busy; try again shortly'));
    }
    return sendPortalError(reply, new PortalError(PortalErrorCode.Internal, 'internal error'));
  });

  const notFoundOptions = options.notFoundPreHandler ? { preHandler: options.notFoundPreHandler } : {};
  app.setNotFoundHandler(notFoundOptions, (request, reply) => {
    if (matchedCount !== routes.length) {
      const byKey = Object.fromEntries(routes.map((r, i) => [String(i), r]));
      match = createRouteMatcher<string>(byKey);
      matchedCount = routes.length;
    }
    const pathname = new URL(request.url, 'http://portal.invalid').pathname;
    const found = match?.(request.method, pathname);
    if (found?.kind === 'method-not-allowed') {
      const allowed = [...new Set(found.allowed)];
      const err = new PortalError(PortalErrorCode.BadRequest, `${request.method} not allowed on ${pathname}`, {
        status: 405,
        headers: { allow: allowed.join(', ') },
      });
      return sendPortalError(reply, err);
    }
    return sendPortalError(reply, new PortalError(PortalErrorCode.NotFound, `no route ${request.method} ${pathname}`));
  });
}
