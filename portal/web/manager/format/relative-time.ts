/** How long ago, in the largest whole unit: what a "last seen" label says. */
export enum AgoUnit {
  Seconds = 'seconds',
  Minutes = 'minutes',
  Hours = 'hours',
  Days = 'days',
}

export interface Ago {
  unit: AgoUnit;
  count: number;
}

/**
 * The time from `thenIso` to `nowMs` in one unit (`42 秒前`, `3 分钟前`): seconds under a minute,
 * minutes under an hour, hours under a day, then days. A time slightly ahead of the page's clock
 * (clocks disagree a little) counts as now.
 */
export function agoOf(thenIso: string, nowMs: number): Ago {
  const then = Date.parse(thenIso);
  const seconds = Number.isNaN(then) ? 0 : Math.max(0, Math.floor((nowMs - then) / 1000));
  if (seconds < 60) return { unit: AgoUnit.Seconds, count: seconds };
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return { unit: AgoUnit.Minutes, count: minutes };
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return { unit: AgoUnit.Hours, count: hours };
  return { unit: AgoUnit.Days, count: Math.floor(hours / 24) };
}
