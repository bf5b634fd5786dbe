import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counterRoutes } from '../../common/contract/counter-api.js';
import { RouteAuth, type RouteSpec } from '../../common/contract/route-spec.js';
import { syncRoutes } from '../../common/contract/sync-api.js';
import { createPortalPool } from '../db/pool.js';
import { buildPortalApp } from './build-portal-app.js';
import { ERROR_RESPONSES } from './openapi.js';

interface Operation {
  operationId: string;
  security: Record<string, unknown>[];
  parameters?: { name: string; in: string; required: boolean; schema: { format?: string; type?: string } }[];
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, { content: Record<string, { schema: Record<string, unknown> }> }>;
}

type Document = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, { type: string; scheme: string }>; schemas: Record<string, unknown> };
};

// The document needs the routes, not the database: a pool that never connects will do.
const pool = createPortalPool('postgres://nobody@127.0.0.1:1/none', { onIdleError: () => undefined });
let doc: Document;

beforeAll(async () => {
  const app = await buildPortalApp({ pool, logLevel: 'silent' });
  await app.ready();
  doc = app.swagger() as unknown as Document;
  await app.close();
});

afterAll(async () => {
  await pool.end();
});

describe('the OpenAPI document at /openapi.json', () => {
  it('describes every route with its method, auth, body and responses', () => {
    expect(doc.openapi).toBe('3.1.0');
    for (const [name, route] of Object.entries(syncRoutes)) {
      const op = doc.paths[route.path]?.[route.method];
      expect(op?.operationId, name).toBe(name);
      // A staff route takes either the session cookie of a person or a staff API key.
      expect(op?.security).toEqual(route.auth === RouteAuth.Kiosk ? [{ kioskToken: [] }] : [{ staffSession: [] }, { staffToken: [] }]);
      expect(op?.requestBody !== undefined).toBe(route.request !== null);
      expect(Object.keys(op?.responses ?? {}).sort()).toEqual(['200', ...Object.keys(ERROR_RESPONSES)].sort());
      expect(op?.responses['401']?.content['application/json']?.schema).toEqual({ $ref: '#/components/schemas/PortalErrorBody' });
    }
    expect(doc.components.securitySchemes.kioskToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    // Other domains (staff, display, counter) add their own paths beside these.
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([...new Set(Object.values(syncRoutes).map((r) => r.path))]));
  });

  it('takes path and query parameters from the contract’s params and query schemas', () => {
    const routes: Record<string, RouteSpec> = { ...syncRoutes, ...counterRoutes };
    for (const [name, route] of Object.entries(routes)) {
      const op = doc.paths[route.path]?.[route.method];
      const expected = [
        ...Object.keys(route.params?.shape ?? {}).map((n) => ({ name: n, in: 'path', required: true })),
        ...Object.keys(route.query?.shape ?? {}).map((n) => ({ name: n, in: 'query', required: false })),
      ];
      expect(op?.parameters?.map(({ name: n, in: where, required }) => ({ name: n, in: where, required })) ?? [], name).toEqual(expected);
    }
    expect(doc.components.schemas.PortalErrorBody).toMatchObject({ required: ['code', 'message'] });
  });

  it('takes the schemas from the zod contract', () => {
    const push = doc.paths['/v1/kiosk/events']?.post;
    const body = push?.requestBody?.content['application/json']?.schema as { properties: Record<string, unknown>; $schema?: string };
    expect(Object.keys(body.properties).sort()).toEqual(['dbEpoch', 'events']);
    expect(body.$schema).toBeUndefined();
    const complete = doc.paths['/v1/counter/tickets/{ticketId}/complete']?.post;
    expect(complete?.parameters).toEqual([
      { name: 'ticketId', in: 'path', required: true, schema: expect.objectContaining({ format: 'uuid' }) as unknown },
    ]);
  });

  it('lists the issue 3 routes: bands, pull with its cursor query parameter, appointments', () => {
    const bands = doc.paths['/v1/kiosk/bands']?.post;
    expect(bands?.operationId).toBe('leaseBand');
    const bandBody = bands?.requestBody?.content['application/json']?.schema as { properties: Record<string, unknown> };
    expect(Object.keys(bandBody.properties).sort()).toEqual(['businessDay', 'leaseId', 'serviceId', 'size']);

    const pull = doc.paths['/v1/kiosk/pull']?.get;
    expect(pull?.operationId).toBe('pull');
    expect(pull?.requestBody).toBeUndefined();
    expect(pull?.parameters).toEqual([
      { name: 'cursor', in: 'query', required: false, schema: expect.objectContaining({ type: 'string', maxLength: 200 }) as unknown },
    ]);
    const pulled = pull?.responses['200']?.content['application/json']?.schema as { properties: Record<string, unknown> };
    expect(Object.keys(pulled.properties).sort()).toEqual(['appointments', 'bands', 'catalog', 'certificateKeys', 'citizenKey', 'cursor', 'kiosk', 'serverTime', 'settings']);

    const appointments = doc.paths['/v1/hall/appointments']?.post;
    expect(appointments?.operationId).toBe('createAppointment');
    expect(appointments?.security).toEqual([{ staffSession: [] }, { staffToken: [] }]);
  });
});
