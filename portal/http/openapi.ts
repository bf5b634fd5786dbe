import { z } from 'zod';
import { PortalErrorBody } from '../../common/contract/errors.js';
import { PullQuery, RouteAuth, TicketIdParam, syncRoutes, type RouteSpec } from '../../common/contract/sync-api.js';

type JsonObject = Record<string, unknown>;

const SECURITY_SCHEME: Readonly<Record<RouteAuth, string | null>> = {
  [RouteAuth.Kiosk]: 'kioskToken',
  [RouteAuth.Staff]: 'staffToken',
  [RouteAuth.None]: null,
};

/** JSON Schema 2020-12 is OpenAPI 3.1's own dialect; only the `$schema` marker is dropped. */
function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonObject;
  return rest;
}

/** Path parameter schemas: known ones from the contract, anything else a plain string. */
const PARAM_SCHEMAS: Readonly<Record<string, z.ZodType>> = TicketIdParam.shape;

function pathParameters(path: string): JsonObject[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map(([, name = '']) => ({
    name,
    in: 'path',
    required: true,
    schema: schemaOf(PARAM_SCHEMAS[name] ?? z.string(), 'input'),
  }));
}

/**
 * Query parameters by route path. RouteSpec has no field for them, so the few routes that take
 * one are listed here with the contract schema the handler parses them with.
 */
const QUERY_SCHEMAS: Readonly<Record<string, z.ZodObject>> = {
  [syncRoutes.pull.path]: PullQuery,
};

function queryParameters(path: string): JsonObject[] {
  const query = QUERY_SCHEMAS[path];
  if (!query) return [];
  return Object.entries(query.shape).map(([name, schema]) => ({
    name,
    in: 'query',
    required: !(schema as z.ZodType).safeParse(undefined).success,
    schema: schemaOf(schema as z.ZodType, 'input'),
  }));
}

const ERROR_RESPONSES: Readonly<Record<string, string>> = {
  '400': 'Bad request: the body or a parameter does not match its schema (or a pull cursor is malformed)',
  '401': 'Missing, unknown or revoked bearer token',
  '404': 'Unknown ticket or service',
  '409': 'Invalid status transition, numbers exhausted, a conflicting request, or already-waiting (one waiting ticket per citizen and service)',
  '500': 'Internal error (no details are sent)',
};

function operation(name: string, route: RouteSpec): JsonObject {
  const errorRef = { $ref: '#/components/schemas/PortalErrorBody' };
  const responses: JsonObject = {
    '200': { description: 'OK', content: { 'application/json': { schema: schemaOf(route.response, 'output') } } },
  };
  for (const [status, description] of Object.entries(ERROR_RESPONSES)) {
    responses[status] = { description, content: { 'application/json': { schema: errorRef } } };
  }
  const scheme = SECURITY_SCHEME[route.auth];
  const op: JsonObject = {
    operationId: name,
    summary: route.summary,
    security: scheme ? [{ [scheme]: [] }] : [],
    responses,
  };
  const parameters = [...pathParameters(route.path), ...queryParameters(route.path)];
  if (parameters.length > 0) op.parameters = parameters;
  if (route.request) {
    op.requestBody = {
      required: true,
      content: { 'application/json': { schema: schemaOf(route.request, 'input') } },
    };
  }
  return op;
}

/** The OpenAPI 3.1 document of the portal API, generated from the same zod schemas it enforces. */
export function buildOpenApiDocument(routes: Readonly<Record<string, RouteSpec>> = syncRoutes): JsonObject {
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const [name, route] of Object.entries(routes)) {
    paths[route.path] ??= {};
    const item = paths[route.path];
    if (item) item[route.method] = operation(name, route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Hall Kiosk portal: hall queue sync API',
      version: '1',
      description:
        'Kiosks push outbox events, allocate numbers, lease number bands and pull catalog, bands and appointments; ' +
        'counters call tickets; staff book appointments. The bearer token decides the hall.',
    },
    paths,
    components: {
      schemas: { PortalErrorBody: schemaOf(PortalErrorBody, 'output') },
      securitySchemes: {
        kioskToken: { type: 'http', scheme: 'bearer', description: 'Token of one kiosk' },
        staffToken: { type: 'http', scheme: 'bearer', description: 'Token of one member of counter staff' },
      },
    },
  };
}
