export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 250, maxMs: 5_000 };

/**
 * Exponential backoff with jitter: the delay before reconnect attempt `attempt` (0-based) lies in
 * [half, full] of min(max, initial * 2^attempt), so many kiosks restarting together spread out.
 */
export function reconnectDelayMs(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  const full = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(full / 2 + (full / 2) * random());
}
