export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

/**
 * Exponential backoff with full jitter: uniform in [0, min(maxMs, baseMs * 2^(failures-1))).
 * Full jitter spreads thousands of kiosks that lost the portal at the same moment, so they do
 * not all come back in the same second.
 */
export function fullJitterDelay(policy: BackoffPolicy, failures: number, random: () => number): number {
  if (failures <= 0) return 0;
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** (failures - 1));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.floor(r * ceiling);
}
