import { z } from 'zod';
import { Catalog } from './catalog.js';
import { RouteAuth, type RouteSpec } from './route-spec.js';

/**
 * What the counter console reads besides the counter API: the hall's catalog (service names and
 * prefixes for the queue, transfer targets, the hall's time zone for appointment times). The kiosk
 * reads the same catalog with its own token; a member of staff reads it with the session.
 */
export const ConsoleCatalogResponse = Catalog.extend({ serverTime: z.iso.datetime() });
export type ConsoleCatalogResponse = z.infer<typeof ConsoleCatalogResponse>;

export const consoleRoutes = {
  catalog: {
    method: 'get', path: '/v1/counter/catalog', auth: RouteAuth.Staff,
    summary: "The hall's services (names, prefixes) and time zone, for the counter console",
    request: null, response: ConsoleCatalogResponse,
  },
} as const satisfies Record<string, RouteSpec>;
