import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { RouteAuth, type RouteSpec } from '../../common/contract/sync-api.js';
import type { KioskPrincipal, StaffPrincipal } from '../auth/principals.js';

type BodyOf<S extends RouteSpec> = S['request'] extends z.ZodType ? z.output<S['request']> : undefined;
type ParamsOf<S extends RouteSpec> = S extends { params: infer P extends z.ZodObject } ? z.output<P> : Record<string, never>;
type QueryOf<S extends RouteSpec> = S extends { query: infer Q extends z.ZodObject } ? z.output<Q> : Record<string, never>;
type PrincipalOf<S extends RouteSpec> = S['auth'] extends RouteAuth.Kiosk
  ? KioskPrincipal
  : S['auth'] extends RouteAuth.Staff
    ? StaffPrincipal
    : null;

/** What a handler gets: body, path and query parameters parsed by the route's schemas, the caller, the portal's "now". */
export interface ContractCall<S extends RouteSpec> {
  body: BodyOf<S>;
  params: ParamsOf<S>;
  query: QueryOf<S>;
  principal: PrincipalOf<S>;
  now: Date;
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
}

const SECURITY: Readonly<Record<RouteAuth, { [scheme: string]: string[] }[]>> = {
  [RouteAuth.Kiosk]: [{ kioskToken: [] }],
  [RouteAuth.Staff]: [{ staffToken: [] }],
  [RouteAuth.None]: [],
};

/** `/v1/counter/tickets/{ticketId}/complete` -> `/v1/counter/tickets/:ticketId/complete`. */
export function fastifyPath(openApiPath: string): string {
  return openApiPath.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, ':$1');
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
    app.route({
      method: spec.method.toUpperCase() as 'GET' | 'POST',
      url: fastifyPath(spec.path),
      ...(bodyLimit !== undefined ? { bodyLimit } : {}),
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
              const { principal, key } = await app.portal.authenticator.authenticate(auth, request.headers.authorization, request.ip);
              request.principal = principal;
              request.principalKey = key;
            },
          }),
      handler: (request) =>
        // The one place where a route's schemas and its handler meet at run time: Fastify parsed
        // body, params and query with this route's schemas and onRequest found its principal.
        handler({
          body: request.body,
          params: (spec.params ? request.params : {}) as Record<string, never>,
          query: (spec.query ? request.query : {}) as Record<string, never>,
          principal: request.principal as never,
          now: app.portal.clock(),
        } as ContractCall<RouteSpec>),
    });
  }
}
