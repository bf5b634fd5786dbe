/** A signed duration in hours with one decimal (`+24.0`, `-0.1`): the size of a clock jump at a glance. */
export function signedHours(ms: number): string {
  const hours = (Math.abs(ms) / 3_600_000).toFixed(1);
  return `${ms < 0 ? '-' : '+'}${hours}`;
}
