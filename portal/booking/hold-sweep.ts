import type pg from 'pg';
import { z } from 'zod';
import { releaseExpiredInSlot } from './slot-counter.js';

/** Slots per sweep; a larger backlog is taken by the next run. */
const SWEEP_BATCH = 1_000;

const SlotRow = z.object({ hall_id: z.string(), service_id: z.string(), window_start: z.date() });

/**
 * Releases every hold expired at `now`, one slot (and one short transaction) at a time, under the
 * slot's lock like any other change of its places (slot-counter.ts). Holds are also released
 * whenever their slot is next touched; this is for the slots nobody touches again. Returns how
 * many places went back.
 */
export async function sweepExpiredHolds(pool: pg.Pool, now: Date): Promise<number> {
  const slots = await pool.query(
    `SELECT DISTINCT hall_id, service_id, window_start FROM appointments
     WHERE status = 'held' AND hold_expires_at <= $1
     ORDER BY hall_id, service_id, window_start LIMIT ${SWEEP_BATCH}`,
    [now],
  );
  let released = 0;
  for (const raw of slots.rows) {
    const slot = SlotRow.parse(raw);
    released += await releaseExpiredInSlot(pool, { hallId: slot.hall_id, serviceId: slot.service_id, slotStart: slot.window_start }, now);
  }
  return released;
}

export const HOLD_SWEEP_INTERVAL_MS = 60_000;

export interface HoldSweepSchedule {
  /** Sweeps now, or joins the sweep under way. */
  runNow(): Promise<number | null>;
  /** No further run; resolves once a run under way has finished. */
  stop(): Promise<void>;
}

/**
 * The sweep inside the portal process, every interval, never two at once. Several portal
 * processes may each run it: each hold is released once, under its slot's lock. The timer does
 * not keep the process alive; stop() before the pool is closed.
 */
export function startHoldSweepSchedule(
  pool: pg.Pool,
  options: { intervalMs?: number; clock?: () => Date; onError?: (err: unknown) => void } = {},
): HoldSweepSchedule {
  const clock = options.clock ?? ((): Date => new Date());
  const intervalMs = options.intervalMs ?? HOLD_SWEEP_INTERVAL_MS;
  let stopped = false;
  let running: Promise<number | null> | null = null;
  let timer: NodeJS.Timeout | null = null;
  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => void runNow(), intervalMs);
    timer.unref();
  };
  const runNow = (): Promise<number | null> => {
    if (running) return running;
    if (timer) clearTimeout(timer);
    timer = null;
    running = sweepExpiredHolds(pool, clock())
      .catch((err: unknown) => {
        if (!stopped) options.onError?.(err);
        return null;
      })
      .finally(() => {
        running = null;
        schedule();
      });
    return running;
  };
  schedule();
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
