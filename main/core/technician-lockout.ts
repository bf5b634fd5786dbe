/**
 * How long wrong technician PINs lock the PIN pad. The first `maxFailures` wrong PINs in a row
 * cost `lockoutMs`; the count does not start again after a lockout, so every further wrong PIN
 * locks at once, each time twice as long, up to `maxLockoutMs`. Only a successful login resets
 * the count. With the defaults (5, 5 min, 24 h) a guesser gets 5 guesses in the first minutes,
 * then one per doubling wait: about 14 guesses on the first day and one a day after that, out
 * of a million 6-digit PINs.
 */
export interface LockoutPolicy {
  maxFailures: number;
  lockoutMs: number;
  maxLockoutMs: number;
}

/** The longest lockout unless configured: a day, so a hall's technician can still get in tomorrow. */
export const DEFAULT_MAX_LOCKOUT_MS = 24 * 60 * 60_000;

/** The lock the `failures`-th wrong PIN in a row earns, in ms (0: none yet). */
export function lockoutMsAfter(failures: number, policy: LockoutPolicy): number {
  if (failures < policy.maxFailures) return 0;
  const cap = Math.max(policy.lockoutMs, policy.maxLockoutMs);
  // Capping the exponent first keeps 2 ** n finite however long the streak.
  const doublings = Math.min(failures - policy.maxFailures, 40);
  return Math.min(cap, policy.lockoutMs * 2 ** doublings);
}
