/**
 * Token hash -> principal, in memory, so a busy kiosk's requests (and a flood of bad tokens) do
 * not each cost a database round trip before the real work starts.
 *
 * - A valid token is trusted from memory for at most `ttlMs`: a revoked token is refused within
 *   that time. A token used again after half its TTL is checked again in the background, so a
 *   kiosk in use never waits for the database to be recognised.
 * - A token found invalid is refused from memory for `ttlMs` too (the same bad token sent again
 *   and again costs nothing).
 * - A token valid within `rememberMs` stays "known": the caller may let it through to the
 *   database even when its address is over its failure budget (an idle kiosk behind the same
 *   NAT as an abuser must still get in; an attacker cannot guess a hash that was valid).
 * - Concurrent lookups of one hash share one query.
 * - `refreshInUse` re-checks, past half their TTL, the tokens used lately: called every few
 *   seconds (portal/http/authenticate.ts), it keeps a kiosk that calls about once a TTL (its pull
 *   round) recognised from memory at every call, with revocation still biting within the TTL.
 */

export interface PrincipalCacheOptions {
  ttlMs: number;
  rememberMs?: number;
  /** Bound on each map; the oldest entries go first. */
  maxEntries?: number;
  /** Monotonic milliseconds. */
  now?: () => number;
  /** A background re-check failed (e.g. database busy): the entry simply ages out. */
  onRefreshError?: (err: unknown) => void;
}

interface Entry<P> {
  principal: P;
  checkedAt: number;
  /** Last answered from memory or looked up for a caller (not by a background re-check). */
  usedAt: number;
}

const DEFAULT_REMEMBER_MS = 10 * 60_000;
const DEFAULT_MAX_ENTRIES = 10_000;

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

export class PrincipalCache<P> {
  private readonly valid = new Map<string, Entry<P>>();
  private readonly invalid = new Map<string, number>();
  private readonly knownAt = new Map<string, number>();
  private readonly inFlight = new Map<string, Promise<P | null>>();
  private readonly ttlMs: number;
  private readonly rememberMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  private readonly onRefreshError: (err: unknown) => void;

  constructor(
    private readonly lookup: (hash: string) => Promise<P | null>,
    options: PrincipalCacheOptions,
  ) {
    this.ttlMs = options.ttlMs;
    this.rememberMs = options.rememberMs ?? DEFAULT_REMEMBER_MS;
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.now = options.now ?? (() => performance.now());
    this.onRefreshError = options.onRefreshError ?? (() => undefined);
  }

  /** The principal when checked within the TTL; starts a background re-check past half of it. */
  fresh(hash: string): P | undefined {
    const entry = this.valid.get(hash);
    if (!entry) return undefined;
    const age = this.now() - entry.checkedAt;
    if (age >= this.ttlMs) {
      this.valid.delete(hash);
      return undefined;
    }
    entry.usedAt = this.now();
    if (age >= this.ttlMs / 2) this.refresh(hash);
    return entry.principal;
  }

  /** Re-checks in the background every token used within `inUseMs` and past half its TTL. */
  refreshInUse(inUseMs: number): void {
    const now = this.now();
    for (const [hash, entry] of this.valid) {
      if (now - entry.usedAt < inUseMs && now - entry.checkedAt >= this.ttlMs / 2) this.refresh(hash);
    }
  }

  private refresh(hash: string): void {
    if (this.inFlight.has(hash)) return;
    this.resolve(hash).catch((err: unknown) => this.onRefreshError(err));
  }

  /** Found invalid within the TTL. */
  knownInvalid(hash: string): boolean {
    const at = this.invalid.get(hash);
    if (at === undefined) return false;
    if (this.now() - at < this.ttlMs) return true;
    this.invalid.delete(hash);
    return false;
  }

  /** Was valid within `rememberMs`. */
  knownRecently(hash: string): boolean {
    const at = this.knownAt.get(hash);
    return at !== undefined && this.now() - at < this.rememberMs;
  }

  /** Asks the database (one query per hash at a time) and remembers the answer. */
  resolve(hash: string): Promise<P | null> {
    const pending = this.inFlight.get(hash);
    if (pending) return pending;
    const started = this.now();
    const query = this.lookup(hash)
      .then((principal) => {
        if (principal) {
          const usedAt = this.valid.get(hash)?.usedAt ?? started;
          setBounded(this.valid, hash, { principal, checkedAt: started, usedAt }, this.maxEntries);
          setBounded(this.knownAt, hash, started, this.maxEntries);
          this.invalid.delete(hash);
        } else {
          this.valid.delete(hash);
          this.knownAt.delete(hash);
          setBounded(this.invalid, hash, started, this.maxEntries);
        }
        return principal;
      })
      .finally(() => this.inFlight.delete(hash));
    this.inFlight.set(hash, query);
    return query;
  }
}
