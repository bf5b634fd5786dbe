import { createPortalClient, type PortalClient } from '../shared/api/portal-client.js';

export interface RecordedRequest {
  method: string;
  path: string;
  search: string;
  headers: Record<string, string>;
  body: unknown;
}

/** An answer: a status and a JSON body (200 when only a body is given). */
export type FakeAnswer = { status: number; body: unknown } | { body: unknown };
export type FakeHandler = (request: RecordedRequest) => FakeAnswer | Promise<FakeAnswer>;

/**
 * The portal as the pages' tests see it: a fetch that answers `METHOD /path` from handlers and
 * records every request, behind the real PortalClient (so the contract schemas parse the answers).
 * Unknown routes answer the portal's coded 404.
 */
export function fakePortal(handlers: Record<string, FakeHandler>) {
  const requests: RecordedRequest[] = [];
  const fakeFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input));
    const headers = Object.fromEntries(Object.entries((init?.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]));
    const request: RecordedRequest = {
      method: init?.method ?? 'GET',
      path: url.pathname,
      search: url.search,
      headers,
      body: typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined,
    };
    requests.push(request);
    const handler = handlers[`${request.method} ${request.path}`];
    const answer: FakeAnswer = handler ? await handler(request) : { status: 404, body: { code: 'not-found', message: `no route ${request.path}` } };
    const status = 'status' in answer ? answer.status : 200;
    return new Response(JSON.stringify(answer.body), { status, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  return {
    requests,
    handlers,
    client: (options: { csrfToken?: () => string | null; bearerToken?: () => string | null } = {}): PortalClient =>
      createPortalClient({ baseUrl: 'http://portal.test/', fetch: fakeFetch, ...options }),
  };
}
