import { createHmac } from 'node:crypto';

const KEY = /^[0-9a-f]{64}$/;

/**
 * How the kiosk holds a citizen: HMAC-SHA256 keyed with the hall's citizen key (pulled from the
 * portal; its 32 bytes, not its hex text) over the ID number in upper case as UTF-8, hex out.
 * The same rule as the portal's, so a kiosk hash matches an appointment's (docs/architecture.md §7).
 * The raw number is never stored; only this value is.
 */
export function citizenHmacOf(citizenKeyHex: string, idNumber: string): string {
  if (!KEY.test(citizenKeyHex)) throw new RangeError('citizen key must be 64 hex digits');
  return createHmac('sha256', Buffer.from(citizenKeyHex, 'hex')).update(idNumber.trim().toUpperCase(), 'utf8').digest('hex');
}
