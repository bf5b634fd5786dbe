import type pg from 'pg';
import { HallEventKind } from '../../common/contract/hall-events.js';
import { addDays, businessDayOf } from '../../common/domain/business-day.js';
import { withTransaction } from '../db/transaction.js';
import { emitHallEvent } from '../realtime/emit-hall-event.js';

/**
 * Telling the hall's kiosks (GET /v1/kiosk/stream) that bookings of a day they hold (today or
 * tomorrow in the hall) were confirmed or cancelled, so they pull at once rather than at their next
 * periodic pull.
 *
 * Unlike the counter's events, `appointments.changed` is emitted just after the booking commits,
 * not inside its transaction, and coalesced per hall for a moment (`delayMs`): it is only a "pull
 * now" (the pull reads what was committed), and emitting it inside would make every booking of
 * the hall wait in line for the hall's event counter until the one before it committed — at
 * 08:00, a hundred bookings one after another. Coalesced, a rush of bookings is one pull per
 * kiosk, not one per booking. What a crash between the commit and the event costs: the kiosk
 * finds the booking at its next periodic pull.
 */

/** Whether `day` is one the hall's kiosks hold appointments of at `now`. */
export function kiosksHoldDay(hall: { timeZone: string; businessDayStartHour: number }, day: string, now: Date): boolean {
  const today = businessDayOf(now, hall.timeZone, hall.businessDayStartHour);
  return day === today || day === addDays(today, 1);
}

/** Called after a booking of `day` in `hallId` committed (confirmed or cancelled). */
export type AppointmentsChanged = (hallId: string, day: string) => void;

export interface AppointmentsNotifier {
  changed: AppointmentsChanged;
  /** Emits what is pending now, and stops. */
  close(): Promise<void>;
}

export const APPOINTMENTS_NOTIFY_DELAY_MS = 100;

/** One `appointments.changed` per hall per `delayMs` at most, with every day that changed in it. */
export function createAppointmentsNotifier(
  pool: pg.Pool,
  options: { delayMs?: number; onError?: (err: unknown) => void } = {},
): AppointmentsNotifier {
  const delayMs = options.delayMs ?? APPOINTMENTS_NOTIFY_DELAY_MS;
  const pending = new Map<string, { days: Set<string>; timer: NodeJS.Timeout }>();
  const inFlight = new Set<Promise<void>>();
  let closed = false;

  const flush = (hallId: string): void => {
    const entry = pending.get(hallId);
    if (!entry) return;
    pending.delete(hallId);
    clearTimeout(entry.timer);
    const days = [...entry.days].sort();
    const emitting = withTransaction(pool, async (client) => {
      await emitHallEvent(client, hallId, { kind: HallEventKind.AppointmentsChanged, payload: { days } });
    })
      .catch((err: unknown) => options.onError?.(err))
      .finally(() => inFlight.delete(emitting));
    inFlight.add(emitting);
  };

  return {
    changed(hallId, day) {
      if (closed) return;
      const entry = pending.get(hallId);
      if (entry) {
        entry.days.add(day);
        return;
      }
      const timer = setTimeout(() => flush(hallId), delayMs);
      timer.unref();
      pending.set(hallId, { days: new Set([day]), timer });
    },
    async close() {
      closed = true;
      for (const hallId of [...pending.keys()]) flush(hallId);
      await Promise.all([...inFlight]);
    },
  };
}
