import http from 'node:http';
import type pg from 'pg';
import { PortalErrorCode, type PortalErrorBody } from '../common/contract/errors.js';
import { RouteAuth, syncRoutes, type RouteSpec } from '../common/contract/sync-api.js';
import { authenticateKiosk, authenticateStaff, bearerToken } from './auth/principals.js';
import { buildOpenApiDocument } from './http/openapi.js';
import { PortalError, badRequestFromZod } from './http/portal-error.js';
import { readJsonBody } from './http/read-json-body.js';
import { createRouteHandlers, type RouteCall, type RouteName } from './http/route-handlers.js';
import { createRouteMatcher } from './http/route-matcher.js';

export interface PortalServerOptions {
  pool: pg.Pool;
  /** The portal's clock: business days and `serverTime`. Database timestamps use the database clock. */
  clock?: () => Date;
  /** Errors that become a 500; default console.error. The client only ever sees `internal`. */
  onInternalError?: (err: unknown) => void;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...JSON_HEADERS, 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

function sendError(res: http.ServerResponse, err: PortalError, headers: Record<string, string> = {}): void {
  const body: PortalErrorBody = err.toBody();
  send(res, err.status, body, headers);
}

async function authenticate(pool: pg.Pool, auth: RouteAuth, header: string | undefined) {
  if (auth === RouteAuth.None) return null;
  const token = bearerToken(header);
  const principal = token === null ? null : auth === RouteAuth.Kiosk ? await authenticateKiosk(pool, token) : await authenticateStaff(pool, token);
  if (!principal) {
    throw new PortalError(PortalErrorCode.Unauthorized, token === null ? 'bearer token required' : 'unknown or revoked token');
  }
  return principal;
}

/**
 * The portal's HTTP server (node:http, no framework). Routing, request parsing and response
 * checking are driven by `syncRoutes`, so the contract, the OpenAPI document and the behaviour
 * cannot drift apart. Errors leave as `{ code, message }` only.
 */
export function createPortalServer(options: PortalServerOptions): http.Server {
  const { pool } = options;
  const clock = options.clock ?? (() => new Date());
  const onInternalError = options.onInternalError ?? ((err: unknown) => console.error('portal: internal error:', err));
  const handlers = createRouteHandlers(pool);
  const match = createRouteMatcher<RouteName>(syncRoutes);
  const openApiDocument = buildOpenApiDocument();

  async function serveRoute(
    name: RouteName,
    req: http.IncomingMessage,
    params: Record<string, string>,
    query: Record<string, string>,
  ): Promise<unknown> {
    const route: RouteSpec = syncRoutes[name];
    const principal = await authenticate(pool, route.auth, req.headers.authorization);
    let body: unknown;
    if (route.request) {
      const parsed = route.request.safeParse(await readJsonBody(req));
      if (!parsed.success) throw badRequestFromZod(parsed.error, 'request body');
      body = parsed.data;
    } else {
      req.resume();
    }
    // The one place where the route name and its types meet at run time: the body was parsed by
    // this route's schema and the principal found for this route's auth, so the call fits.
    const handler = handlers[name] as (call: RouteCall<RouteName>) => Promise<unknown>;
    const result = await handler({ body, params, query, principal, now: clock() } as RouteCall<RouteName>);
    const checked = route.response.safeParse(result);
    if (!checked.success) throw new Error(`response of ${name} broke its schema: ${checked.error.message}`);
    return checked.data;
  }

  async function serveHealth(res: http.ServerResponse): Promise<void> {
    try {
      await pool.query('SELECT 1');
      send(res, 200, { status: 'ok' });
    } catch (err) {
      onInternalError(err);
      sendError(res, new PortalError(PortalErrorCode.Internal, 'database unavailable', { status: 503 }));
    }
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://portal.invalid');
    const pathname = url.pathname;
    if (method === 'GET' && pathname === '/healthz') return serveHealth(res);
    if (method === 'GET' && pathname === '/openapi.json') return send(res, 200, openApiDocument);
    const found = match(method, pathname);
    if (found.kind === 'not-found') {
      return sendError(res, new PortalError(PortalErrorCode.NotFound, `no route ${method} ${pathname}`));
    }
    if (found.kind === 'method-not-allowed') {
      const err = new PortalError(PortalErrorCode.BadRequest, `${method} not allowed on ${pathname}`, { status: 405 });
      return sendError(res, err, { allow: found.allowed.join(', ') });
    }
    // A repeated query parameter keeps its last value; the route's schema checks the rest.
    send(res, 200, await serveRoute(found.name, req, found.params, Object.fromEntries(url.searchParams)));
  }

  return http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof PortalError) {
        sendError(res, err);
        return;
      }
      onInternalError(err);
      sendError(res, new PortalError(PortalErrorCode.Internal, 'internal error'));
    });
  });
}
