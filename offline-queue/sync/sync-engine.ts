import { ConnectivityState } from '../../common/contract/kiosk-api.js';
import type { PushResponse } from '../../common/contract/sync-api.js';
import type { KioskStore } from '../kiosk-store.js';
import { fullJitterDelay, type BackoffPolicy } from './backoff.js';
import type { PortalClient } from './portal-client.js';

export interface SyncState {
  connectivity: ConnectivityState;
  /** Last successful exchange with the portal (push or catalog pull). */
  lastSyncAt: string | null;
  backlog: number;
  lastError: string | null;
}

export interface SyncEngineOptions {
  store: KioskStore;
  client: PortalClient;
  /** Events per push request (the contract allows up to 500). */
  batchSize?: number;
  pushTimeoutMs?: number;
  /** How often an idle loop looks at the outbox. */
  idleIntervalMs?: number;
  backoff?: BackoffPolicy;
  /** How often the catalog is pulled while the portal answers. */
  catalogIntervalMs?: number;
  /** Budget of one catalog pull; defaults to pushTimeoutMs. */
  catalogTimeoutMs?: number;
  random?: () => number;
  now?: () => Date;
  onState?: (s: SyncState) => void;
}

interface DrainResult {
  acked: number;
  failed: boolean;
}

const MAX_ERROR_TEXT = 500;

function describe(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.slice(0, MAX_ERROR_TEXT);
}

/**
 * Pushes the outbox to the portal and pulls the catalog (ARCHITECTURE.md §5). One exchange with
 * the portal at a time; failures back off exponentially with full jitter. The loop never throws:
 * every outcome ends up in `state()`.
 */
export class SyncEngine {
  private readonly store: KioskStore;
  private readonly client: PortalClient;
  private readonly batchSize: number;
  private readonly pushTimeoutMs: number;
  private readonly idleIntervalMs: number;
  private readonly backoff: BackoffPolicy;
  private readonly catalogIntervalMs: number;
  private readonly catalogTimeoutMs: number;
  private readonly random: () => number;
  private readonly now: () => Date;
  private readonly onState: ((s: SyncState) => void) | undefined;

  private running = false;
  private timer: NodeJS.Timeout | null = null;
  private cycleInFlight: Promise<void> | null = null;
  private kickPending = false;
  private failures = 0;
  private lastCatalogPullMs: number | null = null;
  /** Serializes portal exchanges: the loop, drainOnce() and pullCatalog() never overlap. */
  private lock: Promise<void> = Promise.resolve();
  private current: SyncState;

  constructor(opts: SyncEngineOptions) {
    this.store = opts.store;
    this.client = opts.client;
    this.batchSize = Math.max(1, Math.min(opts.batchSize ?? 200, 500));
    this.pushTimeoutMs = opts.pushTimeoutMs ?? 5_000;
    this.idleIntervalMs = opts.idleIntervalMs ?? 2_000;
    this.backoff = opts.backoff ?? { baseMs: 500, maxMs: 30_000 };
    this.catalogIntervalMs = opts.catalogIntervalMs ?? 60_000;
    this.catalogTimeoutMs = opts.catalogTimeoutMs ?? this.pushTimeoutMs;
    this.random = opts.random ?? Math.random;
    this.now = opts.now ?? (() => new Date());
    this.onState = opts.onState;
    this.current = { connectivity: ConnectivityState.Unknown, lastSyncAt: null, backlog: this.readBacklog(0), lastError: null };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stops the loop and waits for an exchange in flight to settle (its answer is still applied). */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.cycleInFlight;
    await this.lock;
  }

  /**
   * Wakes an idle loop now (after each issuance). A loop that is backing off keeps its delay:
   * issuing tickets must not turn into hammering a portal that is down.
   */
  kick(): void {
    this.update({ backlog: this.readBacklog(this.current.backlog) });
    if (!this.running) return;
    if (this.cycleInFlight) {
      this.kickPending = true;
      return;
    }
    if (this.failures === 0) this.schedule(0);
  }

  /** Pushes batches until the outbox is empty or a push fails; returns the events acknowledged. */
  drainOnce(): Promise<number> {
    return this.exclusive(() => this.drain()).then((r) => r.acked);
  }

  /** Pulls the catalog into the store. Rejects with the failure (the state records it too). */
  pullCatalog(): Promise<void> {
    return this.exclusive(async () => {
      try {
        const catalog = await this.client.catalog(this.catalogTimeoutMs);
        this.store.saveCatalog(catalog);
        this.lastCatalogPullMs = this.now().getTime();
        this.succeeded();
      } catch (err) {
        this.failed(err);
        throw err;
      }
    });
  }

  state(): SyncState {
    return { ...this.current, backlog: this.readBacklog(this.current.backlog) };
  }

  /**
   * Connectivity as seen by another caller that talked to the portal (online numbering). A
   * success also ends a backoff early: the portal is evidently back.
   */
  reportOutcome(ok: boolean): void {
    this.update({ connectivity: ok ? ConnectivityState.Online : ConnectivityState.Offline });
    if (ok && this.failures > 0) {
      this.failures = 0;
      if (this.running && !this.cycleInFlight) this.schedule(0);
    }
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.runCycle(), delayMs);
    // The loop alone must never keep the process alive.
    this.timer.unref();
  }

  private runCycle(): void {
    this.timer = null;
    if (!this.running || this.cycleInFlight) return;
    this.kickPending = false;
    this.cycleInFlight = this.exclusive(() => this.cycle()).then((delay) => {
      this.cycleInFlight = null;
      if (!this.running) return;
      this.schedule(this.kickPending && this.failures === 0 ? 0 : delay);
    });
  }

  /** One round: push everything, pull the catalog when due. Resolves to the delay before the next. */
  private async cycle(): Promise<number> {
    try {
      const pushed = await this.drain();
      if (!pushed.failed && this.catalogDue()) {
        const catalog = await this.client.catalog(this.catalogTimeoutMs);
        this.store.saveCatalog(catalog);
        this.lastCatalogPullMs = this.now().getTime();
        this.succeeded();
      }
      if (pushed.failed) return this.nextBackoff();
      this.failures = 0;
      return this.store.backlog() > 0 ? 0 : this.idleIntervalMs;
    } catch (err) {
      this.failed(err);
      return this.nextBackoff();
    }
  }

  /** Never rejects: a failure is recorded in the state and reported as `failed`. */
  private async drain(): Promise<DrainResult> {
    let acked = 0;
    try {
      for (;;) {
        const events = this.store.readOutbox(this.batchSize);
        const head = events[0];
        if (!head) {
          this.update({ backlog: 0 });
          return { acked, failed: false };
        }
        let answer: PushResponse;
        try {
          answer = await this.client.push({ dbEpoch: this.store.dbEpoch, events }, this.pushTimeoutMs);
        } catch (err) {
          this.store.recordPushFailure(head.seq, describe(err));
          this.failed(err);
          return { acked, failed: true };
        }
        if (answer.lastSeq > this.store.lastSeq()) {
          // Only possible if this epoch's seqs were handed out before (a restored file that kept
          // its epoch): trimming would drop events the portal never saw, so stop and show it.
          const message = `portal cursor ${answer.lastSeq} is ahead of the last seq ${this.store.lastSeq()} (epoch ${this.store.dbEpoch})`;
          this.store.recordPushFailure(head.seq, message);
          this.update({ connectivity: ConnectivityState.Online, lastError: message });
          return { acked, failed: true };
        }
        const before = this.store.backlog();
        this.store.acknowledge(answer.lastSeq, answer.rejected);
        const after = this.store.backlog();
        acked += before - after;
        this.succeeded(after);
        if (answer.lastSeq < head.seq) {
          // The portal's cursor is behind events it already acknowledged: it lost state (a
          // restore?). Those events are gone here, so retrying now would only spin.
          const message = `portal cursor ${answer.lastSeq} is behind the outbox head ${head.seq} (epoch ${this.store.dbEpoch})`;
          this.store.recordPushFailure(head.seq, message);
          this.update({ lastError: message });
          return { acked, failed: true };
        }
      }
    } catch (err) {
      // A store failure (disk, corruption) while syncing: keep the loop alive, show the error.
      this.update({ lastError: describe(err) });
      return { acked, failed: true };
    }
  }

  private catalogDue(): boolean {
    return this.lastCatalogPullMs === null || this.now().getTime() - this.lastCatalogPullMs >= this.catalogIntervalMs;
  }

  private nextBackoff(): number {
    this.failures += 1;
    return fullJitterDelay(this.backoff, this.failures, this.random);
  }

  private succeeded(backlog?: number): void {
    this.update({
      connectivity: ConnectivityState.Online,
      lastSyncAt: this.now().toISOString(),
      lastError: null,
      backlog: backlog ?? this.readBacklog(this.current.backlog),
    });
  }

  private failed(err: unknown): void {
    this.update({ connectivity: ConnectivityState.Offline, lastError: describe(err) });
  }

  private readBacklog(fallback: number): number {
    try {
      return this.store.backlog();
    } catch {
      return fallback;
    }
  }

  private update(patch: Partial<SyncState>): void {
    const next = { ...this.current, ...patch };
    const c = this.current;
    if (
      next.connectivity === c.connectivity &&
      next.lastSyncAt === c.lastSyncAt &&
      next.backlog === c.backlog &&
      next.lastError === c.lastError
    ) {
      return;
    }
    this.current = next;
    try {
      this.onState?.({ ...next });
    } catch (err) {
      console.error('sync engine: onState listener threw', err);
    }
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn);
    this.lock = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }
}
