import type pg from 'pg';
import { PortalErrorCode } from '../../common/contract/errors.js';
import { RouteAuth } from '../../common/contract/sync-api.js';
import { PrincipalCache } from '../auth/principal-cache.js';
import {
  bearerToken,
  findKioskByTokenHash,
  findStaffByTokenHash,
  type KioskPrincipal,
  type StaffPrincipal,
} from '../auth/principals.js';
import { tokenHash } from '../auth/token-hash.js';
import { LaneFull, createLane } from './concurrency-lane.js';
import { FailureBudget } from './failure-budget.js';
import type { PortalLimits } from './portal-limits.js';
import { PortalError } from './portal-error.js';

export type Principal = KioskPrincipal | StaffPrincipal;

export interface Authenticated {
  principal: Principal;
  /** The rate limit key: one budget per kiosk or member of staff, whatever address it calls from. */
  key: string;
}

export interface AuthenticatorOptions {
  pool: pg.Pool;
  limits: PortalLimits;
  /** An address just used up its failure budget (one call per window). */
  onBudgetExhausted?: (address: string) => void;
  /** A background re-check of a cached token failed. */
  onRefreshError?: (err: unknown) => void;
}

export interface Authenticator {
  /** The caller of a route with this auth, or a coded 401 / 429 / 503. */
  authenticate(auth: RouteAuth.Kiosk | RouteAuth.Staff, authorization: string | undefined, address: string): Promise<Authenticated>;
  /**
   * Whether `authenticate` would refuse this request from memory as throttled: its address is past
   * its failure budget and its token is not one known valid. Cheap (a map lookup, and a hash only
   * for an address past its budget): the server asks it before Fastify sees the request.
   */
  mustThrottle(authorization: string | undefined, address: string): boolean;
  /** How long to hold a throttled request back (jittered). */
  throttleDelayMs(): number;
  /** Seconds until the address's failure window ends, for Retry-After. */
  retryAfterSeconds(address: string): number;
}

/** The answer to a throttled request, the same from the raw guard and from the route hook. */
export const THROTTLED_MESSAGE = 'too many failed authentications from this address; try again later';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Bearer token -> principal, cheap for the callers that matter and for the ones that do not:
 * - a token checked within the cache TTL costs a hash and a map lookup (kiosks in use);
 * - a token found bad within the TTL is refused from memory;
 * - an address past its budget of failed authentications gets its unknown tokens refused from
 *   memory (429, held back a while so a closed-loop flood slows itself down), unless the token
 *   was valid recently: an abuser on a kiosk's address (NAT, or 127.0.0.1 in tests) cannot lock
 *   the kiosk out;
 * - lookups of unknown tokens take at most `authLookupConcurrency` pooled connections at once,
 *   so a flood from many addresses cannot take the connections numbering needs.
 */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const { pool, limits } = options;
  const cacheOptions = { ttlMs: limits.authCacheTtlMs, ...(options.onRefreshError ? { onRefreshError: options.onRefreshError } : {}) };
  const lane = createLane(limits.authLookupConcurrency, limits.authLookupQueue);
  // A token valid a moment ago (a kiosk's, being re-checked) skips the lane: unknown tokens queue.
  const cacheOf = (find: (db: pg.Pool, hash: string) => Promise<Principal | null>): PrincipalCache<Principal> => {
    const cache: PrincipalCache<Principal> = new PrincipalCache(
      (hash) => (cache.knownRecently(hash) ? find(pool, hash) : lane.run(() => find(pool, hash))),
      cacheOptions,
    );
    return cache;
  };
  const caches = { [RouteAuth.Kiosk]: cacheOf(findKioskByTokenHash), [RouteAuth.Staff]: cacheOf(findStaffByTokenHash) };
  const budget = new FailureBudget({ max: limits.authFailuresPerWindow, windowMs: limits.authFailureWindowMs });
  // Lookups of unknown tokens still running, per address: each may yet be a failure, so a burst of
  // 500 bad tokens at once cannot all reach the database before the first one fails.
  const pending = new Map<string, number>();
  const lookUp = async (cache: PrincipalCache<Principal>, hash: string, address: string): Promise<Principal | null> => {
    pending.set(address, (pending.get(address) ?? 0) + 1);
    try {
      return await cache.resolve(hash);
    } finally {
      const left = (pending.get(address) ?? 1) - 1;
      if (left === 0) pending.delete(address);
      else pending.set(address, left);
    }
  };

  const refuse = (address: string, message: string): never => {
    if (budget.fail(address)) options.onBudgetExhausted?.(address);
    throw new PortalError(PortalErrorCode.Unauthorized, message);
  };

  // Jittered (0.5x to 1.5x): a flood of sockets answered in step would come back in step, and a
  // kiosk's request landing behind such a burst would wait for all of it.
  const throttleDelayMs = (): number => limits.authFailureDelayMs * (0.5 + Math.random());
  const retryAfterSeconds = (address: string): number => Math.max(1, Math.ceil(budget.remainingMs(address) / 1000));

  const throttle = async (address: string): Promise<never> => {
    await sleep(throttleDelayMs());
    throw new PortalError(PortalErrorCode.RateLimited, THROTTLED_MESSAGE, {
      headers: { 'retry-after': String(retryAfterSeconds(address)) },
    });
  };

  const keyOf = (principal: Principal): string =>
    'kioskId' in principal ? `kiosk:${principal.hallId}:${principal.kioskId}` : `staff:${principal.hallId}:${principal.staffId}`;

  const overBudget = (address: string): boolean => budget.over(address, pending.get(address));

  return {
    throttleDelayMs,
    retryAfterSeconds,

    mustThrottle(authorization, address) {
      if (!overBudget(address)) return false;
      const token = bearerToken(authorization);
      if (token === null) return true;
      const hash = tokenHash(token);
      return !Object.values(caches).some((cache) => cache.fresh(hash) !== undefined || cache.knownRecently(hash));
    },

    async authenticate(auth, authorization, address) {
      const token = bearerToken(authorization);
      if (token === null) {
        if (overBudget(address)) return throttle(address);
        return refuse(address, 'bearer token required');
      }
      const hash = tokenHash(token);
      const cache = caches[auth];

      const cached = cache.fresh(hash);
      if (cached) return { principal: cached, key: keyOf(cached) };
      if (!cache.knownRecently(hash)) {
        // Valid a moment ago: straight to the database, whatever else its address sends. Otherwise:
        if (overBudget(address)) return throttle(address);
        if (cache.knownInvalid(hash)) return refuse(address, 'unknown or revoked token');
      }

      let principal: Principal | null;
      try {
        principal = await lookUp(cache, hash, address);
      } catch (err) {
        if (err instanceof LaneFull) {
          throw new PortalError(PortalErrorCode.ServiceUnavailable, 'too many requests being authenticated; try again shortly');
        }
        throw err;
      }
      if (!principal) return refuse(address, 'unknown or revoked token');
      return { principal, key: keyOf(principal) };
    },
  };
}
