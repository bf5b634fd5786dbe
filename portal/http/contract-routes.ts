import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { PortalErrorCode } from '../../common/contract/errors.js';
import { RouteAuth, StaffRole, roleAtLeast, type RouteSpec } from '../../common/contract/route-spec.js';
import { CSRF_HEADER, SESSION_COOKIE } from '../../common/contract/staff-api.js';
import { bearerToken, type DisplayPrincipal, type KioskPrincipal, type StaffPrincipal } from '../auth/principals.js';
import { fromOwnOrigin } from '../auth/same-origin.js';
import { csrfTokenMatches, type StaffSession } from '../auth/staff-sessions.js';
import { recordAudit } from '../staff/audit.js';
import type { Principal } from './authenticate.js';
import { PortalError } from './portal-error.js';

type BodyOf<S extends RouteSpec> = S['request'] extends z.ZodType ? z.output<S['request']> : undefined;
type ParamsOf<S extends RouteSpec> = S extends { params: infer P extends z.ZodObject } ? z.output<P> : Record<string, never>;
type QueryOf<S extends RouteSpec> = S extends { query: infer Q extends z.ZodObject } ? z.output<Q> : Record<string, never>;

/** The caller a route of this auth gets. */
export type PrincipalFor<A extends RouteAuth> = A extends RouteAuth.Kiosk
  ? KioskPrincipal
  : A extends RouteAuth.Staff
    ? StaffPrincipal
    : A extends RouteAuth.Display
      ? DisplayPrincipal
      : null;
type PrincipalOf<S extends RouteSpec> = PrincipalFor<S['auth']>;

/** What a handler gets: body, path and query parameters parsed by the route's schemas, the caller, the portal's "now". */
export interface ContractCall<S extends RouteSpec> {
  body: BodyOf<S>;
  params: ParamsOf<S>;
  query: QueryOf<S>;
  principal: PrincipalOf<S>;
  now: Date;
  /**
   * The request and reply themselves, for the few handlers that deal in more than JSON (sign-in
   * sets a cookie, and needs the client's address and origin). Everything else stays out of them.
   */
  request: FastifyRequest;
  reply: FastifyReply;
}

/** One handler per route of a contract; the type makes a missing or extra route a compile error. */
export type ContractHandlers<R extends Record<string, RouteSpec>> = {
  [K in keyof R]: (call: ContractCall<R[K]>) => Promise<z.input<R[K]['response']>>;
};

export interface ContractRoutesOptions<R extends Record<string, RouteSpec>> {
  /** Body limits by route name; the others get the app's default (`limits.bodyLimitBytes`). */
  bodyLimits?: Partial<Record<keyof R, number>>;
  /** OpenAPI tags of these routes. */
  tags?: string[];
  /** Requests per rate-limit window by route name, each route its own budget per caller; the others share the app's default. */
  rateLimits?: Partial<Record<keyof R, number>>;
}

const SECURITY: Readonly<Record<RouteAuth, { [scheme: string]: string[] }[]>> = {
  [RouteAuth.Kiosk]: [{ kioskToken: [] }],
  // Either one: the session cookie of a person, or a staff API key.
  [RouteAuth.Staff]: [{ staffSession: [] }, { staffToken: [] }],
  [RouteAuth.Display]: [{ displayToken: [] }],
  [RouteAuth.None]: [],
};

/** `/v1/counter/tickets/{ticketId}/complete` -> `/v1/counter/tickets/:ticketId/complete`. */
export function fastifyPath(openApiPath: string): string {
  return openApiPath.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, ':$1');
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const sessions = new WeakMap<FastifyRequest, StaffSession>();

/** The session a request was authenticated with (null for a bearer token or no auth). */
export function sessionOf(request: FastifyRequest): StaffSession | null {
  return sessions.get(request) ?? null;
}

export interface AuthenticateRequestOptions {
  /** For `RouteAuth.Staff`: the least role allowed (default clerk: anyone signed in). */
  minRole?: StaffRole;
  /** For the audit line of a refusal: the route's name (default `METHOD path`). */
  routeName?: string;
}

/** Audits a refused staff request; a failure to write the line is logged, never the answer. */
function auditRefusal(
  app: FastifyInstance,
  request: FastifyRequest,
  principal: StaffPrincipal,
  entry: { action: string; target: string; detail: Record<string, unknown> },
): Promise<void> {
  const { action, target, detail } = entry;
  return recordAudit(app.portal.pool, {
    hallId: principal.hallId,
    actor: { kind: 'staff', id: principal.staffId },
    action,
    target,
    detail: { ...detail, via: principal.via, address: request.ip },
    outcome: 'refused',
  }).catch((err: unknown) => request.log.warn({ err }, 'audit of a refused request failed'));
}

/**
 * Who is calling, by the route's auth mode; sets `request.principal` (and the rate limit key) and
 * returns it, or throws a coded error (401, 403 `forbidden` / `csrf`, 429, 503).
 * - `kiosk`, `display`: a bearer token of that kind.
 * - `staff`: a staff API key as a bearer token; or, without one, the `hk_session` cookie of a
 *   signed-in person, and then every request that is not GET must also carry the session's CSRF
 *   token (`X-CSRF-Token`) and come from the portal's own origin (Origin, or Referer).
 *   `minRole` is checked either way (403 `forbidden`).
 * - `none`: null.
 * The contract routes call it first thing (onRequest); a route outside the contracts (the SSE
 * streams) calls it the same way, before it writes anything.
 */
export async function authenticateRequest<A extends RouteAuth>(
  app: FastifyInstance,
  request: FastifyRequest,
  auth: A,
  options: AuthenticateRequestOptions = {},
): Promise<PrincipalFor<A>> {
  if (auth === RouteAuth.None) return null as PrincipalFor<A>;
  const { authenticator } = app.portal;
  const target = options.routeName ?? `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`;
  let principal: Principal;
  let key: string;
  if (auth === RouteAuth.Staff && bearerToken(request.headers.authorization) === null) {
    const found = await authenticator.authenticateSession(request.cookies[SESSION_COOKIE], request.ip);
    if (!SAFE_METHODS.has(request.method)) {
      const header = request.headers[CSRF_HEADER];
      const csrfOk = csrfTokenMatches(typeof header === 'string' ? header : undefined, found.session.csrfToken);
      const originOk = fromOwnOrigin({
        protocol: request.protocol,
        host: request.host,
        origin: request.headers.origin,
        referer: request.headers.referer,
      });
      if (!csrfOk || !originOk) {
        const reason = !csrfOk ? 'csrf token missing or wrong' : 'request from another origin';
        await auditRefusal(app, request, found.principal, { action: 'access.csrf', target, detail: { reason } });
        throw new PortalError(
          PortalErrorCode.Csrf,
          `${reason}: a write with the session cookie needs the session's ${CSRF_HEADER} header, from the portal's own page`,
        );
      }
    }
    sessions.set(request, found.session);
    principal = found.principal;
    key = found.key;
  } else {
    ({ principal, key } = await authenticator.authenticate(auth, request.headers.authorization, request.ip));
  }
  request.principal = principal;
  request.principalKey = key;
  if (auth === RouteAuth.Staff && options.minRole !== undefined) {
    const staff = principal as StaffPrincipal;
    if (!roleAtLeast(staff.role, options.minRole)) {
      const detail = { role: staff.role, minRole: options.minRole };
      await auditRefusal(app, request, staff, { action: 'access.forbidden', target, detail });
      throw new PortalError(PortalErrorCode.Forbidden, `this needs the ${options.minRole} role or higher; you are ${staff.role}`);
    }
  }
  return principal as PrincipalFor<A>;
}

/**
 * Registers every route of a contract (`syncRoutes`, or a later domain's own) on `app`: method,
 * path, body/params/query schemas, response schema, auth and body limit all come from the
 * contract, so the contract, the OpenAPI document and the behaviour cannot drift apart. Auth runs
 * first (onRequest), before the body is even read; the response is checked against its schema.
 */
export function registerContractRoutes<R extends Record<string, RouteSpec>>(
  app: FastifyInstance,
  routes: R,
  handlers: ContractHandlers<R>,
  options: ContractRoutesOptions<R> = {},
): void {
  for (const [name, spec] of Object.entries(routes) as [keyof R & string, RouteSpec][]) {
    const handler = handlers[name] as (call: ContractCall<RouteSpec>) => Promise<unknown>;
    const auth = spec.auth;
    const bodyLimit = options.bodyLimits?.[name];
    const rateLimit = options.rateLimits?.[name];
    app.route({
      method: spec.method.toUpperCase() as 'GET' | 'POST' | 'PUT' | 'DELETE',
      url: fastifyPath(spec.path),
      ...(bodyLimit !== undefined ? { bodyLimit } : {}),
      ...(rateLimit !== undefined ? { config: { rateLimit: { max: rateLimit } } } : {}),
      schema: {
        operationId: name,
        summary: spec.summary,
        ...(options.tags ? { tags: options.tags } : {}),
        security: SECURITY[auth],
        ...(spec.request ? { body: spec.request } : {}),
        ...(spec.params ? { params: spec.params } : {}),
        ...(spec.query ? { querystring: spec.query } : {}),
        response: { 200: spec.response },
      },
      ...(auth === RouteAuth.None
        ? {}
        : {
            onRequest: async (request: FastifyRequest) => {
              await authenticateRequest(app, request, auth, { ...(spec.minRole ? { minRole: spec.minRole } : {}), routeName: name });
            },
          }),
      handler: (request, reply) =>
        // The one place where a route's schemas and its handler meet at run time: Fastify parsed
        // body, params and query with this route's schemas and onRequest found its principal.
        handler({
          body: request.body,
          params: (spec.params ? request.params : {}) as Record<string, never>,
          query: (spec.query ? request.query : {}) as Record<string, never>,
          principal: request.principal as never,
          now: app.portal.clock(),
          request,
          reply,
        } as ContractCall<RouteSpec>),
    });
  }
}
