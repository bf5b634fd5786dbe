import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { PortalErrorCode } from '../../common/contract/errors.js';
import { ratingsRoutes } from '../../common/contract/ratings-api.js';
import { FailureBudget } from '../http/failure-budget.js';
import { registerContractRoutes, type ContractHandlers } from '../http/contract-routes.js';
import { PortalError } from '../http/portal-error.js';
import { rateAsCitizen, rateAtCounter } from './rate-ticket.js';
import { isStorableText } from './storable-text.js';
import { advanceOrder, appealOrder, decideAppeal, listOrders } from './rectification-orders.js';

/**
 * Ratings from the citizen page per client address and window, successful or not. The page has
 * no account to key a budget on; a ticket id cannot be guessed, so this bounds flooding (and a
 * hall's guest Wi-Fi, one address for many visitors, still rates freely at this pace).
 */
export const CITIZEN_RATINGS_PER_WINDOW = 30;
export const CITIZEN_RATING_WINDOW_MS = 10 * 60_000;

export interface RatingsHandlerOptions {
  citizenRatingsPerWindow?: number;
  citizenRatingWindowMs?: number;
}

function storableNote(text: string): string {
  if (!isStorableText(text)) throw new PortalError(PortalErrorCode.BadRequest, 'the note holds characters that cannot be stored');
  return text;
}

/** One handler per entry of `ratingsRoutes`: the principal decides the hall (the citizen's ticket does, for the page). */
export function createRatingsHandlers(pool: pg.Pool, options: RatingsHandlerOptions = {}): ContractHandlers<typeof ratingsRoutes> {
  const budget = new FailureBudget({
    max: options.citizenRatingsPerWindow ?? CITIZEN_RATINGS_PER_WINDOW,
    windowMs: options.citizenRatingWindowMs ?? CITIZEN_RATING_WINDOW_MS,
  });
  return {
    citizenRate: async ({ body, request, now }) => {
      const address = request.ip;
      if (budget.over(address)) {
        const seconds = Math.max(1, Math.ceil(budget.remainingMs(address) / 1000));
        throw new PortalError(PortalErrorCode.RateLimited, `too many ratings from this address, retry in ${seconds} s`, {
          headers: { 'retry-after': String(seconds) },
        });
      }
      budget.fail(address);
      return { rating: await rateAsCitizen(pool, body, now) };
    },
    counterRate: async ({ principal, params, body, now }) => ({ rating: await rateAtCounter(pool, principal, params.ticketId, body, now) }),
    listOrders: async ({ principal, query, now }) => ({ orders: await listOrders(pool, principal, query.status, now) }),
    advanceOrder: async ({ principal, params, body, now }) => ({
      order: await advanceOrder(pool, principal, params.orderId, { status: body.status, note: storableNote(body.note) }, now),
    }),
    appeal: async ({ principal, params, body, now }) => ({
      order: await appealOrder(pool, principal, params.orderId, storableNote(body.reason), now),
    }),
    decideAppeal: async ({ principal, params, body, now }) => ({
      order: await decideAppeal(pool, principal, params.orderId, { upheld: body.upheld, note: storableNote(body.note) }, now),
    }),
  };
}

/** The ratings domain as a Fastify plugin: `ratingsRoutes` over the shared base of portal/http/. */
export async function ratingsDomain(app: FastifyInstance): Promise<void> {
  registerContractRoutes(app, ratingsRoutes, createRatingsHandlers(app.portal.pool), { tags: ['ratings'] });
}
