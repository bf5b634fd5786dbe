import { isRealDay } from '../../common/domain/business-day.js';

/**
 * Dates PostgreSQL will accept. The contract's patterns allow `2025-02-30` as a business day and
 * year 0000 in a timestamp; PostgreSQL refuses both, and inside a set-based insert one refusal
 * would fail the whole batch. So events are checked here first and refused one by one.
 */

/** An ISO instant (already checked by the contract's schema) whose date part is a real day. */
export function isStorableInstant(iso: string): boolean {
  return isRealDay(iso.slice(0, 10)) && !Number.isNaN(Date.parse(iso));
}
