import { createHash, randomBytes } from 'node:crypto';

/** Long enough for Chromium to start on a slow kiosk PC, short enough to be worth little in `ps`. */
export const LAUNCH_CODE_TTL_MS = 60_000;
/** Codes kept (live, or spent and remembered); the oldest goes first, so issuing in a loop cannot grow memory. */
const MAX_CODES = 8;

export enum LaunchCodeCheck {
  Accepted = 'accepted',
  /** Used before: the page that should have used it, or someone who read it from `ps`, came second. */
  Spent = 'spent',
  /** Never issued, or so long ago it is forgotten. */
  Unknown = 'unknown',
  Expired = 'expired',
}

function digest(code: string): string {
  return createHash('sha256').update(code).digest('hex');
}

function remember(map: Map<string, number>, key: string, until: number): void {
  map.delete(key);
  while (map.size >= MAX_CODES) {
    const oldest = map.keys().next().value;
    if (oldest === undefined) break;
    map.delete(oldest);
  }
  map.set(key, until);
}

/**
 * One-time launch codes: what Chromium's command line carries instead of the bridge token (a
 * command line is readable by every local user through `ps`). A code is good once and for a
 * minute; only its SHA-256 is kept, so looking one up reveals nothing by its timing. A spent
 * code is remembered for its minute, so a second use can be told apart and reported.
 */
export class LaunchCodes {
  private readonly live = new Map<string, number>();
  private readonly spent = new Map<string, number>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly ttlMs: number = LAUNCH_CODE_TTL_MS,
  ) {}

  issue(): string {
    this.prune();
    const code = randomBytes(32).toString('hex');
    remember(this.live, digest(code), this.now() + this.ttlMs);
    return code;
  }

  /** Accepted once for a live code; any attempt spends it. */
  redeem(code: string): LaunchCodeCheck {
    const key = digest(code);
    const now = this.now();
    const expiresAt = this.live.get(key);
    if (expiresAt === undefined) return this.spent.has(key) ? LaunchCodeCheck.Spent : LaunchCodeCheck.Unknown;
    this.live.delete(key);
    if (expiresAt <= now) return LaunchCodeCheck.Expired;
    remember(this.spent, key, expiresAt);
    return LaunchCodeCheck.Accepted;
  }

  private prune(): void {
    const now = this.now();
    for (const map of [this.live, this.spent]) for (const [key, until] of map) if (until <= now) map.delete(key);
  }
}
