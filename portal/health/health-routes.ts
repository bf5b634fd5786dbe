import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { KIOSK_HEALTH_MAX_BYTES, kioskHealthRoutes } from '../../common/contract/kiosk-health-api.js';
import { registerContractRoutes, type ContractHandlers } from '../http/contract-routes.js';
import { listKioskHealth, recordKioskHealth } from './record-health.js';

/** One handler per entry of `kioskHealthRoutes`: the principal decides the hall (and the kiosk). */
export function createHealthHandlers(pool: pg.Pool): ContractHandlers<typeof kioskHealthRoutes> {
  return {
    reportHealth: ({ principal, body, now }) => recordKioskHealth(pool, principal, body, now),
    listKioskHealth: async ({ principal, now }) => ({
      kiosks: await listKioskHealth(pool, principal.hallId, now),
      serverTime: now.toISOString(),
    }),
  };
}

/** The kiosk health domain as a Fastify plugin: `kioskHealthRoutes` over the shared base of portal/http/. */
export async function healthDomain(app: FastifyInstance): Promise<void> {
  registerContractRoutes(app, kioskHealthRoutes, createHealthHandlers(app.portal.pool), {
    bodyLimits: { reportHealth: KIOSK_HEALTH_MAX_BYTES },
    tags: ['health'],
  });
}
