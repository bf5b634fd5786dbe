/**
 * Dates PostgreSQL will accept. The contract's patterns allow `2025-02-30` as a business day and
 * year 0000 in a timestamp; PostgreSQL refuses both, and inside a set-based insert one refusal
 * would fail the whole batch. So events are checked here first and refused one by one.
 */

/** `YYYY-MM-DD` naming a real calendar day in years 1..9999. */
export function isRealDay(day: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d);
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** An ISO instant (already checked by the contract's schema) whose date part is a real day. */
export function isStorableInstant(iso: string): boolean {
  return isRealDay(iso.slice(0, 10)) && !Number.isNaN(Date.parse(iso));
}
