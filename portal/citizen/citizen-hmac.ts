import { createHmac, randomBytes } from 'node:crypto';

/** A new hall's citizen key: 32 random bytes, hex. */
export function newCitizenKey(): string {
  return randomBytes(32).toString('hex');
}

/**
 * How a citizen is held anywhere in the system: HMAC-SHA256 keyed with the hall key's 32 bytes
 * (the hex string decoded, not its text), over the ID number in upper case as UTF-8; hex output.
 * Kiosks compute the same with the `citizenKey` they pull.
 */
export function citizenHmacOf(citizenKeyHex: string, idNumber: string): string {
  if (!/^[0-9a-f]{64}$/.test(citizenKeyHex)) throw new RangeError('citizen key must be 64 hex digits');
  return createHmac('sha256', Buffer.from(citizenKeyHex, 'hex')).update(idNumber.toUpperCase(), 'utf8').digest('hex');
}
