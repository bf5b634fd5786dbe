/**
 * Numbers of the statistics tables. Durations come from the portal in seconds; the tables show
 * minutes with one decimal (a median of 4.5 minutes reads better than 270 seconds), and a share
 * as a percentage with one decimal. `null` (nothing measured) is shown as a dash.
 */

export const NOTHING = '—';

export function minutesOf(seconds: number | null): string {
  if (seconds === null) return NOTHING;
  return (seconds / 60).toFixed(1);
}

export function percentOf(share: number | null): string {
  if (share === null) return NOTHING;
  return `${(share * 100).toFixed(1)}%`;
}

/** Minutes as a number for a chart (null stays a gap). */
export function chartMinutes(seconds: number | null): number | null {
  return seconds === null ? null : Math.round((seconds / 60) * 10) / 10;
}
