import type { z } from 'zod';

/**
 * The portal's HTTP API as the end-to-end tests call it from outside (a clerk's machine client,
 * a citizen's phone without the page): JSON in, JSON out, parsed with the route's contract schema.
 */
export interface PortalCall {
  token?: string;
  body?: unknown;
}

/** Calls `method route` on the portal; anything but a 2xx answer throws with the portal's `{code, message}`. */
export async function callPortal<S extends z.ZodType>(
  baseUrl: string,
  schema: S,
  method: 'GET' | 'POST',
  route: string,
  call: PortalCall = {},
): Promise<z.infer<S>> {
  const headers: Record<string, string> = {};
  if (call.token !== undefined) headers.authorization = `Bearer ${call.token}`;
  // No body, no content type: Fastify refuses an empty body announced as JSON.
  if (call.body !== undefined) headers['content-type'] = 'application/json';
  const answer = await fetch(`${baseUrl}${route}`, {
    method,
    headers,
    ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
  });
  const text = await answer.text();
  if (!answer.ok) throw new Error(`${method} ${route}: ${answer.status} ${text}`);
  return schema.parse(JSON.parse(text));
}
