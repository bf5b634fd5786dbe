import type { FastifyInstance, FastifySchemaCompiler } from 'fastify';
import type { z } from 'zod';
import { PortalErrorCode } from '../../common/contract/errors.js';
import { PortalError, badRequestFromZod } from './portal-error.js';

/**
 * Request bodies and parameters the way the portal always read them, so kiosks in the field get
 * the same answers byte for byte:
 * - the body is JSON whatever the Content-Type says (or whether there is one); Fastify only
 *   collects it, within the route's body limit, and the route's validator parses it;
 * - an empty body is `undefined` to the schema; bad JSON is `400 body is not valid JSON`;
 * - a schema failure is `400 invalid request body|query|path: <first issues>`;
 * - a repeated query parameter keeps its last value.
 */

const WHAT: Readonly<Record<string, string>> = { body: 'request body', querystring: 'query', params: 'path', headers: 'headers' };

function parseBodyText(data: unknown): unknown {
  // Fastify hands the validator `null` when a request had no body at all, else our parser's text.
  if (data === null || data === undefined || data === '') return undefined;
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    throw new PortalError(PortalErrorCode.BadRequest, 'body is not valid JSON');
  }
}

const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> = ({ schema, httpPart }) => {
  const what = WHAT[httpPart ?? ''] ?? String(httpPart);
  return (data: unknown) => {
    try {
      const input = httpPart === 'body' ? parseBodyText(data) : data;
      const parsed = schema.safeParse(input);
      if (!parsed.success) return { error: badRequestFromZod(parsed.error, what) };
      return { value: parsed.data };
    } catch (err) {
      return { error: err instanceof Error ? err : new Error(String(err)) };
    }
  };
};

/** `a=1&a=2` -> `{ a: '2' }`, as `Object.fromEntries(URLSearchParams)` always gave the handlers. */
export function lastValueQueryString(text: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(text));
}

export function installJsonBodies(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  app.setValidatorCompiler(zodValidatorCompiler);
}
