/**
 * When an appointment may be checked in (预约签到): from `beforeMinutes` before the booked slot's
 * start to `afterMinutes` after it (the hall's `checkInWindow`). Pure: the kiosk judges it with the
 * hall clock (its own clock plus the portal offset it accepted), never the machine's alone.
 */
export interface CheckInWindowRule {
  beforeMinutes: number;
  afterMinutes: number;
}

export interface CheckInWindow {
  from: Date;
  until: Date;
}

export enum CheckInTiming {
  Early = 'early',
  InWindow = 'in-window',
  Late = 'late',
}

const MINUTE_MS = 60_000;

export function checkInWindowOf(start: Date, rule: CheckInWindowRule): CheckInWindow {
  return {
    from: new Date(start.getTime() - rule.beforeMinutes * MINUTE_MS),
    until: new Date(start.getTime() + rule.afterMinutes * MINUTE_MS),
  };
}

/** Both ends belong to the window: 09:00 for a 09:30 slot with 30 minutes before is on time. */
export function checkInTiming(at: Date, window: CheckInWindow): CheckInTiming {
  if (at.getTime() < window.from.getTime()) return CheckInTiming.Early;
  if (at.getTime() > window.until.getTime()) return CheckInTiming.Late;
  return CheckInTiming.InWindow;
}
