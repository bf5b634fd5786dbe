/**
 * Failed authentications per client address in a fixed window. Past the budget the caller stops
 * asking the database about that address's unknown tokens and answers from memory, slowly.
 */
export interface FailureBudgetOptions {
  /** Failures allowed per window before the address is "over". */
  max: number;
  windowMs: number;
  /** Addresses tracked at once; the oldest go first. */
  maxKeys?: number;
  now?: () => number;
}

interface Window {
  startedAt: number;
  failures: number;
}

export class FailureBudget {
  private readonly windows = new Map<string, Window>();
  private readonly max: number;
  private readonly windowMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(options: FailureBudgetOptions) {
    this.max = options.max;
    this.windowMs = options.windowMs;
    this.maxKeys = options.maxKeys ?? 10_000;
    this.now = options.now ?? (() => performance.now());
  }

  private current(key: string): Window | undefined {
    const window = this.windows.get(key);
    if (window && this.now() - window.startedAt >= this.windowMs) {
      this.windows.delete(key);
      return undefined;
    }
    return window;
  }

  /** Whether the address used up its budget; `pending` counts checks still running as possible failures. */
  over(key: string, pending = 0): boolean {
    return (this.current(key)?.failures ?? 0) + pending >= this.max;
  }

  /** Milliseconds until the address's window ends (0 when it has none). */
  remainingMs(key: string): number {
    const window = this.current(key);
    return window ? Math.max(0, this.windowMs - (this.now() - window.startedAt)) : 0;
  }

  /** Counts one failure; true exactly when this one used up the budget (worth one log line). */
  fail(key: string): boolean {
    let window = this.current(key);
    if (!window) {
      window = { startedAt: this.now(), failures: 0 };
      this.windows.set(key, window);
      while (this.windows.size > this.maxKeys) {
        const oldest = this.windows.keys().next();
        if (oldest.done) break;
        this.windows.delete(oldest.value);
      }
    }
    window.failures += 1;
    return window.failures === this.max;
  }
}
