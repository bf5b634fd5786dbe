import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { syncRoutes } from '../../common/contract/sync-api.js';
import { casesOfCitizen } from '../cases/case-operations.js';
import { registerContractRoutes, type ContractHandlers } from '../http/contract-routes.js';
import { allocateNumber } from './allocate-number.js';
import { createAppointment } from './appointments.js';
import { loadCatalog } from './catalog.js';
import { leaseBand } from './lease-band.js';
import { pull } from './pull.js';
import { pushEvents } from './push-events.js';
import { rateableTickets } from '../ratings/rateable-tickets.js';

/** One handler per entry of `syncRoutes`: the kiosk sync API and appointment booking. */
export function createQueueHandlers(pool: pg.Pool): ContractHandlers<typeof syncRoutes> {
  return {
    catalog: ({ principal, now }) => loadCatalog(pool, principal.hallId, now),
    push: ({ principal, body, now }) => pushEvents(pool, principal, body, now),
    allocateNumber: ({ principal, body, now }) => allocateNumber(pool, principal, body, now),
    pull: ({ principal, query, now }) => pull(pool, principal, query.cursor, now),
    leaseBand: ({ principal, body, now }) => leaseBand(pool, principal, body, now),
    kioskCases: async ({ principal, body, now }) => ({
      cases: await casesOfCitizen(pool, principal.hallId, body.citizenHmac),
      serverTime: now.toISOString(),
    }),
    rateableTickets: async ({ principal, body, now }) => ({
      tickets: await rateableTickets(pool, principal, body, now),
      serverTime: now.toISOString(),
    }),
    createAppointment: ({ principal, body, now }) => createAppointment(pool, principal, body, now),
  };
}

/** The queue domain as a Fastify plugin: `syncRoutes` over the shared base of portal/http/. */
export async function queueRoutes(app: FastifyInstance): Promise<void> {
  registerContractRoutes(app, syncRoutes, createQueueHandlers(app.portal.pool), {
    bodyLimits: { push: app.portal.limits.pushBodyLimitBytes },
    tags: ['queue'],
  });
}
