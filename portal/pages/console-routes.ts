import type { FastifyInstance } from 'fastify';
import { consoleRoutes } from '../../common/contract/console-api.js';
import { registerContractRoutes } from '../http/contract-routes.js';
import { loadCatalog } from '../queue/catalog.js';

/** The counter console's own read: the hall's catalog for a signed-in member of staff. */
export function registerConsoleRoutes(app: FastifyInstance): void {
  registerContractRoutes(app, consoleRoutes, { catalog: ({ principal, now }) => loadCatalog(app.portal.pool, principal.hallId, now) }, { tags: ['counter'] });
}
