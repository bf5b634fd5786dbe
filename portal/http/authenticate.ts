import type pg from 'pg';
import { PortalErrorCode } from '../../common/contract/errors.js';
import { RouteAuth } from '../../common/contract/route-spec.js';
import { SESSION_COOKIE } from '../../common/contract/staff-api.js';
import { PrincipalCache } from '../auth/principal-cache.js';
import {
  bearerToken,
  findDisplaysByTokenHashes,
  findKiosksByTokenHashes,
  findStaffByTokenHashes,
  type DisplayPrincipal,
  type FindManyByTokenHash,
  type KioskPrincipal,
  type StaffPrincipal,
} from '../auth/principals.js';
import {
  DEFAULT_SESSION_POLICY,
  findSessionByHash,
  plausibleSessionId,
  type SessionPolicy,
  type StaffSession,
} from '../auth/staff-sessions.js';
import { tokenHash } from '../auth/token-hash.js';
import { createBatchedLookup } from './batched-lookup.js';
import { LaneFull, createLane } from './concurrency-lane.js';
import { FailureBudget } from './failure-budget.js';
import type { PortalLimits } from './portal-limits.js';
import { PortalError } from './portal-error.js';

export type Principal = KioskPrincipal | StaffPrincipal | DisplayPrincipal;

export interface Authenticated {
  principal: Principal;
  /** The rate limit key: one budget per kiosk, display or member of staff, whatever address it calls from. */
  key: string;
}

/** A signed-in person: the principal, and the session it came with (for its CSRF token). */
export interface SessionAuthenticated {
  principal: StaffPrincipal;
  key: string;
  session: StaffSession;
}

export interface AuthenticatorOptions {
  pool: pg.Pool;
  limits: PortalLimits;
  /** Idle and absolute ends of staff sessions (default DEFAULT_SESSION_POLICY). */
  sessionPolicy?: SessionPolicy;
  /** An address just used up its failure budget (one call per window). */
  onBudgetExhausted?: (address: string) => void;
  /** A background re-check of a cached token failed. */
  onRefreshError?: (err: unknown) => void;
}

export type BearerAuth = RouteAuth.Kiosk | RouteAuth.Staff | RouteAuth.Display;

export interface Authenticator {
  /** The caller of a route with this bearer auth (a staff API key for `staff`), or a coded 401 / 429 / 503. */
  authenticate(auth: BearerAuth, authorization: string | undefined, address: string): Promise<Authenticated>;
  /**
   * The signed-in person whose session cookie holds `sessionId`, or a coded 401 / 429 / 503. A
   * missing, unknown, expired or revoked session counts against the address's failure budget
   * like a bad token.
   */
  authenticateSession(sessionId: string | undefined, address: string): Promise<SessionAuthenticated>;
  /** A failed password sign-in from this address: counts against its budget like a bad token. */
  countFailure(address: string): void;
  /** Throws the throttled 429 (after the hold-back delay) when the address is past its failure budget. */
  refuseIfThrottled(address: string): Promise<void>;
  /** The session just ended (sign-out): no longer "known valid" for the throttle. */
  forgetSession(sessionHash: string): void;
  /** The session policy in force. */
  readonly sessionPolicy: SessionPolicy;
  /**
   * Whether `authenticate` would refuse this request from memory as throttled: its address is past
   * its failure budget and neither its token nor its session cookie is one known valid. Cheap (a
   * map lookup, and a hash only for an address past its budget): the server asks it before
   * Fastify sees the request.
   */
  mustThrottle(authorization: string | undefined, address: string, cookieHeader?: string): boolean;
  /** How long to hold a throttled request back (jittered). */
  throttleDelayMs(): number;
  /** Stops the background re-checks (the app is closing). */
  close(): void;
  /** Seconds until the address's failure window ends, for Retry-After. */
  retryAfterSeconds(address: string): number;
}

/** The answer to a throttled request, the same from the raw guard and from the route hook. */
export const THROTTLED_MESSAGE = 'too many failed authentications from this address; try again later';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const SESSION_COOKIE_PATTERN = new RegExp(`(?:^|;)\\s*${SESSION_COOKIE}=([^;]*)`);

/** The session id in a raw `Cookie:` header (the guard runs before any cookie parsing). */
export function sessionIdFromCookieHeader(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = SESSION_COOKIE_PATTERN.exec(header);
  return match?.[1]?.trim();
}

/** Map.set that keeps at most `max` keys, dropping the oldest insertion first. */
function setBounded<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > max) {
    const oldest = map.keys().next();
    if (oldest.done) break;
    map.delete(oldest.value);
  }
}

const KNOWN_SESSIONS_MAX = 10_000;
/** Token hashes looked up in one query. */
const LOOKUP_BATCH = 256;
/** A token used within this long is kept checked in the background (a kiosk's pull round and more). */
const IN_USE_MS = 60_000;
const KNOWN_SESSION_MS = 10 * 60_000;

/**
 * Bearer token or session cookie -> principal, cheap for the callers that matter and for the ones
 * that do not:
 * - a token checked within the cache TTL costs a hash and a map lookup (kiosks in use);
 * - a token found bad within the TTL is refused from memory;
 * - an address past its budget of failed authentications gets its unknown tokens refused from
 *   memory (429, held back a while so a closed-loop flood slows itself down), unless the token
 *   was valid recently: an abuser on a kiosk's address (NAT, or 127.0.0.1 in tests) cannot lock
 *   the kiosk out;
 * - lookups of unknown tokens take at most `authLookupConcurrency` pooled connections at once,
 *   so a flood from many addresses cannot take the connections numbering needs; the tokens that
 *   arrive while those are busy are looked up together in the next query (batched-lookup.ts), so
 *   a fleet of kiosks seen for the first time is recognised in a few round trips, not one each;
 * - re-checks of tokens valid a moment ago skip that lane but are batched the same way (on a lane
 *   of their own): a thousand kiosks re-checked every few seconds cost a few queries, not a
 *   thousand;
 * - a session is checked in the database on every request (a sign-out or an expiry bites at
 *   once, in every portal process); a session valid recently skips the lane and the throttle as
 *   a known token does, and failed sessions and failed password sign-ins count against the same
 *   per-address budget.
 */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const { pool, limits } = options;
  const sessionPolicy = options.sessionPolicy ?? DEFAULT_SESSION_POLICY;
  const cacheOptions = { ttlMs: limits.authCacheTtlMs, ...(options.onRefreshError ? { onRefreshError: options.onRefreshError } : {}) };
  const lane = createLane(limits.authLookupConcurrency, limits.authLookupQueue);
  // Re-checks wait for no unknown token: their own lane, as wide, its queue bounded by the caches.
  const knownLane = createLane(limits.authLookupConcurrency, Number.POSITIVE_INFINITY);
  // A token valid a moment ago (a kiosk's, being re-checked) skips the lane: unknown tokens queue.
  const cacheOf = (findMany: FindManyByTokenHash<Principal>): PrincipalCache<Principal> => {
    const find = (hashes: string[]): Promise<Map<string, Principal>> => findMany(pool, hashes);
    const unknown = createBatchedLookup(lane, find, { maxBatch: LOOKUP_BATCH, maxWaiting: limits.authLookupQueue });
    const known = createBatchedLookup(knownLane, find, { maxBatch: LOOKUP_BATCH, maxWaiting: Number.POSITIVE_INFINITY });
    const cache: PrincipalCache<Principal> = new PrincipalCache((hash) => (cache.knownRecently(hash) ? known(hash) : unknown(hash)), cacheOptions);
    return cache;
  };
  const caches: Record<BearerAuth, PrincipalCache<Principal>> = {
    [RouteAuth.Kiosk]: cacheOf(findKiosksByTokenHashes),
    [RouteAuth.Staff]: cacheOf(findStaffByTokenHashes),
    [RouteAuth.Display]: cacheOf(findDisplaysByTokenHashes),
  };
  // A kiosk pulls about once a TTL, so on use its entry has just expired and the call waited for
  // a re-check. Re-checking tokens in use a quarter TTL apart (a batch, one query) keeps them fresh.
  const refresher = setInterval(() => {
    for (const cache of Object.values(caches)) cache.refreshInUse(IN_USE_MS);
  }, Math.max(50, limits.authCacheTtlMs / 4));
  refresher.unref();
  // Session hash -> when it was last found valid (performance.now()).
  const knownSessions = new Map<string, number>();
  const sessionKnown = (hash: string): boolean => {
    const at = knownSessions.get(hash);
    return at !== undefined && performance.now() - at < KNOWN_SESSION_MS;
  };
  const budget = new FailureBudget({ max: limits.authFailuresPerWindow, windowMs: limits.authFailureWindowMs });
  // Lookups of unknown tokens still running, per address: each may yet be a failure, so a burst of
  // 500 bad tokens at once cannot all reach the database before the first one fails.
  const pending = new Map<string, number>();
  const counted = async <T>(address: string, lookup: () => Promise<T>): Promise<T> => {
    pending.set(address, (pending.get(address) ?? 0) + 1);
    try {
      return await lookup();
    } catch (err) {
      if (err instanceof LaneFull) {
        throw new PortalError(PortalErrorCode.ServiceUnavailable, 'too many requests being authenticated; try again shortly');
      }
      throw err;
    } finally {
      const left = (pending.get(address) ?? 1) - 1;
      if (left === 0) pending.delete(address);
      else pending.set(address, left);
    }
  };

  const countFailure = (address: string): void => {
    if (budget.fail(address)) options.onBudgetExhausted?.(address);
  };
  const refuse = (address: string, message: string): never => {
    countFailure(address);
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

  const keyOf = (principal: Principal): string => {
    if ('kioskId' in principal) return `kiosk:${principal.hallId}:${principal.kioskId}`;
    if ('displayId' in principal) return `display:${principal.hallId}:${principal.displayId}`;
    return `staff:${principal.hallId}:${principal.staffId}`;
  };

  const overBudget = (address: string): boolean => budget.over(address, pending.get(address));

  return {
    sessionPolicy,
    throttleDelayMs,
    close: () => clearInterval(refresher),
    retryAfterSeconds,
    countFailure,

    async refuseIfThrottled(address) {
      if (overBudget(address)) await throttle(address);
    },

    forgetSession(sessionHash) {
      knownSessions.delete(sessionHash);
    },

    mustThrottle(authorization, address, cookieHeader) {
      if (!overBudget(address)) return false;
      const token = bearerToken(authorization);
      if (token !== null) {
        const hash = tokenHash(token);
        return !Object.values(caches).some((cache) => cache.fresh(hash) !== undefined || cache.knownRecently(hash));
      }
      const sessionId = sessionIdFromCookieHeader(cookieHeader);
      return !(plausibleSessionId(sessionId) && sessionKnown(tokenHash(sessionId)));
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

      const principal = await counted(address, () => cache.resolve(hash));
      if (!principal) return refuse(address, 'unknown or revoked token');
      return { principal, key: keyOf(principal) };
    },

    async authenticateSession(sessionId, address) {
      if (!plausibleSessionId(sessionId)) {
        if (overBudget(address)) return throttle(address);
        return refuse(address, 'sign in first (or send a staff API key as a bearer token)');
      }
      const hash = tokenHash(sessionId);
      const known = sessionKnown(hash);
      if (!known && overBudget(address)) return throttle(address);
      const find = (): Promise<StaffSession | null> => findSessionByHash(pool, hash, sessionPolicy);
      const session = await counted(address, () => (known ? find() : lane.run(find)));
      if (!session) {
        knownSessions.delete(hash);
        return refuse(address, 'session ended (expired or signed out); sign in again');
      }
      setBounded(knownSessions, hash, performance.now(), KNOWN_SESSIONS_MAX);
      return { principal: session.principal, key: keyOf(session.principal), session };
    },
  };
}
