/**
 * How long wrong passwords lock a staff account, the way the kiosk's technician PIN pad locks: the
 * first `maxFailures` wrong passwords in a row cost `lockoutMs`; the count does not start again
 * after a lockout, so every further wrong password locks at once, each time twice as long, up to
 * `maxLockoutMs`. Only a successful sign-in (or an admin's unlock) resets the count. While locked,
 * no password is even checked.
 *
 * With the defaults (5, 5 min, 1 h) a guesser gets 5 guesses, then 4 more over the next 75
 * minutes, then one an hour: about 30 a day, against passwords of 10 characters or more. The cap
 * is an hour, not a day: anyone who knows a clerk's username can lock the account, and a clerk
 * must be able to work again after lunch without a manager (who can unlock at once).
 */
export interface LockoutPolicy {
  maxFailures: number;
  lockoutMs: number;
  maxLockoutMs: number;
}

export const DEFAULT_LOCKOUT_POLICY: Readonly<LockoutPolicy> = {
  maxFailures: 5,
  lockoutMs: 5 * 60_000,
  maxLockoutMs: 60 * 60_000,
};

/** The lock the `failures`-th wrong password in a row earns, in ms (0: none yet). */
export function lockoutMsAfter(failures: number, policy: LockoutPolicy): number {
  if (failures < policy.maxFailures) return 0;
  const cap = Math.max(policy.lockoutMs, policy.maxLockoutMs);
  // Capping the exponent first keeps 2 ** n finite however long the streak.
  const doublings = Math.min(failures - policy.maxFailures, 40);
  return Math.min(cap, policy.lockoutMs * 2 ** doublings);
}

interface PhantomEntry {
  failures: number;
  lockedUntil: number;
  touchedAt: number;
}

/**
 * The same lockout for usernames that have no account (or a disabled one), kept in memory: without
 * it, five wrong tries would tell anyone which usernames exist (a real account locks, an unknown
 * one never does). Per portal process and bounded; an entry is forgotten after a day of quiet.
 */
export class PhantomLockouts {
  private readonly entries = new Map<string, PhantomEntry>();

  constructor(
    private readonly policy: LockoutPolicy,
    private readonly now: () => number = () => Date.now(),
    private readonly maxEntries = 10_000,
  ) {}

  private key(hallId: string, username: string): string {
    return `${hallId}\n${username}`;
  }

  private entry(hallId: string, username: string): PhantomEntry | undefined {
    const key = this.key(hallId, username);
    const entry = this.entries.get(key);
    if (entry && this.now() - entry.touchedAt > 24 * 60 * 60_000) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Milliseconds the name is still locked for (0: not locked). */
  lockedForMs(hallId: string, username: string): number {
    const entry = this.entry(hallId, username);
    return entry ? Math.max(0, entry.lockedUntil - this.now()) : 0;
  }

  /** One more wrong password for the name; returns the lock it earned (0: none). */
  fail(hallId: string, username: string): number {
    const key = this.key(hallId, username);
    const now = this.now();
    const entry = this.entry(hallId, username) ?? { failures: 0, lockedUntil: 0, touchedAt: now };
    entry.failures += 1;
    entry.touchedAt = now;
    const lockMs = lockoutMsAfter(entry.failures, this.policy);
    if (lockMs > 0) entry.lockedUntil = now + lockMs;
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
    return lockMs;
  }
}
