import { describe, expect, it } from 'vitest';
import { RouteAuth, syncRoutes } from '../../common/contract/sync-api.js';
import { buildOpenApiDocument } from './openapi.js';

interface Operation {
  operationId: string;
  security: Record<string, unknown>[];
  parameters?: { name: string; in: string; schema: { format?: string } }[];
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, { content: Record<string, { schema: Record<string, unknown> }> }>;
}

const doc = buildOpenApiDocument() as {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, { type: string; scheme: string }> };
};

describe('buildOpenApiDocument', () => {
  it('describes every route with its method, auth, body and responses', () => {
    expect(doc.openapi).toBe('3.1.0');
    for (const [name, route] of Object.entries(syncRoutes)) {
      const op = doc.paths[route.path]?.[route.method];
      expect(op?.operationId, name).toBe(name);
      expect(op?.security).toEqual([{ [route.auth === RouteAuth.Kiosk ? 'kioskToken' : 'staffToken']: [] }]);
      expect(op?.requestBody !== undefined).toBe(route.request !== null);
      expect(Object.keys(op?.responses ?? {}).sort()).toEqual(['200', '400', '401', '404', '409', '500']);
      expect(op?.responses['401']?.content['application/json']?.schema).toEqual({ $ref: '#/components/schemas/PortalErrorBody' });
    }
    expect(doc.components.securitySchemes.kioskToken).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('takes the schemas from the zod contract', () => {
    const push = doc.paths['/v1/kiosk/events']?.post;
    const body = push?.requestBody?.content['application/json']?.schema as { properties: Record<string, unknown>; $schema?: string };
    expect(Object.keys(body.properties).sort()).toEqual(['dbEpoch', 'events']);
    expect(body.$schema).toBeUndefined();
    const complete = doc.paths['/v1/counter/tickets/{ticketId}/complete']?.post;
    expect(complete?.parameters).toEqual([{ name: 'ticketId', in: 'path', required: true, schema: expect.objectContaining({ format: 'uuid' }) }]);
  });

  it('lists the issue 3 routes: bands, pull with its cursor query parameter, appointments', () => {
    const bands = doc.paths['/v1/kiosk/bands']?.post;
    expect(bands?.operationId).toBe('leaseBand');
    const bandBody = bands?.requestBody?.content['application/json']?.schema as { properties: Record<string, unknown> };
    expect(Object.keys(bandBody.properties).sort()).toEqual(['businessDay', 'leaseId', 'serviceId', 'size']);

    const pull = doc.paths['/v1/kiosk/pull']?.get;
    expect(pull?.operationId).toBe('pull');
    expect(pull?.requestBody).toBeUndefined();
    expect(pull?.parameters).toEqual([{ name: 'cursor', in: 'query', required: false, schema: expect.objectContaining({ type: 'string' }) }]);
    const pulled = pull?.responses['200']?.content['application/json']?.schema as { properties: Record<string, unknown> };
    expect(Object.keys(pulled.properties).sort()).toEqual(['appointments', 'bands', 'catalog', 'citizenKey', 'cursor', 'kiosk', 'serverTime']);

    const appointments = doc.paths['/v1/hall/appointments']?.post;
    expect(appointments?.operationId).toBe('createAppointment');
    expect(appointments?.security).toEqual([{ staffToken: [] }]);
  });
});
