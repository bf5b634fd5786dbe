import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { configRoutes } from '../../common/contract/config-api.js';
import { hashPin } from '../../common/node/technician-pin-hash.js';
import { withTransaction } from '../db/transaction.js';
import { registerContractRoutes, type ContractHandlers } from '../http/contract-routes.js';
import { listCounterConfig } from '../counter/counter-config.js';
import { catalogVersion } from '../queue/service-config.js';
import { configAudit, listStaff } from './config-audit.js';
import { createCounter, updateCounter } from './counter-admin.js';
import { hallSettingsOf, updateHallSettings } from './hall-admin.js';
import { issueKioskToken, listKioskConfig, registerKiosk, revokeKiosk, updateKiosk } from './kiosk-admin.js';
import { createService, listServiceConfig, updateService } from './service-admin.js';

/** A service's guide is the largest thing a manager sends (materials, steps, both languages). */
const SERVICE_BODY_LIMIT = 256 * 1024;
/** The hall's calendar: a thousand days at most. */
const HALL_BODY_LIMIT = 256 * 1024;

/**
 * One handler per entry of `configRoutes` (common/contract/config-api.ts). The principal decides
 * the hall; every write is one transaction with its audit line and its events. A technician PIN
 * is hashed before the transaction (scrypt takes a while) and goes no further than the hash.
 */
export function createConfigHandlers(pool: pg.Pool): ContractHandlers<typeof configRoutes> {
  const inTransaction = <T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> => withTransaction(pool, work);
  return {
    // One snapshot: the services and the catalog version they make agree.
    listServiceConfig: async ({ principal, now }) => ({
      ...(await withTransaction(
        pool,
        async (client) => ({ services: await listServiceConfig(client, principal.hallId), catalogVersion: await catalogVersion(client, principal.hallId) }),
        { isolation: 'repeatable-read', readOnly: true },
      )),
      serverTime: now.toISOString(),
    }),
    createService: async ({ principal, body, now }) => ({
      ...(await inTransaction((client) => createService(client, principal, body))),
      serverTime: now.toISOString(),
    }),
    updateService: async ({ principal, params, body, now }) => ({
      ...(await inTransaction((client) => updateService(client, principal, params.serviceId, body, now))),
      serverTime: now.toISOString(),
    }),

    listCounterConfig: async ({ principal, now }) => ({ counters: await listCounterConfig(pool, principal.hallId), serverTime: now.toISOString() }),
    createCounter: async ({ principal, body, now }) => ({
      counter: await inTransaction((client) => createCounter(client, principal, body)),
      serverTime: now.toISOString(),
    }),
    updateCounter: async ({ principal, params, body, now }) => ({
      counter: await inTransaction((client) => updateCounter(client, principal, params.counterId, body)),
      serverTime: now.toISOString(),
    }),

    listKioskConfig: async ({ principal, now }) => ({ kiosks: await listKioskConfig(pool, principal.hallId), serverTime: now.toISOString() }),
    registerKiosk: async ({ principal, body, now }) => {
      const pinHash = body.technicianPin === null ? null : await hashPin(body.technicianPin);
      return { ...(await inTransaction((client) => registerKiosk(client, principal, body, pinHash, now))), serverTime: now.toISOString() };
    },
    updateKiosk: async ({ principal, params, body, now }) => {
      const pin = body.technicianPin;
      const pinHash = pin === undefined || pin === null ? pin : await hashPin(pin);
      return { kiosk: await inTransaction((client) => updateKiosk(client, principal, params.kioskId, body, pinHash)), serverTime: now.toISOString() };
    },
    revokeKiosk: async ({ principal, params, body, now }) => ({
      kiosk: await inTransaction((client) => revokeKiosk(client, principal, params.kioskId, body.version)),
      serverTime: now.toISOString(),
    }),
    issueKioskToken: async ({ principal, params, body, now }) => ({
      ...(await inTransaction((client) => issueKioskToken(client, principal, params.kioskId, body.version, now))),
      serverTime: now.toISOString(),
    }),

    hallSettings: async ({ principal, now }) => ({ hall: await hallSettingsOf(pool, principal.hallId), serverTime: now.toISOString() }),
    updateHallSettings: async ({ principal, body, now }) => ({
      hall: await inTransaction((client) => updateHallSettings(client, principal, body, now)),
      serverTime: now.toISOString(),
    }),

    listStaff: async ({ principal, now }) => ({ staff: await listStaff(pool, principal.hallId), serverTime: now.toISOString() }),
    configAudit: async ({ principal, query, now }) => ({
      entries: await configAudit(pool, principal.hallId, query.target, query.limit),
      serverTime: now.toISOString(),
    }),
  };
}

/** The configuration domain as a Fastify plugin: `configRoutes` over the shared base of portal/http/. */
export async function configDomain(app: FastifyInstance): Promise<void> {
  registerContractRoutes(app, configRoutes, createConfigHandlers(app.portal.pool), {
    bodyLimits: { createService: SERVICE_BODY_LIMIT, updateService: SERVICE_BODY_LIMIT, updateHallSettings: HALL_BODY_LIMIT },
    tags: ['config'],
  });
}
