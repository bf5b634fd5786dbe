import type pg from 'pg';
import { sweepEndOfDay } from './end-of-day.js';

/** Every hall's day ends at its own hour: a quarter of an hour after it, the sweep has run. */
export const END_OF_DAY_SWEEP_INTERVAL_MS = 15 * 60_000;

export interface EndOfDayScheduleOptions {
  intervalMs?: number;
  clock?: () => Date;
  /** After a run that cancelled something: tickets per hall. */
  onSwept?: (swept: Map<string, number>, ms: number) => void;
  /** A run that failed (PostgreSQL away, a lock timeout): the next run tries again. */
  onError?: (err: unknown) => void;
  /** Delay of the first run; default 0, right after start. */
  firstRunMs?: number;
}

export interface EndOfDaySchedule {
  /** Runs a sweep now, or joins the one under way. */
  runNow(): Promise<Map<string, number> | null>;
  /** No further run; resolves once a run under way has finished. */
  stop(): Promise<void>;
}

/**
 * The end-of-day sweep inside the portal process: once at start (a portal that was down over
 * the day boundary catches up), then every interval, never two at once (timed from the end of
 * the last run). Several portal processes may each run it: the sweep is idempotent and each
 * ticket is closed by one conditional update. The timer does not keep the process alive;
 * stop() before the pool is closed.
 */
export function startEndOfDaySchedule(pool: pg.Pool, options: EndOfDayScheduleOptions = {}): EndOfDaySchedule {
  const clock = options.clock ?? ((): Date => new Date());
  const intervalMs = options.intervalMs ?? END_OF_DAY_SWEEP_INTERVAL_MS;
  let stopped = false;
  let running: Promise<Map<string, number> | null> | null = null;
  let timer: NodeJS.Timeout | null = null;

  const schedule = (ms: number): void => {
    if (stopped) return;
    timer = setTimeout(() => void runNow(), ms);
    timer.unref();
  };

  const runNow = (): Promise<Map<string, number> | null> => {
    if (running) return running;
    if (timer) clearTimeout(timer);
    timer = null;
    const started = performance.now();
    running = sweepEndOfDay(pool, clock())
      .then(
        (swept) => {
          if (swept.size > 0) options.onSwept?.(swept, performance.now() - started);
          return swept;
        },
        (err: unknown) => {
          if (!stopped) options.onError?.(err);
          return null;
        },
      )
      .finally(() => {
        running = null;
        schedule(intervalMs);
      });
    return running;
  };

  schedule(options.firstRunMs ?? 0);
  return {
    runNow,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
