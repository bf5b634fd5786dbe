/**
 * Draws for the fuzzer. Every input has its own generator, seeded from (run seed, target, index):
 * input 123,456 of a target is the same bytes whatever ran before it, so a finding is replayed
 * from three numbers (`npm run test:fuzz -- --replay <target>:<index> --seed <seed>`).
 */
import { seededRandom, type Random } from '../faults/support/seeded-random.js';

export type { Random };

/** FNV-1a: a target's name as a number. */
function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** murmur3's finaliser over the three parts: neighbouring indexes give unrelated streams. */
function mix(seed: number, name: number, index: number): number {
  let h = (seed ^ Math.imul(name, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export function inputRandom(seed: number, target: string, index: number): Random {
  return seededRandom(mix(seed, hashName(target), index));
}

/** An integer in [min, max], both inclusive. */
export function int(r: Random, min: number, max: number): number {
  return min + Math.floor(r() * (max - min + 1));
}

export function chance(r: Random, p: number): boolean {
  return r() < p;
}

export function pick<T>(r: Random, items: readonly T[]): T {
  const item = items[Math.floor(r() * items.length)];
  if (item === undefined) throw new RangeError('pick from an empty list');
  return item;
}

/** Picks by weight: `[[weight, value], ...]`. */
export function weighted<T>(r: Random, table: ReadonlyArray<readonly [number, T]>): T {
  const total = table.reduce((s, [w]) => s + w, 0);
  let x = r() * total;
  for (const [w, value] of table) {
    x -= w;
    if (x < 0) return value;
  }
  const last = table[table.length - 1];
  if (!last) throw new RangeError('weighted pick from an empty table');
  return last[1];
}

export function randomBytes(r: Random, length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) out[i] = Math.floor(r() * 256);
  return out;
}

/** A length skewed towards small values (most bugs need few bytes), now and then up to `max`. */
export function skewedLength(r: Random, max: number): number {
  return Math.floor(max * r() ** 3);
}

/** Splits `bytes` the way a serial port might deliver them: whole, byte by byte, or in random pieces. */
export function randomChunks(r: Random, bytes: Buffer): Buffer[] {
  if (bytes.length === 0) return chance(r, 0.5) ? [] : [bytes];
  const style = r();
  if (style < 0.3) return [bytes];
  const chunks: Buffer[] = [];
  // Byte by byte for short inputs; long ones in pieces of up to 64 (the cost is per chunk, not per bug).
  const small = style < 0.45;
  const smallest = bytes.length <= 2_048 ? 3 : 64;
  for (let pos = 0; pos < bytes.length; ) {
    const size = small ? int(r, 1, smallest) : 1 + skewedLength(r, Math.max(1, bytes.length - pos));
    chunks.push(bytes.subarray(pos, pos + size));
    pos += size;
  }
  return chunks;
}
