import { performance } from 'node:perf_hooks';
import { ConnectivityState } from '../../common/contract/kiosk-api.js';
import { PortalErrorCode } from '../../common/contract/errors.js';
import type { PushResponse, RejectedEvent } from '../../common/contract/sync-api.js';
import { addDays } from '../../common/domain/business-day.js';
import { hallBusinessDay } from '../hall-clock.js';
import type { KioskStore, PendingLease } from '../kiosk-store.js';
import { AcceptedClockOffset, type ClockConfirmation, type ClockJump } from './accepted-clock-offset.js';
import { fullJitterDelay, type BackoffPolicy } from './backoff.js';
import { composeHealthReport, type KioskSideHealth } from './health-report.js';
import type { ClockSample } from './clock-offset.js';
import { PortalClientError, PortalFailure, portalAnswered, type PortalClient } from './portal-client.js';

/** The phases of one sync round, run in this order (Joplin-style: each named, each switchable). */
export enum SyncPhase {
  /** Outbox batches in seq order until empty. */
  Push = 'push',
  /** Catalog, kiosk identity, bands and appointments since the stored cursor. */
  Pull = 'pull',
  /** New bands wherever today's or tomorrow's are below half a band. */
  Lease = 'lease',
  /** The kiosk's health report, when due (only with a `healthSource`). */
  Health = 'health',
}

export const ALL_SYNC_PHASES: readonly SyncPhase[] = [SyncPhase.Push, SyncPhase.Pull, SyncPhase.Lease, SyncPhase.Health];

export interface SyncState {
  connectivity: ConnectivityState;
  /** Last successful exchange with the portal (push, pull or lease). */
  lastSyncAt: string | null;
  /** Last successful pull. */
  lastPullAt: string | null;
  backlog: number;
  /**
   * Portal clock minus kiosk clock as accepted for the business day (the measurements while they
   * stay within the jump limit); null before the first.
   */
  clockOffsetMs: number | null;
  /** Events the portal refused, kept for the technician. */
  quarantined: number;
  lastError: string | null;
}

export interface SyncEngineOptions {
  store: KioskStore;
  /** The engine takes the client's clock samples (its own exchanges and every other caller's). */
  client: PortalClient;
  /** Which phases run, in the fixed order push → pull → lease (default: all). */
  phases?: readonly SyncPhase[];
  /** Events per push request (the contract allows up to 500). */
  batchSize?: number;
  pushTimeoutMs?: number;
  /** Budget of one pull or lease request; defaults to pushTimeoutMs. */
  requestTimeoutMs?: number;
  /** How often an idle loop looks at the outbox. */
  idleIntervalMs?: number;
  backoff?: BackoffPolicy;
  /** How often to pull while the portal answers (default 30 s); also at start and after a reconnect. */
  pullIntervalMs?: number;
  /** Numbers per leased band (default 50, 5..200); a lease is asked for below half a band left. */
  bandSize?: number;
  random?: () => number;
  /** Kiosk wall clock: timestamps and the business day. Never used to measure an interval. */
  now?: () => Date;
  /** Monotonic ms (default performance.now): every interval, immune to wall-clock jumps. */
  monoNow?: () => number;
  onState?: (s: SyncState) => void;
  /** After every exchange: whether the portal answered at all (feeds the online-numbering gate). */
  onPortalOutcome?: (answered: boolean) => void;
  /**
   * After every push the portal answered: the events it refused (now quarantined) and how many
   * events it consumed. The technician alerts follow it (a wrong kiosk clock).
   */
  onPushed?: (rejected: readonly RejectedEvent[], consumed: number) => void;
  /**
   * A measured clock offset beyond this from the accepted one is held until confirmed (default
   * 5 min), unless the kiosk's own clock is what jumped (accepted-clock-offset.ts).
   */
  maxClockJumpMs?: number;
  /** A clock jump is held (or moved), or the hold ended (null): the technician alert follows it. */
  onClockJump?: (jump: ClockJump | null) => void;
  /**
   * The kiosk's side of its health report (devices, version, disk); the engine adds its outbox,
   * its clock and how often it reports. Without it the engine sends no report.
   */
  healthSource?: () => KioskSideHealth;
}

interface DrainResult {
  acked: number;
  failed: boolean;
  /** A failure the portal answered (a refusal, a cursor that does not fit): it can still hear a report. */
  answered?: boolean;
}

enum PhaseOutcome {
  Done = 'done',
  /** The portal answered but refused: noted, the round goes on. */
  Refused = 'refused',
  /** No usable exchange: the round stops and backs off. */
  Failed = 'failed',
}

type PhaseResult = { outcome: PhaseOutcome.Done } | { outcome: PhaseOutcome.Refused | PhaseOutcome.Failed; error: unknown };

const DONE: PhaseResult = { outcome: PhaseOutcome.Done };
const MAX_ERROR_TEXT = 500;

function describe(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.slice(0, MAX_ERROR_TEXT);
}

function leaseKey(serviceId: string, businessDay: string): string {
  return `${serviceId}|${businessDay}`;
}

function isFailure(err: unknown, failure: PortalFailure): boolean {
  return err instanceof PortalClientError && err.failure === failure;
}

/**
 * Syncs the kiosk with the portal (docs/architecture.md §5) in named phases: push → pull → lease
 * → health. One exchange with the portal at a time; failures back off exponentially with full
 * jitter. The loop never throws: every outcome ends up in `state()`.
 *
 * Time: intervals (pull due, backoff) use the monotonic clock, so a kiosk clock that jumps
 * backwards or hours forward neither stalls nor floods the loop; the outbox is ordered by seq,
 * never by time. The wall clock only stamps and picks the business day (with the accepted offset:
 * a measured offset that jumps beyond the limit waits for a technician, accepted-clock-offset.ts).
 */
export class SyncEngine {
  private readonly store: KioskStore;
  private readonly client: PortalClient;
  private readonly phases: ReadonlySet<SyncPhase>;
  private readonly batchSize: number;
  private readonly pushTimeoutMs: number;
  private readonly requestTimeoutMs: number;
  private readonly idleIntervalMs: number;
  private readonly backoff: BackoffPolicy;
  private readonly pullIntervalMs: number;
  readonly bandSize: number;
  private readonly random: () => number;
  private readonly now: () => Date;
  private readonly monoNow: () => number;
  private readonly onState: ((s: SyncState) => void) | undefined;
  private readonly onPortalOutcome: ((answered: boolean) => void) | undefined;
  private readonly onPushed: ((rejected: readonly RejectedEvent[], consumed: number) => void) | undefined;
  private readonly healthSource: (() => KioskSideHealth) | undefined;

  private running = false;
  private timer: NodeJS.Timeout | null = null;
  private cycleInFlight: Promise<void> | null = null;
  private kickPending = false;
  private failures = 0;
  private lastPullMono: number | null = null;
  private lastHealthMono: number | null = null;
  /** Set by syncOnce(): report in the next round whatever the interval says. */
  private healthWanted = false;
  /** Set after a reconnect: pull in the next round whatever the interval says. */
  private pullWanted = false;
  /**
   * Pulls asked for by pullSoon() (the live channel), and how many of them a finished pull
   * covers: a change told while a pull is in flight may have missed that pull, so it gets another.
   */
  private pullsAsked = 0;
  private pullsServed = 0;
  /** False once the portal answered the pull route with 404 (it predates it): catalog only, no leases. */
  private pullSupported = true;
  /** (service|day) the portal refused to lease for; retried after the next successful pull. */
  private readonly leaseRefused = new Set<string>();
  /**
   * (service|day) for which this kiosk holds all the bands it may (409 `band-cap`): not asked
   * again that day, pull or not; the kiosk series takes over when they are used up.
   */
  private readonly leaseClosed = new Set<string>();
  private readonly clock: AcceptedClockOffset;
  /** Serializes portal exchanges: the loop, drainOnce(), pull() and syncOnce() never overlap. */
  private lock: Promise<void> = Promise.resolve();
  private current: SyncState;

  constructor(opts: SyncEngineOptions) {
    this.store = opts.store;
    this.client = opts.client;
    this.phases = new Set(opts.phases ?? ALL_SYNC_PHASES);
    this.batchSize = Math.max(1, Math.min(opts.batchSize ?? 200, 500));
    this.pushTimeoutMs = opts.pushTimeoutMs ?? 5_000;
    this.requestTimeoutMs = opts.requestTimeoutMs ?? this.pushTimeoutMs;
    this.idleIntervalMs = opts.idleIntervalMs ?? 2_000;
    this.backoff = opts.backoff ?? { baseMs: 500, maxMs: 30_000 };
    this.pullIntervalMs = opts.pullIntervalMs ?? 30_000;
    this.bandSize = Math.max(5, Math.min(Math.floor(opts.bandSize ?? 50), 200));
    this.random = opts.random ?? Math.random;
    this.now = opts.now ?? (() => new Date());
    this.monoNow = opts.monoNow ?? (() => performance.now());
    this.onState = opts.onState;
    this.onPortalOutcome = opts.onPortalOutcome;
    this.onPushed = opts.onPushed;
    this.healthSource = opts.healthSource;
    this.clock = new AcceptedClockOffset({ store: this.store, maxJumpMs: opts.maxClockJumpMs, onJump: opts.onClockJump });
    this.client.setClockListener((sample) => this.recordClockSample(sample));
    const saved = this.readSaved();
    this.current = {
      connectivity: ConnectivityState.Unknown,
      lastSyncAt: null,
      lastPullAt: saved.lastPullAt,
      backlog: this.readBacklog(0),
      clockOffsetMs: this.clock.accepted(),
      quarantined: saved.quarantined,
      lastError: null,
    };
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

  /** The push phase alone: batches until the outbox is empty or a push fails; returns the events acknowledged. */
  drainOnce(): Promise<number> {
    return this.exclusive(() => this.drain()).then((r) => r.acked);
  }

  /**
   * The portal told of a change (the live channel): pull in a round that starts now. Calls while a
   * round runs make one more round, not one each. It ends a backoff too: the portal evidently
   * answers.
   */
  pullSoon(): void {
    this.pullsAsked += 1;
    if (!this.running) return;
    if (this.cycleInFlight) {
      this.kickPending = true;
      return;
    }
    this.failures = 0;
    this.schedule(0);
  }

  /** The pull phase alone, now. Rejects with the failure (the state records it too). */
  async pull(): Promise<void> {
    const result = await this.exclusive(() => this.pullPhase());
    if (result.outcome !== PhaseOutcome.Done) throw result.error;
  }

  /** One whole round of the enabled phases, now, whatever the intervals say (tests, technician). */
  async syncOnce(): Promise<void> {
    this.pullWanted = true;
    this.healthWanted = true;
    await this.exclusive(() => this.cycle());
  }

  state(): SyncState {
    return { ...this.current, backlog: this.readBacklog(this.current.backlog) };
  }

  /**
   * Connectivity as seen by another caller that talked to the portal (online numbering). A
   * success also ends a backoff early: the portal is evidently back.
   */
  reportOutcome(ok: boolean): void {
    if (ok && this.current.connectivity === ConnectivityState.Offline) this.pullWanted = true;
    this.update({ connectivity: ok ? ConnectivityState.Online : ConnectivityState.Offline });
    if (ok && this.failures > 0) {
      this.failures = 0;
      if (this.running && !this.cycleInFlight) this.schedule(0);
    }
  }

  /**
   * A clock measurement from any successful exchange (the portal client reports them all):
   * accepted while it drifts within the limit, held when it jumps (accepted-clock-offset.ts).
   */
  recordClockSample(sample: ClockSample): void {
    try {
      this.clock.record(sample.offsetMs, sample.at);
    } catch (err) {
      this.update({ lastError: describe(err) });
    }
    this.update({ clockOffsetMs: this.clock.accepted() });
  }

  /** Portal clock minus kiosk clock as accepted, the one stored (no store access: cheap on the issuance path). */
  clockOffsetMs(): number | null {
    return this.clock.accepted();
  }

  /** A measured offset held back from the business day, waiting for a technician; null: none. */
  clockJump(): ClockJump | null {
    return this.clock.jump();
  }

  /** The technician confirms the held offset they were shown: it becomes the accepted one. */
  confirmClockJump(shownOffsetMs: number): ClockConfirmation {
    const result = this.clock.confirm(shownOffsetMs);
    this.update({ clockOffsetMs: this.clock.accepted() });
    return result;
  }

  /** The hall's business day now: kiosk clock + accepted offset, in the catalog's zone. */
  businessDay(timeZone: string, startHour = 0): string {
    return hallBusinessDay(this.now(), this.clock.accepted(), timeZone, startHour);
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    // setTimeout runs on the monotonic clock: a wall-clock jump does not move it.
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

  /** One round: push → pull (when due) → lease → health (when due). Resolves to the delay before the next round. */
  private async cycle(): Promise<number> {
    try {
      if (this.phases.has(SyncPhase.Push)) {
        const pushed = await this.drain();
        if (pushed.failed) {
          // The portal answered but will not take the outbox: the report is how the hall learns of it.
          if (pushed.answered) await this.healthPhase();
          return this.nextBackoff();
        }
      }
      if (this.phases.has(SyncPhase.Pull) && this.pullDue()) {
        if ((await this.pullPhase()).outcome === PhaseOutcome.Failed) return this.nextBackoff();
      }
      if (this.phases.has(SyncPhase.Lease)) {
        if ((await this.leasePhase()).outcome === PhaseOutcome.Failed) return this.nextBackoff();
      }
      if ((await this.healthPhase()).outcome === PhaseOutcome.Failed) return this.nextBackoff();
      this.failures = 0;
      return this.phases.has(SyncPhase.Push) && this.store.backlog() > 0 ? 0 : this.idleIntervalMs;
    } catch (err) {
      // A store failure (disk, corruption) while syncing: keep the loop alive, show the error.
      this.update({ lastError: describe(err) });
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
          return { acked, failed: true, answered: portalAnswered(err) };
        }
        this.onPortalOutcome?.(true);
        if (answer.lastSeq > this.store.lastSeq()) {
          // Only possible if this epoch's seqs were handed out before (a restored file that kept
          // its epoch): trimming would drop events the portal never saw, so stop and show it.
          const message = `portal cursor ${answer.lastSeq} is ahead of the last seq ${this.store.lastSeq()} (epoch ${this.store.dbEpoch})`;
          this.store.recordPushFailure(head.seq, message);
          this.update({ connectivity: ConnectivityState.Online, lastError: message });
          return { acked, failed: true, answered: true };
        }
        const before = this.store.backlog();
        this.store.acknowledge(answer.lastSeq, answer.rejected);
        const after = this.store.backlog();
        acked += before - after;
        try {
          this.onPushed?.(answer.rejected, before - after);
        } catch (err) {
          console.error('sync engine: onPushed listener threw', err);
        }
        if (answer.rejected.length > 0) this.update({ quarantined: this.store.quarantinedCount() });
        this.succeeded(after);
        if (answer.lastSeq < head.seq) {
          // The portal's cursor is behind events it already acknowledged: it lost state (a
          // restore?). Those events are gone here, so retrying now would only spin.
          const message = `portal cursor ${answer.lastSeq} is behind the outbox head ${head.seq} (epoch ${this.store.dbEpoch})`;
          this.store.recordPushFailure(head.seq, message);
          this.update({ lastError: message });
          return { acked, failed: true, answered: true };
        }
      }
    } catch (err) {
      this.update({ lastError: describe(err) });
      return { acked, failed: true };
    }
  }

  private pullDue(): boolean {
    return (
      this.pullWanted ||
      this.pullsServed < this.pullsAsked ||
      this.lastPullMono === null ||
      this.monoNow() - this.lastPullMono >= this.pullIntervalMs
    );
  }

  /**
   * Pulls since the stored cursor and stores the answer with its cursor in one transaction. A
   * portal without the pull route (404) still gets its catalog read; a refused cursor is dropped
   * so the next pull is a full one.
   */
  private async pullPhase(): Promise<PhaseResult> {
    const cursor = this.store.syncState().pullCursor;
    const asked = this.pullsAsked;
    try {
      const answer = await this.client.pull(cursor, this.requestTimeoutMs);
      this.onPortalOutcome?.(true);
      this.store.applyPull(answer);
      this.pullSupported = true;
      this.leaseRefused.clear();
      this.pullsServed = asked;
      this.pulled();
      return DONE;
    } catch (err) {
      if (!isFailure(err, PortalFailure.Rejected)) return this.phaseFailed(err);
      this.onPortalOutcome?.(true);
      // Answered, if with a refusal: asking again at once would only be refused again.
      this.pullsServed = asked;
      if (err instanceof PortalClientError && err.status === 404) return this.pullCatalogOnly();
      // Refused: not again before the interval, unless only the cursor was at fault.
      this.lastPullMono = this.monoNow();
      if (cursor !== null) {
        this.store.resetPullCursor();
        this.pullWanted = true;
      }
      this.update({ lastError: describe(err) });
      return { outcome: PhaseOutcome.Refused, error: err };
    }
  }

  private async pullCatalogOnly(): Promise<PhaseResult> {
    this.pullSupported = false;
    try {
      const catalog = await this.client.catalog(this.requestTimeoutMs);
      this.onPortalOutcome?.(true);
      this.store.saveCatalog(catalog);
      this.pulled();
      return DONE;
    } catch (err) {
      return this.phaseFailed(err);
    }
  }

  private pulled(): void {
    this.succeeded(undefined, this.now().toISOString());
    this.lastPullMono = this.monoNow();
    this.pullWanted = false;
  }

  /**
   * Keeps at least half a band of numbers for every enabled service, today and tomorrow. Each
   * lease id is stored before its request, so a retry after a lost answer asks for the same band:
   * leases left pending by an earlier round are retried first.
   */
  private async leasePhase(): Promise<PhaseResult> {
    if (!this.pullSupported) return DONE;
    const catalog = this.store.loadCatalog();
    if (!catalog) return DONE;
    const today = this.businessDay(catalog.hall.timeZone, catalog.hall.businessDayStartHour);
    for (const key of this.leaseClosed) if ((key.split('|')[1] ?? '') < today) this.leaseClosed.delete(key);
    for (const lease of this.store.pendingLeases()) {
      if (lease.businessDay < today) continue; // the purge drops it
      const result = await this.requestLease(lease);
      if (result.outcome === PhaseOutcome.Failed) return result;
    }
    for (const businessDay of [today, addDays(today, 1)]) {
      for (const service of catalog.services) {
        if (!service.enabled) continue;
        const key = leaseKey(service.id, businessDay);
        if (this.leaseRefused.has(key) || this.leaseClosed.has(key)) continue;
        if (this.store.bandsRemaining(service.id, businessDay) * 2 >= this.bandSize) continue;
        const result = await this.requestLease(this.store.pendingLease(service.id, businessDay, this.bandSize));
        if (result.outcome === PhaseOutcome.Failed) return result;
      }
    }
    return DONE;
  }

  private async requestLease(lease: PendingLease): Promise<PhaseResult> {
    const key = leaseKey(lease.serviceId, lease.businessDay);
    try {
      const answer = await this.client.leaseBand(
        { leaseId: lease.leaseId, serviceId: lease.serviceId, businessDay: lease.businessDay, size: Math.max(5, Math.min(lease.size, 200)) },
        this.requestTimeoutMs,
      );
      this.onPortalOutcome?.(true);
      // A band already known (it came with a pull meanwhile) closes the lease all the same.
      this.store.applyLease(lease.leaseId, answer.band);
      this.succeeded();
      return DONE;
    } catch (err) {
      if (err instanceof PortalClientError && !isFailure(err, PortalFailure.Rejected)) return this.phaseFailed(err);
      // Refused by the portal (or a band for the wrong service): a new id next time, after the next pull.
      if (err instanceof PortalClientError) this.onPortalOutcome?.(true);
      this.store.dropLease(lease.leaseId);
      this.leaseRefused.add(key);
      if (err instanceof PortalClientError && err.code === PortalErrorCode.BandCap) this.leaseClosed.add(key);
      this.update({ lastError: describe(err) });
      return { outcome: PhaseOutcome.Refused, error: err };
    }
  }

  /** How often the kiosk reports: its pull interval, but never less than one idle round. */
  private healthIntervalMs(): number {
    return Math.max(this.pullIntervalMs, this.idleIntervalMs);
  }

  /**
   * Sends the kiosk's health when due: in the first round, then about once per pull interval
   * (the portal calls a kiosk silent after two), whether or not there was anything to push. It is
   * due one idle round early, so the loop's own pace never stretches the gap towards two
   * intervals. A portal from before health reports (404), or one that refuses a report, does not
   * stop the sync: the report is news of the kiosk's work, not part of it.
   */
  private async healthPhase(): Promise<PhaseResult> {
    if (!this.healthSource || !this.phases.has(SyncPhase.Health)) return DONE;
    const interval = this.healthIntervalMs();
    const due = this.healthWanted || this.lastHealthMono === null || this.monoNow() - this.lastHealthMono >= interval - this.idleIntervalMs;
    if (!due) return DONE;
    try {
      const state = this.state();
      const report = composeHealthReport(this.healthSource(), {
        backlog: state.backlog,
        quarantined: state.quarantined,
        clockOffsetMs: state.clockOffsetMs,
        heldClockOffsetMs: this.clock.jump()?.measuredOffsetMs ?? null,
        reportIntervalMs: interval,
        at: this.now(),
      });
      await this.client.reportHealth(report, this.requestTimeoutMs);
      this.onPortalOutcome?.(true);
      this.healthReported();
      return DONE;
    } catch (err) {
      if (!(err instanceof PortalClientError)) {
        // The report could not be made (a device's state unreadable): the sync goes on without it.
        this.healthReported();
        this.update({ lastError: describe(err) });
        return { outcome: PhaseOutcome.Refused, error: err };
      }
      if (!isFailure(err, PortalFailure.Rejected)) return this.phaseFailed(err);
      this.onPortalOutcome?.(true);
      this.healthReported();
      // A refusal is worth the technician's eye (a kiosk id its token does not match), unless a
      // push failure already holds it; a 404 only says the portal predates the route.
      if (err.status !== 404 && this.current.lastError === null) this.update({ lastError: describe(err) });
      return { outcome: PhaseOutcome.Refused, error: err };
    }
  }

  private healthReported(): void {
    this.lastHealthMono = this.monoNow();
    this.healthWanted = false;
  }

  private phaseFailed(err: unknown): PhaseResult {
    if (err instanceof PortalClientError) {
      this.failed(err);
    } else {
      this.update({ lastError: describe(err) });
    }
    return { outcome: PhaseOutcome.Failed, error: err };
  }

  private nextBackoff(): number {
    this.failures += 1;
    return fullJitterDelay(this.backoff, this.failures, this.random);
  }

  private succeeded(backlog?: number, lastPullAt?: string): void {
    // Back from offline: pull at once (bands and appointments may have moved meanwhile).
    if (this.current.connectivity === ConnectivityState.Offline) this.pullWanted = true;
    this.update({
      connectivity: ConnectivityState.Online,
      lastSyncAt: this.now().toISOString(),
      lastError: null,
      backlog: backlog ?? this.readBacklog(this.current.backlog),
      ...(lastPullAt === undefined ? {} : { lastPullAt }),
    });
  }

  private failed(err: unknown): void {
    if (err instanceof PortalClientError) this.onPortalOutcome?.(portalAnswered(err));
    this.update({ connectivity: ConnectivityState.Offline, lastError: describe(err) });
  }

  private readBacklog(fallback: number): number {
    try {
      return this.store.backlog();
    } catch {
      return fallback;
    }
  }

  private readSaved(): { lastPullAt: string | null; quarantined: number } {
    try {
      const saved = this.store.syncState();
      return { lastPullAt: saved.lastPullAt, quarantined: this.store.quarantinedCount() };
    } catch {
      return { lastPullAt: null, quarantined: 0 };
    }
  }

  private update(patch: Partial<SyncState>): void {
    const next = { ...this.current, ...patch };
    const c = this.current;
    if (
      next.connectivity === c.connectivity &&
      next.lastSyncAt === c.lastSyncAt &&
      next.lastPullAt === c.lastPullAt &&
      next.backlog === c.backlog &&
      next.clockOffsetMs === c.clockOffsetMs &&
      next.quarantined === c.quarantined &&
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
