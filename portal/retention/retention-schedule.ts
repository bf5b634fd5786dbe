import type pg from 'pg';
import { purgePersonalData, type PurgeReport } from './purge-personal-data.js';
import type { PortalRetentionPolicy } from './retention-policy.js';

export interface RetentionScheduleOptions {
  policy: PortalRetentionPolicy;
  clock?: () => Date;
  /** After every run that completed (the portal logs it as one JSON line). */
  onReport?: (report: PurgeReport, ms: number) => void;
  /** A run that failed (PostgreSQL away, a lock timeout): the next run tries again. */
  onError?: (err: unknown) => void;
  /** Delay of the first run; default 0, right after start. */
  firstRunMs?: number;
}

export interface RetentionSchedule {
  /** Runs a purge now, or joins the one under way. */
  runNow(): Promise<PurgeReport | null>;
  /** No further run; a run under way stops after its current batch. Resolves once it has. */
  stop(): Promise<void>;
}

/**
 * The purge inside the portal process: once at start, then every `policy.intervalMs`, never two
 * at once (the next run is timed from the end of the last). The timer does not keep the process
 * alive; stop() before the pool is closed.
 */
export function startRetentionSchedule(pool: pg.Pool, options: RetentionScheduleOptions): RetentionSchedule {
  const clock = options.clock ?? ((): Date => new Date());
  const stopping = new AbortController();
  let running: Promise<PurgeReport | null> | null = null;
  let timer: NodeJS.Timeout | null = null;

  const schedule = (ms: number): void => {
    if (stopping.signal.aborted) return;
    timer = setTimeout(() => void runNow(), ms);
    timer.unref();
  };

  const runNow = (): Promise<PurgeReport | null> => {
    if (running) return running;
    if (timer) clearTimeout(timer);
    timer = null;
    const started = performance.now();
    running = purgePersonalData(pool, { policy: options.policy, now: clock(), signal: stopping.signal })
      .then(
        (report) => {
          if (report.complete) options.onReport?.(report, performance.now() - started);
          return report;
        },
        (err: unknown) => {
          if (!stopping.signal.aborted) options.onError?.(err);
          return null;
        },
      )
      .finally(() => {
        running = null;
        schedule(options.policy.intervalMs);
      });
    return running;
  };

  schedule(options.firstRunMs ?? 0);
  return {
    runNow,
    async stop() {
      stopping.abort();
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
