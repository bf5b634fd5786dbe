import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Staff passwords at rest: `scrypt$N$r$p$<salt b64>$<key b64>`. The cost travels with each hash,
 * so it can be raised later without breaking the hashes already stored: a sign-in that finds a
 * hash below the current cost re-hashes the password it just checked (`needsRehash`).
 *
 * Cost: N = 2^15, r = 8, p = 1 (32 MiB and about 0.1 s a hash here). OWASP's 2^17 takes 128 MiB
 * a hash, too much for a portal on two cores when a hall's clerks all sign in at opening time;
 * the per-account lockout and the per-address failure budget bound online guessing, and the cost
 * bounds guessing on a stolen copy of the table.
 */
export interface ScryptCost {
  /** CPU/memory cost, a power of two. */
  N: number;
  r: number;
  p: number;
}

export const DEFAULT_PASSWORD_COST: Readonly<ScryptCost> = { N: 32_768, r: 8, p: 1 };

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
const ENCODED = /^scrypt\$(\d{1,8})\$(\d{1,3})\$(\d{1,3})\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;
/** Above this the hash is not one the portal wrote: refuse it rather than spend a gigabyte. */
const MAX_N = 1 << 20;

function derive(password: string, salt: Buffer, cost: ScryptCost, keyLength: number): Promise<Buffer> {
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    // NFC: the same password typed on another keyboard or OS must give the same key.
    scrypt(password.normalize('NFC'), salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

interface Parsed {
  cost: ScryptCost;
  salt: Buffer;
  key: Buffer;
}

function parse(encoded: string): Parsed | null {
  const match = ENCODED.exec(encoded);
  if (!match) return null;
  const cost = { N: Number(match[1]), r: Number(match[2]), p: Number(match[3]) };
  const salt = Buffer.from(match[4] ?? '', 'base64');
  const key = Buffer.from(match[5] ?? '', 'base64');
  // N must be a power of two above 1; a short key or salt is a broken hash, not a match.
  const validN = cost.N > 1 && cost.N <= MAX_N && (cost.N & (cost.N - 1)) === 0;
  if (!validN || cost.r < 1 || cost.p < 1 || key.length < 16 || salt.length < 8) return null;
  return { cost, salt, key };
}

/** A new hash of `password` with a fresh salt; tests may lower the cost, the portal keeps the default. */
export async function hashPassword(password: string, opts: { cost?: ScryptCost; salt?: Buffer } = {}): Promise<string> {
  const cost = opts.cost ?? DEFAULT_PASSWORD_COST;
  const salt = opts.salt ?? randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, cost, KEY_LENGTH);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Constant-time comparison of the derived keys; a malformed hash never matches. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const parsed = parse(encoded);
  if (!parsed) return false;
  const actual = await derive(password, parsed.salt, parsed.cost, parsed.key.length);
  return timingSafeEqual(actual, parsed.key);
}

/** Whether a hash that just verified was made with less than `cost`: worth re-hashing. */
export function needsRehash(encoded: string, cost: ScryptCost = DEFAULT_PASSWORD_COST): boolean {
  const parsed = parse(encoded);
  if (!parsed) return true;
  return parsed.cost.N < cost.N || parsed.cost.r < cost.r || parsed.cost.p < cost.p;
}

let dummy: Promise<string> | null = null;

/**
 * Spends the time of one verification against the current cost and answers false: for an unknown
 * user, a disabled account or a locked one, so the answer comes in the time a wrong password's
 * does and tells nobody which usernames exist.
 */
export async function verifyAgainstNothing(password: string): Promise<false> {
  dummy ??= hashPassword('no account has this password: it only spends the time of a check');
  await verifyPassword(password, await dummy);
  return false;
}
