import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { statsRoutes } from '../../common/contract/stats-api.js';
import { registerContractRoutes, type ContractHandlers } from '../http/contract-routes.js';
import { statsCsv, statsCsvFileName } from './stats-csv.js';
import { SharedTotals, hallStats } from './hall-stats.js';

/**
 * Statistics for managers and admins (the contract's minRole), of the caller's own hall only:
 * the principal decides the hall. A heavy read (a 90-day view is up to a second of database
 * time), so each caller gets a budget of its own per rate-limit window.
 */
export const STATS_REQUESTS_PER_WINDOW = 30;

export function createStatsHandlers(pool: pg.Pool): ContractHandlers<typeof statsRoutes> {
  const totals = new SharedTotals();
  return {
    hallStats: async ({ principal, query, now }) => hallStats(pool, principal.hallId, query, now, totals),
    hallStatsCsv: async ({ principal, query, now, reply }) => {
      const stats = await hallStats(pool, principal.hallId, query, now, totals);
      // A text answer: Fastify sends a string with a non-JSON content type as it is.
      void reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${statsCsvFileName(stats)}"`);
      return statsCsv(stats, query.lang);
    },
  };
}

/** The statistics domain as a Fastify plugin: `statsRoutes` over the shared base of portal/http/. */
export async function statsDomain(app: FastifyInstance): Promise<void> {
  registerContractRoutes(app, statsRoutes, createStatsHandlers(app.portal.pool), {
    tags: ['manager'],
    rateLimits: { hallStats: STATS_REQUESTS_PER_WINDOW, hallStatsCsv: STATS_REQUESTS_PER_WINDOW },
  });
}
