/**
 * The SAM frame parsers (reader replies, and host commands for the simulator's side), driven
 * through their Transform interface with valid frames, mutated frames (bit flips, truncation,
 * insertion, length fields that lie, duplicated preambles, huge lengths), preamble soup, random
 * bytes and large single chunks, split as a serial port might, with the driver's reset() between
 * exchanges. Legitimate: 'frame-error' events with a SamFrameErrorCode. Crashes: a throw or an
 * 'error' event; and these oracles broken:
 * - every frame it emits is, re-encoded, a run of bytes of the input (it invents nothing);
 * - every input byte is accounted for once: in a frame, or in a frame-error's `skipped`;
 * - it never holds more than maxBodyLength + 7 bytes between writes;
 * - an unmutated stream gives back exactly its frames, and a clean frame after any junk is found,
 *   but for the one case no framer can tell: a false frame whose checksum matches and whose claimed
 *   end falls inside the clean frame's preamble exactly where a write ended (at that moment it is
 *   byte for byte a real frame ending in AA, which must not be held back). Counted as
 *   `fuzz.undecidable-split`, not a crash.
 */
import {
  DEFAULT_MAX_BODY_LENGTH,
  encodeSamCommand,
  encodeSamReply,
  SAM_PREAMBLE,
  samChecksum,
  SamCommandParser,
  SamCommands,
  SamFrameError,
  SamFrameErrorCode,
  SamFrameParser,
  type SamCommandFrame,
  type SamReplyFrame,
} from '../../../devices/id-card/sam-frame-codec.js';
import { SamStatus, samStatusByte } from '../../../devices/id-card/sam-status.js';
import { chance, int, pick, randomBytes, randomChunks, skewedLength, weighted, type Random } from '../fuzz-random.js';
import { check, countRejection, newCounters, type FuzzCounters, type FuzzRunner, type FuzzTarget } from '../fuzz-target.js';
import { hex, mutate, type Mutator } from '../mutate.js';

export type SamSide = 'reply' | 'command';

/** Bytes the framer may hold between writes: a frame of the largest body, header included, and 3 bytes of the next preamble. */
export const SAM_BUFFER_BOUND = DEFAULT_MAX_BODY_LENGTH + 11;
const HEADER = SAM_PREAMBLE.length + 2;
/** Memory behind those bytes it may keep alive: a pool slab, or two of the largest frames. */
export const SAM_RETAINED_BOUND = Math.max(Buffer.poolSize, 2 * (HEADER + DEFAULT_MAX_BODY_LENGTH + 1));

/**
 * The memory the parser's held bytes keep alive. White-box on purpose: a view of four bytes can
 * pin the whole chunk it was cut from, which `bufferedLength` cannot show.
 */
function retainedBytes(parser: SamFrameParser | SamCommandParser): number {
  const held = (parser as unknown as { buffer?: unknown }).buffer;
  check(Buffer.isBuffer(held), () => 'the framer keeps no `buffer` field: update retainedBytes to its storage');
  return held.buffer.byteLength;
}
const CODES = new Set<string>(Object.values(SamFrameErrorCode));
const KNOWN_SW3 = Object.values(SamStatus)
  .filter((s): s is Exclude<SamStatus, SamStatus.Unknown> => s !== SamStatus.Unknown)
  .map((s) => samStatusByte(s));
const COMMANDS = Object.values(SamCommands);

export interface SamInput {
  /** Written in order; null is a reset() (the driver resets before every command). */
  steps: (Buffer | null)[];
  /** For an unmutated stream: the encoded frames it must give back, exactly and in order. */
  expected: Buffer[] | null;
  /** A clean frame written last: whatever junk came before, it must be the last frame found. */
  sentinel: Buffer | null;
  /** Fed to the runner's long-lived parser too (state carried across inputs). */
  stream: boolean;
}

/** The smallest body (after LEN, before CHK): SW1 SW2 SW3, or CMD PARA. */
function minBody(side: SamSide): number {
  return side === 'reply' ? 3 : 2;
}

/** The largest body the parser accepts with its default limit. */
function maxBody(): number {
  return DEFAULT_MAX_BODY_LENGTH;
}

function dataLength(r: Random, side: SamSide): number {
  const room = maxBody() - minBody(side);
  return weighted(r, [
    [40, 0],
    [30, int(r, 1, 64)],
    // A 30 01 read reply: text and photo lengths, 256 bytes of text, 1024 of photo.
    [8, 4 + 256 + 1024],
    [7, int(r, 65, room)],
    [5, room],
  ] as const);
}

function frame(r: Random, side: SamSide): Buffer {
  const data = randomBytes(r, dataLength(r, side));
  if (side === 'reply') {
    const sw3 = chance(r, 0.8) ? pick(r, KNOWN_SW3) : int(r, 0, 255);
    return chance(r, 0.9) ? encodeSamReply(sw3, data) : encodeSamReply(sw3, data, int(r, 0, 255), int(r, 0, 255));
  }
  const code = chance(r, 0.8) ? pick(r, COMMANDS) : { cmd: int(r, 0, 255), para: int(r, 0, 255) };
  return encodeSamCommand(code, data.subarray(0, Math.min(data.length, 64)));
}

/** Offsets of every preamble in `bytes`. */
function preambles(bytes: Buffer): number[] {
  const found: number[] = [];
  for (let at = bytes.indexOf(SAM_PREAMBLE); at >= 0; at = bytes.indexOf(SAM_PREAMBLE, at + 1)) found.push(at);
  return found;
}

function samMutators(side: SamSide): Mutator[] {
  /** LEN says something else than the bytes that follow. */
  const lieAboutLength: Mutator = (r, input) => {
    const at = pick(r, [...preambles(input), -1]);
    if (at < 0 || at + HEADER > input.length) return input;
    const out = Buffer.from(input);
    const actual = out.readUInt16BE(at + SAM_PREAMBLE.length);
    const lie = pick(r, [0, 1, 2, minBody(side), minBody(side) + 1, actual - 1, actual + 1, actual + int(r, 2, 300), maxBody() + 1, maxBody() + 2, 0xffff, int(r, 0, 0xffff)]);
    out.writeUInt16BE(Math.max(0, Math.min(0xffff, lie)), at + SAM_PREAMBLE.length);
    return out;
  };
  /** A preamble (or the start of one) where none belongs, or one repeated. */
  const duplicatePreamble: Mutator = (r, input) => {
    const at = int(r, 0, input.length);
    const piece = chance(r, 0.6) ? SAM_PREAMBLE : SAM_PREAMBLE.subarray(0, int(r, 1, SAM_PREAMBLE.length - 1));
    const copies = chance(r, 0.8) ? 1 : int(r, 2, 40);
    return Buffer.concat([input.subarray(0, at), ...Array.from({ length: copies }, () => piece), input.subarray(at)]);
  };
  /** A header claiming the largest body (or beyond), followed by that many bytes or fewer. */
  const hugeLength: Mutator = (r, input) => {
    const length = pick(r, [maxBody() + 1, maxBody() + 1, maxBody() + 2, 0xffff]);
    const header = Buffer.concat([SAM_PREAMBLE, Buffer.from([length >> 8, length & 0xff])]);
    const body = randomBytes(r, chance(r, 0.5) && length <= maxBody() + 2 ? length : int(r, 0, Math.min(length, 6_000)));
    if (chance(r, 0.5) && body.length === length) body[length - 1] = samChecksum(Buffer.concat([header.subarray(SAM_PREAMBLE.length), body.subarray(0, length - 1)]));
    const at = int(r, 0, input.length);
    return Buffer.concat([input.subarray(0, at), header, body, input.subarray(at)]);
  };
  /** Recomputes the checksum of every frame whose length fits: mutations then reach the decoder. */
  const fixChecksums: Mutator = (_r, input) => {
    const out = Buffer.from(input);
    for (const at of preambles(out)) {
      if (at + HEADER > out.length) continue;
      const end = at + HEADER + out.readUInt16BE(at + SAM_PREAMBLE.length);
      if (end > out.length || end - 1 < at + SAM_PREAMBLE.length) continue;
      out[end - 1] = samChecksum(out.subarray(at + SAM_PREAMBLE.length, end - 1));
    }
    return out;
  };
  return [lieAboutLength, lieAboutLength, duplicatePreamble, duplicatePreamble, hugeLength, fixChecksums, fixChecksums];
}

/** Random bytes with preambles and plausible length fields strewn in. */
function preambleSoup(r: Random): Buffer {
  const parts: Buffer[] = [];
  const count = int(r, 1, 30);
  for (let i = 0; i < count; i++) {
    const kind = int(r, 0, 3);
    if (kind === 0) parts.push(Buffer.from(SAM_PREAMBLE));
    else if (kind === 1) parts.push(Buffer.from([0, int(r, 0, 12)]));
    else if (kind === 2) parts.push(SAM_PREAMBLE.subarray(0, int(r, 1, 4)));
    else parts.push(randomBytes(r, int(r, 0, 12)));
  }
  return Buffer.concat(parts);
}

function withResets(r: Random, chunks: Buffer[]): (Buffer | null)[] {
  if (!chance(r, 0.12)) return chunks;
  return chunks.flatMap((c) => (chance(r, 0.15) ? [null, c] : [c]));
}

function generate(r: Random, side: SamSide): SamInput {
  const mode = weighted(r, [
    [10, 'valid'],
    [55, 'mutated'],
    [12, 'random'],
    [12, 'soup'],
    [1, 'big'],
  ] as const);
  const stream = chance(r, 0.25);
  const sentinel = chance(r, 0.5) ? frame(r, side) : null;
  const tail = (steps: (Buffer | null)[]): (Buffer | null)[] => (sentinel ? [...steps, ...randomChunks(r, sentinel)] : steps);
  switch (mode) {
    case 'valid': {
      const frames = Array.from({ length: int(r, 1, 4) }, () => frame(r, side));
      const steps = withResets(r, randomChunks(r, Buffer.concat(frames)));
      // A reset may land inside a frame and rightly drop it: exactness only without one.
      return { steps: tail(steps), expected: steps.includes(null) ? null : [...frames, ...(sentinel ? [sentinel] : [])], sentinel, stream };
    }
    case 'mutated': {
      const parts = Array.from({ length: int(r, 1, 4) }, () => (chance(r, 0.15) ? randomBytes(r, int(r, 1, 16)) : frame(r, side)));
      const bytes = mutate(r, Buffer.concat(parts), samMutators(side), 6);
      return { steps: tail(withResets(r, randomChunks(r, bytes))), expected: null, sentinel, stream };
    }
    case 'random':
      return { steps: tail(withResets(r, randomChunks(r, randomBytes(r, skewedLength(r, 3_000))))), expected: null, sentinel, stream };
    case 'soup':
      return { steps: tail(withResets(r, randomChunks(r, preambleSoup(r)))), expected: null, sentinel, stream };
    case 'big': {
      // One large chunk, as a fast USB adapter may hand over: frames, junk and lies together.
      const parts: Buffer[] = [];
      for (let size = 0; size < 16_000; ) {
        const part = chance(r, 0.5) ? frame(r, side) : mutate(r, frame(r, side), samMutators(side), 3);
        parts.push(part);
        size += part.length;
      }
      return { steps: tail([Buffer.concat(parts)]), expected: null, sentinel, stream };
    }
  }
}

type Parser = SamFrameParser | SamCommandParser;

/** One parser with what it said: frames re-encoded, bytes it accounted for, and its faults. */
class Observed {
  readonly frames: Buffer[] = [];
  /** Stream offset where each frame ended: what was accounted for when it came out. */
  readonly frameEnds: number[] = [];
  /** Stream offsets where a write ended. */
  readonly writeEnds = new Set<number>();
  accounted = 0;
  written = 0;
  maxBuffered = 0;
  failure: Error | null = null;

  constructor(
    readonly parser: Parser,
    side: SamSide,
    counters: FuzzCounters,
  ) {
    parser.on('data', (f: SamReplyFrame | SamCommandFrame) => {
      const encoded = side === 'reply' ? encodeReply(f as SamReplyFrame) : encodeCommand(f as SamCommandFrame);
      this.frames.push(encoded);
      this.accounted += encoded.length;
      this.frameEnds.push(this.accounted);
      counters.accepted++;
    });
    parser.on('frame-error', (err: unknown) => {
      if (!(err instanceof SamFrameError) || !CODES.has(err.code) || !Number.isInteger(err.skipped) || err.skipped < 1) {
        this.failure ??= new Error(`frame-error that is not a coded SamFrameError: ${String(err)}`);
        return;
      }
      this.accounted += err.skipped;
      countRejection(counters, err.code);
    });
    parser.on('error', (err: Error) => {
      this.failure ??= err;
    });
  }

  write(chunk: Buffer | null): void {
    if (chunk === null) {
      this.parser.reset();
    } else {
      this.parser.write(chunk);
      this.written += chunk.length;
      this.writeEnds.add(this.written);
    }
    this.maxBuffered = Math.max(this.maxBuffered, this.parser.bufferedLength);
    check(this.parser.bufferedLength <= SAM_BUFFER_BOUND, () => `holds ${this.parser.bufferedLength} bytes, bound ${SAM_BUFFER_BOUND}`);
    const retained = retainedBytes(this.parser);
    check(retained <= SAM_RETAINED_BOUND, () => `keeps ${retained} bytes of memory alive for ${this.parser.bufferedLength} held, bound ${SAM_RETAINED_BOUND}`);
    if (this.failure) throw this.failure;
  }

  end(): void {
    this.parser.end();
    if (this.failure) throw this.failure;
    check(this.parser.bufferedLength === 0, () => `still holds ${this.parser.bufferedLength} bytes after end()`);
    check(this.accounted === this.written, () => `${this.written} bytes written, ${this.accounted} accounted for (frames + skipped)`);
  }
}

function encodeReply(f: SamReplyFrame): Buffer {
  return encodeSamReply(f.sw3, f.data, f.sw1, f.sw2);
}

function encodeCommand(f: SamCommandFrame): Buffer {
  return encodeSamCommand({ cmd: f.cmd, para: f.para }, f.data);
}

class SamRunner implements FuzzRunner<SamInput> {
  readonly counters = newCounters();
  private long: Observed;

  constructor(private readonly side: SamSide) {
    this.long = this.open();
  }

  run(input: SamInput): void {
    const fresh = this.open();
    for (const step of input.steps) fresh.write(step);
    fresh.end();
    this.counters.maxBufferBytes = Math.max(this.counters.maxBufferBytes, fresh.maxBuffered);

    const all = Buffer.concat(input.steps.filter((s): s is Buffer => s !== null));
    for (const f of fresh.frames) check(all.includes(f), () => `emitted a frame that is not in the input: ${hex(f)}`);
    if (input.expected) {
      const want = input.expected.map(hex);
      const got = fresh.frames.map(hex);
      check(want.length === got.length && want.every((w, i) => w === got[i]), () => `clean stream: ${want.length} frames written, ${got.length} decoded`);
    }
    if (input.sentinel) {
      const last = fresh.frames[fresh.frames.length - 1];
      if (last === undefined || !last.equals(input.sentinel)) {
        const start = fresh.written - input.sentinel.length;
        const undecidable = fresh.frameEnds.some((end) => end > start && end < start + SAM_PREAMBLE.length && fresh.writeEnds.has(end));
        check(undecidable, () => 'the clean frame written last was not found');
        countRejection(this.counters, 'fuzz.undecidable-split');
      }
    }

    if (input.stream) {
      try {
        for (const step of input.steps) this.long.write(step);
        // Its frames may span inputs; what it accounts for is checked when it ends.
        this.long.frames.length = 0;
      } catch (err) {
        // Counted once; the next inputs get a sound parser rather than a cascade.
        this.long = this.open();
        throw new Error(`long-lived parser: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      } finally {
        this.counters.maxBufferBytes = Math.max(this.counters.maxBufferBytes, this.long.maxBuffered);
      }
    }
  }

  close(): void {
    const long = this.long;
    this.long = this.open();
    long.end();
  }

  private open(): Observed {
    const parser = this.side === 'reply' ? new SamFrameParser() : new SamCommandParser();
    return new Observed(parser, this.side, this.counters);
  }
}

export function samFrameTarget(side: SamSide): FuzzTarget<SamInput> {
  return {
    name: side === 'reply' ? 'sam-reply' : 'sam-command',
    generate: (r) => generate(r, side),
    describe: (input) => input.steps.map((s) => (s === null ? 'reset' : hex(s))).join(' | '),
    createRunner: () => new SamRunner(side),
  };
}
