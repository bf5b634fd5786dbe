import { randomBytes } from 'node:crypto';

/** No 0/O, 1/I/L or U/V: a reference read out or typed by hand survives. */
export const REFERENCE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTWXYZ';
export const REFERENCE_PREFIX = 'HKA-';
const REFERENCE_LENGTH = 8;

/** `HKA-7Q2M9XKD`: 8 symbols from a CSPRNG (29^8, about 5e11), uniform by rejection sampling. */
export function newAppointmentReference(random: (n: number) => Uint8Array = (n) => randomBytes(n)): string {
  const size = REFERENCE_ALPHABET.length;
  // The largest multiple of the alphabet size below 256: bytes at or above it would bias.
  const limit = 256 - (256 % size);
  let out = '';
  while (out.length < REFERENCE_LENGTH) {
    for (const byte of random(REFERENCE_LENGTH * 2)) {
      if (byte >= limit) continue;
      out += REFERENCE_ALPHABET[byte % size];
      if (out.length === REFERENCE_LENGTH) break;
    }
  }
  return `${REFERENCE_PREFIX}${out}`;
}
