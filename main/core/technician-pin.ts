import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { z } from 'zod';
import { PIN_MAX_LENGTH, PIN_MIN_LENGTH, TechnicianPin } from '../../common/contract/kiosk-api.js';

/**
 * The technician PIN as the configuration holds it: `scrypt$N$r$p$<salt b64>$<hash b64>`, never
 * the PIN itself. scrypt makes each guess cost memory and time, so a copied config file does not
 * give the PIN away quickly; the kiosk's lockout limits guesses at the screen.
 */
export const PinHash = z.string().regex(/^scrypt\$\d{1,7}\$\d{1,3}\$\d{1,3}\$[A-Za-z0-9+/]+={0,2}\$[A-Za-z0-9+/]+={0,2}$/, 'scrypt$N$r$p$salt$hash');

/** The demo PIN (documented in the README); a kiosk still using it raises a technician alert. */
export const DEMO_PIN = '135790';
/** `hashPin(DEMO_PIN)` with a fixed salt, so the default config needs no secret at build time. */
export const DEMO_PIN_HASH = 'scrypt$16384$8$1$ZGVtby1waW4tc2FsdC0x$SnL1wi+t0sPSeTzfQ9g0OrP/Kzhyll6ZGWONZ+A9r0g=';

const DEFAULT_COST = { N: 16_384, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

function derive(pin: string, salt: Buffer, cost: ScryptCost, keyLength: number): Promise<Buffer> {
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(pin, salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export interface ScryptCost {
  /** CPU/memory cost, a power of two. */
  N: number;
  r: number;
  p: number;
}

/**
 * A new hash of `pin`; tests may lower the cost, kiosks keep the default. Refuses a PIN the login
 * would refuse (not 6 to 12 digits), so no configuration can hold a short one.
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
  if (!PinHash.safeParse(encoded).success) return false;
  const [, n, r, p, salt, hash] = encoded.split('$');
  const expected = Buffer.from(hash ?? '', 'base64');
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  // N must be a power of two above 1; anything else is a broken configuration, not a match.
  if (!(cost.N > 1 && (cost.N & (cost.N - 1)) === 0) || expected.length < 16) return false;
  const actual = await derive(pin, Buffer.from(salt ?? '', 'base64'), cost, expected.length);
  return timingSafeEqual(actual, expected);
}
