/**
 * Byte mutations any parser's input gets (AFL's havoc, in small): bit flips, interesting bytes,
 * truncation, insertion, deletion, duplication and splicing. Parser-specific ones (a SAM length
 * field that lies, a duplicated preamble) live with their target and are passed in as extras.
 */
import { chance, int, pick, randomBytes, skewedLength, type Random } from './fuzz-random.js';

export type Mutator = (r: Random, input: Buffer) => Buffer;

/** Bytes that mean something to one of the parsers: framing, line ends, UTF-8 and UCS-2 edges. */
export const INTERESTING_BYTES = [0x00, 0x01, 0x0a, 0x0d, 0x10, 0x12, 0x20, 0x3f, 0x7f, 0x80, 0x96, 0x69, 0xaa, 0xbf, 0xc0, 0xd8, 0xdc, 0xed, 0xef, 0xfe, 0xff] as const;

const flipBit: Mutator = (r, input) => {
  if (input.length === 0) return input;
  const out = Buffer.from(input);
  const flips = int(r, 1, 4);
  for (let i = 0; i < flips; i++) {
    const at = int(r, 0, out.length - 1);
    out[at] = (out[at] ?? 0) ^ (1 << int(r, 0, 7));
  }
  return out;
};

const setInteresting: Mutator = (r, input) => {
  if (input.length === 0) return input;
  const out = Buffer.from(input);
  out[int(r, 0, out.length - 1)] = pick(r, INTERESTING_BYTES);
  return out;
};

const setRandom: Mutator = (r, input) => {
  if (input.length === 0) return input;
  const out = Buffer.from(input);
  out[int(r, 0, out.length - 1)] = int(r, 0, 255);
  return out;
};

const truncate: Mutator = (r, input) => input.subarray(0, int(r, 0, input.length));

const dropHead: Mutator = (r, input) => input.subarray(int(r, 0, input.length));

const insertBytes: Mutator = (r, input) => {
  const at = int(r, 0, input.length);
  const inserted = chance(r, 0.5) ? randomBytes(r, 1 + skewedLength(r, 64)) : Buffer.alloc(int(r, 1, 16), pick(r, INTERESTING_BYTES));
  return Buffer.concat([input.subarray(0, at), inserted, input.subarray(at)]);
};

const deleteRange: Mutator = (r, input) => {
  if (input.length === 0) return input;
  const at = int(r, 0, input.length - 1);
  const length = 1 + skewedLength(r, input.length - at);
  return Buffer.concat([input.subarray(0, at), input.subarray(at + length)]);
};

const duplicateRange: Mutator = (r, input) => {
  if (input.length === 0) return input;
  const from = int(r, 0, input.length - 1);
  const piece = input.subarray(from, from + 1 + skewedLength(r, input.length - from));
  const at = int(r, 0, input.length);
  const copies = chance(r, 0.8) ? 1 : int(r, 2, 8);
  return Buffer.concat([input.subarray(0, at), ...Array.from({ length: copies }, () => piece), input.subarray(at)]);
};

const swapRanges: Mutator = (r, input) => {
  if (input.length < 2) return input;
  const cut = int(r, 1, input.length - 1);
  return Buffer.concat([input.subarray(cut), input.subarray(0, cut)]);
};

export const GENERIC_MUTATORS: readonly Mutator[] = [
  flipBit, flipBit, setInteresting, setRandom, truncate, dropHead, insertBytes, deleteRange, duplicateRange, swapRanges,
];

/** One to `maxStack` mutations in a row, drawn from the generic ones and `extra` (weighted alike). */
export function mutate(r: Random, input: Buffer, extra: readonly Mutator[] = [], maxStack = 4): Buffer {
  const all = [...GENERIC_MUTATORS, ...extra];
  let out = input;
  const rounds = 1 + Math.floor(maxStack * r() ** 2);
  for (let i = 0; i < rounds; i++) out = pick(r, all)(r, out);
  return out;
}

/** Lower-case hex, for reproducers. */
export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
