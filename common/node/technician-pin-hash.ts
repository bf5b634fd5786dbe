import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { TechnicianPinHash } from '../contract/kiosk-settings.js';
import { PIN_MAX_LENGTH, PIN_MIN_LENGTH, TechnicianPin } from '../contract/technician.js';

/**
 * The technician PIN at rest: `scrypt$N$r$p$<salt b64>$<hash b64>`, never the PIN itself. scrypt
 * makes each guess cost memory and time, so a copied configuration (or a kiosk's pull) does not
 * give the PIN away quickly; the kiosk's lockout limits guesses at the screen. Shared by the kiosk,
 * which checks a PIN against its hash, and the portal, which hashes the PIN a hall manager sets
 * and pushes only the hash (docs/architecture.md §7).
 */

export interface ScryptCost {
  /** CPU/memory cost, a power of two. */
  N: number;
  r: number;
  p: number;
}

const DEFAULT_COST: Readonly<ScryptCost> = { N: 16_384, r: 8, p: 1 };
const KEY_LENGTH = 32;

function derive(pin: string, salt: Buffer, cost: ScryptCost, keyLength: number): Promise<Buffer> {
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(pin, salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/**
 * A new hash of `pin`; tests may lower the cost, kiosks and the portal keep the default. Refuses a
 * PIN the login would refuse (not 6 to 12 digits), so no configuration can hold a short one.
 */
export async function hashPin(pin: string, opts: { salt?: Buffer; cost?: ScryptCost } = {}): Promise<string> {
  if (!TechnicianPin.safeParse(pin).success) throw new RangeError(`a technician PIN is ${PIN_MIN_LENGTH} to ${PIN_MAX_LENGTH} digits`);
  const salt = opts.salt ?? randomBytes(16);
  const cost = opts.cost ?? DEFAULT_COST;
  const key = await derive(pin, salt, cost, KEY_LENGTH);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Constant-time comparison; a malformed hash never matches. */
export async function verifyPin(pin: string, encoded: string): Promise<boolean> {
  if (!TechnicianPinHash.safeParse(encoded).success) return false;
  const [, n, r, p, salt, hash] = encoded.split('$');
  const expected = Buffer.from(hash ?? '', 'base64');
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  // N must be a power of two above 1; anything else is a broken configuration, not a match.
  if (!(cost.N > 1 && (cost.N & (cost.N - 1)) === 0) || expected.length < 16) return false;
  const actual = await derive(pin, Buffer.from(salt ?? '', 'base64'), cost, expected.length);
  return timingSafeEqual(actual, expected);
}
