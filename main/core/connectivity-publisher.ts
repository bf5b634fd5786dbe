import { performance } from 'node:perf_hooks';
import type { Connectivity } from '../../common/contract/kiosk-api.js';
import type { SyncState } from '../../offline-queue/sync/sync-engine.js';

/** The contract's view of the sync state (what getStatus returns and the event carries). */
export function toConnectivity(s: SyncState): Connectivity {
  return {
    state: s.connectivity,
    lastSyncAt: s.lastSyncAt,
    backlog: s.backlog,
    clockOffsetMs: s.clockOffsetMs,
    quarantined: s.quarantined,
  };
}

export interface ConnectivityPublisherOptions {
  emit: (c: Connectivity) => void;
  /** Least time between two events that only change counters or times (default 1 s). */
  minIntervalMs?: number;
  monoNow?: () => number;
}

/**
 * Turns sync-state changes into `connectivity` events. A change of `state` (online / offline /
 * unknown) goes out at once: the visitor screen's offline notice hangs on it. Anything else (the
 * backlog while tickets are issued, the sync time, the measured offset) goes out at most once per
 * interval, the latest value last, so a busy morning does not flood the bridge.
 */
export class ConnectivityPublisher {
  private readonly emit: (c: Connectivity) => void;
  private readonly minIntervalMs: number;
  private readonly monoNow: () => number;
  private last: Connectivity | null = null;
  private lastAt = Number.NEGATIVE_INFINITY;
  private pending: Connectivity | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(opts: ConnectivityPublisherOptions) {
    this.emit = opts.emit;
    this.minIntervalMs = opts.minIntervalMs ?? 1_000;
    this.monoNow = opts.monoNow ?? (() => performance.now());
  }

  publish(c: Connectivity): void {
    const last = this.pending ?? this.last;
    if (last && same(last, c)) return;
    if (!this.last || this.last.state !== c.state || this.monoNow() - this.lastAt >= this.minIntervalMs) {
      this.send(c);
      return;
    }
    this.pending = c;
    if (!this.timer) {
      const wait = Math.max(0, this.minIntervalMs - (this.monoNow() - this.lastAt));
      this.timer = setTimeout(() => this.flush(), wait);
      this.timer.unref();
    }
  }

  /** Sends what is waiting now (shutdown) and stops the timer. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const pending = this.pending;
    this.pending = null;
    if (pending && !(this.last && same(this.last, pending))) this.send(pending);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending = null;
  }

  private send(c: Connectivity): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending = null;
    this.last = c;
    this.lastAt = this.monoNow();
    this.emit(c);
  }
}

function same(a: Connectivity, b: Connectivity): boolean {
  return (
    a.state === b.state &&
    a.lastSyncAt === b.lastSyncAt &&
    a.backlog === b.backlog &&
    a.clockOffsetMs === b.clockOffsetMs &&
    a.quarantined === b.quarantined
  );
}
