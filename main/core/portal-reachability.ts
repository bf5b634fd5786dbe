import { performance } from 'node:perf_hooks';

export interface PortalReachabilityOptions {
  /** Window after the first failure in which online numbering is skipped (default 1 s). */
  baseMs?: number;
  /** Longest window, reached by doubling per further failure (default 30 s). */
  maxMs?: number;
  /** Monotonic ms (default performance.now): a kiosk clock that jumps must not end or stretch a window. */
  monoNow?: () => number;
}

/**
 * Whether online numbering is worth trying now. During an outage every visitor would otherwise
 * wait the whole budget (400 ms) before getting a band number; after a failure the kiosk goes
 * straight to its band for a window that doubles with each further failure, then lets the next
 * ticket try online again. Any exchange the portal answers (the sync engine's included) closes
 * the window at once.
 */
export class PortalReachability {
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly monoNow: () => number;
  private failures = 0;
  private lastFailureAt = 0;

  constructor(opts: PortalReachabilityOptions = {}) {
    this.baseMs = opts.baseMs ?? 1_000;
    this.maxMs = opts.maxMs ?? 30_000;
    this.monoNow = opts.monoNow ?? (() => performance.now());
  }

  recordAnswered(): void {
    this.failures = 0;
  }

  recordUnanswered(): void {
    this.failures += 1;
    this.lastFailureAt = this.monoNow();
  }

  record(answered: boolean): void {
    if (answered) this.recordAnswered();
    else this.recordUnanswered();
  }

  /** True unless the portal failed recently: inside the window, numbering goes straight to the band. */
  shouldTryOnline(): boolean {
    if (this.failures === 0) return true;
    return this.monoNow() - this.lastFailureAt >= this.windowMs();
  }

  /** Known unreachable right now (inside a backoff window). */
  knownOffline(): boolean {
    return !this.shouldTryOnline();
  }

  private windowMs(): number {
    return Math.min(this.maxMs, this.baseMs * 2 ** (this.failures - 1));
  }
}
