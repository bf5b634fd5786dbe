import type { FastifyInstance } from 'fastify';
import { displayRoutes } from '../../common/contract/display-api.js';
import { registerContractRoutes } from '../http/contract-routes.js';
import { loadDisplayState } from './display-state.js';
import { registerEventStreamRoutes } from './event-stream-routes.js';

/**
 * The display domain as a Fastify plugin: the hall display's snapshot (`displayRoutes`) and the
 * hall's live event streams, the display's and the counter consoles'.
 */
export async function displayDomain(app: FastifyInstance): Promise<void> {
  registerContractRoutes(
    app,
    displayRoutes,
    { displayState: ({ principal, now }) => loadDisplayState(app.portal.pool, principal.hallId, now) },
    { tags: ['display'] },
  );
  registerEventStreamRoutes(app);
}
