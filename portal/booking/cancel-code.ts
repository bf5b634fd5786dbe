import { createHash, randomInt, timingSafeEqual } from 'node:crypto';

/**
 * The six-digit cancel code of an online booking: shown once, at confirmation, and kept only as
 * SHA-256 over the appointment id and the code, so the same code of two bookings hashes apart.
 * Six digits are few: what protects them is that cancelling needs the reference too, the public
 * routes are rate limited per address, and a booking takes only a few wrong codes
 * (MAX_CANCEL_FAILURES) before it can be cancelled at the hall only.
 */

export const MAX_CANCEL_FAILURES = 10;

export function newCancelCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

export function cancelCodeHash(appointmentId: string, code: string): string {
  return createHash('sha256').update(`${appointmentId.toLowerCase()}:${code}`, 'utf8').digest('hex');
}

/** Constant-time comparison with the stored hash (null: the booking has no code, e.g. booked by staff). */
export function cancelCodeMatches(appointmentId: string, code: string, storedHash: string | null): boolean {
  if (storedHash === null) return false;
  const given = Buffer.from(cancelCodeHash(appointmentId, code), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}
