import type { z } from 'zod';
import { PortalErrorBody, PortalErrorCode } from '../../../../common/contract/errors.js';
import type { RouteSpec } from '../../../../common/contract/route-spec.js';
import { ClientErrorCode, isPortalErrorCode, PortalCallError } from './ui-error.js';

type ParamsPart<S extends RouteSpec> = S extends { params: infer P extends z.ZodObject } ? { params: z.input<P> } : { params?: undefined };
type QueryPart<S extends RouteSpec> = S extends { query: infer Q extends z.ZodObject } ? { query?: z.input<Q> } : { query?: undefined };
type BodyPart<S extends RouteSpec> = [S['request']] extends [null]
  ? { body?: undefined }
  : S['request'] extends z.ZodType
    ? { body: z.input<S['request']> }
    : // A route built by a helper that types its schema loosely: checked at run time only.
      { body?: unknown };

/** What one call of a route takes: its path parameters, query and body, typed by the contract. */
export type CallInput<S extends RouteSpec> = ParamsPart<S> & QueryPart<S> & BodyPart<S>;
export type CallOutput<S extends RouteSpec> = z.output<S['response']>;

export interface PortalClientOptions {
  /** The portal's root (`/` of the pages' origin): every contract path is resolved against it. */
  baseUrl: string | URL;
  fetch?: typeof fetch;
  /** The session's CSRF token, sent as `X-CSRF-Token` on every write; null before sign-in. */
  csrfToken?: () => string | null;
  /** A bearer token (the display's); null for cookie-authenticated pages. */
  bearerToken?: () => string | null;
}

export interface PortalClient {
  /** Calls a contract route; the answer is parsed with the route's own response schema. */
  call<S extends RouteSpec>(spec: S, input: CallInput<S>): Promise<CallOutput<S>>;
  /** The URL of a contract path on this portal (for event streams). */
  url(path: string): string;
}

/** `/v1/counter/tickets/{ticketId}/start` with `{ ticketId }` filled in, each value URL-encoded. */
export function fillPath(path: string, params: Record<string, unknown> | undefined): string {
  return path.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null) throw new PortalCallError(PortalErrorCode.BadRequest, null, `missing path parameter ${name}`);
    return encodeURIComponent(String(value));
  });
}

/** The code of a failed answer: the portal's `{ code, message }`, or one read from the status. */
function failureOf(status: number, body: unknown): PortalCallError {
  const parsed = PortalErrorBody.safeParse(body);
  if (parsed.success) return new PortalCallError(parsed.data.code, status, parsed.data.message);
  // A code this page does not know yet (a newer portal): keep the status' meaning.
  const code = (body as { code?: unknown } | null)?.code;
  if (isPortalErrorCode(code)) return new PortalCallError(code, status, 'error');
  const byStatus =
    status === 401 ? PortalErrorCode.Unauthorized
    : status === 404 ? PortalErrorCode.NotFound
    : status === 409 ? PortalErrorCode.Conflict
    : status === 429 ? PortalErrorCode.RateLimited
    : status === 503 ? PortalErrorCode.ServiceUnavailable
    : status >= 400 && status < 500 ? PortalErrorCode.BadRequest
    : PortalErrorCode.Internal;
  return new PortalCallError(byStatus, status, `HTTP ${status}`);
}

/**
 * The pages' HTTP client of the portal: contract routes only, requests checked with the route's
 * schema before they leave, answers parsed with it when they come back, failures turned into
 * coded errors the page translates. Cookies go with every request (same origin), so the page
 * never handles the session id itself.
 */
export function createPortalClient(options: PortalClientOptions): PortalClient {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const url = (path: string) => new URL(path.replace(/^\//, ''), options.baseUrl).href;

  return {
    url,
    async call(spec, input) {
      const { params, query, body } = input as { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown };
      let target = url(fillPath(spec.path, params));
      if (query) {
        const search = new URLSearchParams();
        for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null) search.set(key, String(value));
        if ([...search].length > 0) target += `?${search.toString()}`;
      }
      const headers: Record<string, string> = { accept: 'application/json' };
      let payload: string | undefined;
      if (spec.request) {
        // A request the contract refuses never leaves: the clerk sees why at once.
        const checked = spec.request.safeParse(body ?? {});
        if (!checked.success) {
          throw new PortalCallError(PortalErrorCode.BadRequest, null, checked.error.issues.map((i) => i.message).join('; '));
        }
        payload = JSON.stringify(checked.data);
        headers['content-type'] = 'application/json';
      }
      if (spec.method !== 'get') {
        const csrf = options.csrfToken?.();
        if (csrf) headers['x-csrf-token'] = csrf;
      }
      const bearer = options.bearerToken?.();
      if (bearer) headers.authorization = `Bearer ${bearer}`;

      let response: Response;
      try {
        response = await doFetch(target, {
          method: spec.method.toUpperCase(),
          headers,
          credentials: 'same-origin',
          cache: 'no-store',
          ...(payload !== undefined ? { body: payload } : {}),
        });
      } catch (err) {
        throw new PortalCallError(ClientErrorCode.Network, null, err instanceof Error ? err.message : String(err), { cause: err });
      }
      const text = await response.text().catch(() => '');
      let json: unknown;
      try {
        json = text.length > 0 ? JSON.parse(text) : null;
      } catch {
        json = null;
      }
      if (!response.ok) throw failureOf(response.status, json);
      const parsed = spec.response.safeParse(json);
      if (!parsed.success) {
        throw new PortalCallError(ClientErrorCode.BadAnswer, response.status, `answer of ${spec.path} does not match the contract`);
      }
      return parsed.data as CallOutput<typeof spec>;
    },
  };
}
