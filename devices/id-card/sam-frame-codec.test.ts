import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodeSamCommand,
  encodeSamReply,
  SamCommandParser,
  SamCommands,
  SamFrameError,
  SamFrameErrorCode,
  SamFrameParser,
  type SamReplyFrame,
} from './sam-frame-codec.js';

const hex = (s: string): Buffer => Buffer.from(s.replaceAll(' ', ''), 'hex');

interface Collected {
  frames: SamReplyFrame[];
  errors: SamFrameError[];
  maxBuffered: number;
}

function collector(parser: SamFrameParser): Collected {
  const out: Collected = { frames: [], errors: [], maxBuffered: 0 };
  parser.on('data', (f: SamReplyFrame) => out.frames.push(f));
  parser.on('frame-error', (e) => out.errors.push(e));
  return out;
}

/** Feeds chunks synchronously (Transform._transform runs inline for a writable with room). */
function feed(parser: SamFrameParser, out: Collected, chunks: Uint8Array[]): void {
  for (const chunk of chunks) {
    parser.write(chunk);
    out.maxBuffered = Math.max(out.maxBuffered, parser.bufferedLength);
  }
}

async function end(parser: SamFrameParser): Promise<void> {
  await new Promise<void>((resolve) => parser.end(resolve));
}

function chunked(bytes: Uint8Array, sizes: number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let pos = 0;
  let i = 0;
  while (pos < bytes.length) {
    const size = Math.max(1, sizes.length > 0 ? (sizes[i++ % sizes.length] ?? 1) : bytes.length);
    chunks.push(bytes.subarray(pos, pos + size));
    pos += size;
  }
  return chunks;
}

describe('encodeSamCommand: the docs/devices.md byte vectors', () => {
  it.each([
    ['reset SAM', SamCommands.resetSam, 'AA AA AA 96 69 00 03 10 FF EC'],
    ['SAM status', SamCommands.samStatus, 'AA AA AA 96 69 00 03 11 FF ED'],
    ['read SAM ID', SamCommands.readSamId, 'AA AA AA 96 69 00 03 12 FF EE'],
    ['find card', SamCommands.findCard, 'AA AA AA 96 69 00 03 20 01 22'],
    ['select card', SamCommands.selectCard, 'AA AA AA 96 69 00 03 20 02 21'],
    ['read text + photo', SamCommands.readTextPhoto, 'AA AA AA 96 69 00 03 30 01 32'],
    ['read appended address', SamCommands.readAppendedAddress, 'AA AA AA 96 69 00 03 30 03 30'],
    ['read text + photo + fingerprint', SamCommands.readTextPhotoFingerprint, 'AA AA AA 96 69 00 03 30 10 23'],
  ])('%s', (_name, command, expected) => {
    expect(encodeSamCommand(command).equals(hex(expected))).toBe(true);
  });

  it('encodes the OK status reply', () => {
    expect(encodeSamReply(0x90).equals(hex('AA AA AA 96 69 00 04 00 00 90 94'))).toBe(true);
  });

  it('encodes the read reply header with a big-endian length of 0x0508', () => {
    const data = Buffer.concat([hex('01 00 04 00'), Buffer.alloc(256, 0x20), Buffer.alloc(1024, 0x5a)]);
    const reply = encodeSamReply(0x90, data);
    expect(reply.subarray(0, 14).equals(hex('AA AA AA 96 69 05 08 00 00 90 01 00 04 00'))).toBe(true);
    expect(reply.length).toBe(1295);
  });
});

describe('SamFrameParser', () => {
  it('decodes the OK reply', () => {
    const parser = new SamFrameParser();
    const out = collector(parser);
    feed(parser, out, [hex('AA AA AA 96 69 00 04 00 00 90 94')]);
    expect(out.frames).toEqual([{ sw1: 0, sw2: 0, sw3: 0x90, data: Buffer.alloc(0) }]);
    expect(out.errors).toEqual([]);
  });

  it('decodes a read reply delivered one byte at a time', () => {
    const data = Buffer.concat([hex('01 00 04 00'), Buffer.alloc(256, 0x20), Buffer.alloc(1024, 0xaa)]);
    const parser = new SamFrameParser();
    const out = collector(parser);
    feed(parser, out, chunked(encodeSamReply(0x90, data), [1]));
    expect(out.frames).toHaveLength(1);
    expect(out.frames[0]?.data.equals(data)).toBe(true);
  });

  it('skips garbage before a frame and says how much', () => {
    const parser = new SamFrameParser();
    const out = collector(parser);
    feed(parser, out, [hex('00 13 AA 96'), hex('AA AA AA 96 69 00 04 00 00 90 94')]);
    expect(out.frames.map((f) => f.sw3)).toEqual([0x90]);
    expect(out.errors.map((e) => e.code)).toEqual([SamFrameErrorCode.Garbage]);
    expect(out.errors[0]?.skipped).toBe(4);
  });

  it('reports a bad checksum and still decodes the next frame', () => {
    const parser = new SamFrameParser();
    const out = collector(parser);
    feed(parser, out, [hex('AA AA AA 96 69 00 04 00 00 90 95'), encodeSamReply(0x9f, hex('00 00 00 00'))]);
    expect(out.frames.map((f) => f.sw3)).toEqual([0x9f]);
    expect(out.errors[0]?.code).toBe(SamFrameErrorCode.BadChecksum);
  });

  it('treats an absurd length as a bad frame and skips ahead without waiting for it', () => {
    const parser = new SamFrameParser({ maxBodyLength: 2000 });
    const out = collector(parser);
    feed(parser, out, [hex('AA AA AA 96 69 FF FF 00'), encodeSamReply(0x80)]);
    expect(out.frames.map((f) => f.sw3)).toEqual([0x80]);
    expect(out.errors.map((e) => e.code)).toContain(SamFrameErrorCode.BadLength);
  });

  it('finds a frame hidden inside a truncated one once the stream ends', async () => {
    const parser = new SamFrameParser();
    const out = collector(parser);
    const truncatedRead = encodeSamReply(0x90, Buffer.alloc(1284, 0x11)).subarray(0, 300);
    feed(parser, out, [truncatedRead, encodeSamReply(0x80)]);
    expect(out.frames).toEqual([]);
    await end(parser);
    expect(out.frames.map((f) => f.sw3)).toEqual([0x80]);
    expect(out.errors.map((e) => e.code)).toContain(SamFrameErrorCode.Truncated);
  });

  it('reset() drops an unfinished frame, so the next reply is read at once', () => {
    const parser = new SamFrameParser();
    const out = collector(parser);
    feed(parser, out, [encodeSamReply(0x90, Buffer.alloc(1284)).subarray(0, 700)]);
    parser.reset();
    feed(parser, out, [encodeSamReply(0x80)]);
    expect(out.frames.map((f) => f.sw3)).toEqual([0x80]);
    expect(out.errors.map((e) => e.code)).toEqual([SamFrameErrorCode.Truncated]);
  });

  it('rejects a bad maxBodyLength by name', () => {
    expect(() => new SamFrameParser({ maxBodyLength: 0 })).toThrow(/maxBodyLength/);
  });

  // Found by `npm run test:fuzz`: the next preamble was checked for only once fully received.
  it('does not let a false frame with a matching checksum swallow a preamble that arrives split', () => {
    const parser = new SamFrameParser();
    const out = collector(parser);
    const real = encodeSamReply(0x90);
    // LEN 4 claims 4 more bytes: 00 04, then AA AA of the real preamble (XOR 00 04 00 04 AA = AA).
    feed(parser, out, [hex('AA AA AA 96 69 00 04 00 04'), real.subarray(0, 3), real.subarray(3)]);
    expect(out.frames.map((f) => f.sw3)).toEqual([0x90]);
    expect(out.errors.map((e) => e.code)).toContain(SamFrameErrorCode.Overlapping);
  });

  it('still passes a real frame ending in AA at once, and waits only while bytes after it may be a preamble', () => {
    const parser = new SamFrameParser();
    const out = collector(parser);
    const endsInAa = encodeSamReply(0xae);
    expect(endsInAa.at(-1)).toBe(0xaa);
    feed(parser, out, [endsInAa]);
    expect(out.frames.map((f) => f.sw3)).toEqual([0xae]);
    const next = encodeSamReply(0x9f);
    feed(parser, out, [Buffer.concat([endsInAa, next.subarray(0, 2)])]);
    expect(out.frames.map((f) => f.sw3)).toEqual([0xae]);
    feed(parser, out, [next.subarray(2)]);
    expect(out.frames.map((f) => f.sw3)).toEqual([0xae, 0xae, 0x9f]);
    expect(out.errors).toEqual([]);
  });

  // Found while measuring the fuzz run's buffers: four bytes held kept a 50 KB chunk alive.
  it('does not keep a large chunk alive through the few bytes it holds afterwards', () => {
    const parser = new SamFrameParser();
    const read = encodeSamReply(0x90, Buffer.alloc(1284, 0x11));
    parser.write(Buffer.concat([...Array.from({ length: 40 }, () => read), read.subarray(0, 20)]));
    expect(parser.bufferedLength).toBe(20);
    // White-box: the memory behind the 20 bytes held (a pool slab, or two frames at most).
    const held = (parser as unknown as { buffer: Buffer }).buffer;
    expect(held.buffer.byteLength).toBeLessThanOrEqual(Math.max(Buffer.poolSize, 2 * (7 + 4096 + 1)));
  });
});

describe('SamCommandParser', () => {
  it('reads what the driver sends', () => {
    const parser = new SamCommandParser();
    const frames: Array<{ cmd: number; para: number }> = [];
    parser.on('data', (f: { cmd: number; para: number }) => frames.push({ cmd: f.cmd, para: f.para }));
    parser.write(Buffer.concat([encodeSamCommand(SamCommands.findCard), encodeSamCommand(SamCommands.readTextPhoto)]));
    expect(frames).toEqual([SamCommands.findCard, SamCommands.readTextPhoto]);
  });
});

describe('SamFrameParser fuzz', () => {
  const MAX_BODY = 1400;
  // A whole frame (header, longest body, checksum) and the first 3 bytes of a preamble after it.
  const BOUND = MAX_BODY + 1 + 7 + 3;
  const errorCodes = new Set<string>(Object.values(SamFrameErrorCode));
  const goodFrame = fc
    .record({ sw3: fc.integer({ min: 0, max: 255 }), data: fc.uint8Array({ maxLength: 64 }) })
    .map(({ sw3, data }) => ({ sw3, data: Buffer.from(data), bytes: encodeSamReply(sw3, data) }));
  /** A real frame bent out of shape: truncated, bit-flipped, byte-dropped, length-bumped. */
  const mutatedFrame = fc
    .tuple(goodFrame, fc.integer({ min: 0, max: 3 }), fc.nat(), fc.integer({ min: 1, max: 255 }))
    .map(([f, how, at, x]) => {
      const b = Buffer.from(f.bytes);
      const i = at % b.length;
      if (how === 0) return b.subarray(0, Math.max(1, i));
      if (how === 1) {
        b[i] = (b[i] ?? 0) ^ x;
        return b;
      }
      if (how === 2) return Buffer.concat([b.subarray(0, i), b.subarray(i + 1)]);
      b[6] = ((b[6] ?? 0) + x) & 0xff;
      return b;
    });
  const junk = fc.oneof(fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)), mutatedFrame);
  const sizes = fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 8 });

  it('never throws, stays bounded, codes every error, and every frame it passes is a real frame', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(junk, goodFrame.map((f) => f.bytes)), { maxLength: 12 }), sizes, async (pieces, chunkSizes) => {
        const parser = new SamFrameParser({ maxBodyLength: MAX_BODY });
        const out = collector(parser);
        feed(parser, out, chunked(Buffer.concat(pieces), chunkSizes));
        await end(parser);
        expect(out.maxBuffered).toBeLessThanOrEqual(BOUND);
        for (const e of out.errors) {
          expect(e).toBeInstanceOf(SamFrameError);
          expect(errorCodes.has(e.code)).toBe(true);
        }
        // Re-encoding reproduces a checksum-valid frame: nothing half-checked gets through.
        for (const f of out.frames) expect(encodeSamReply(f.sw3, f.data, f.sw1, f.sw2).length).toBe(f.data.length + 11);
      }),
      { numRuns: 400 },
    );
  });

  it('after random garbage, the next good frame is decoded (no reset needed)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), goodFrame, sizes, async (garbage, good, chunkSizes) => {
        const parser = new SamFrameParser({ maxBodyLength: MAX_BODY });
        const out = collector(parser);
        feed(parser, out, chunked(Buffer.concat([garbage, good.bytes]), chunkSizes));
        await end(parser);
        const last = out.frames.at(-1);
        expect(last?.sw3).toBe(good.sw3);
        expect(last?.data.equals(good.data)).toBe(true);
        if (garbage.length > 0 && out.frames.length === 1) expect(out.errors.length).toBeGreaterThan(0);
      }),
      { numRuns: 400 },
    );
  });

  it('after a mutated frame and the reset the driver does before each command, the next good frame is decoded', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedFrame, goodFrame, sizes, async (bad, good, chunkSizes) => {
        const parser = new SamFrameParser({ maxBodyLength: MAX_BODY });
        const out = collector(parser);
        feed(parser, out, chunked(bad, chunkSizes));
        const before = out.frames.length;
        parser.reset();
        feed(parser, out, chunked(good.bytes, chunkSizes));
        expect(out.frames.length).toBe(before + 1);
        expect(out.frames.at(-1)?.data.equals(good.data)).toBe(true);
        await end(parser);
      }),
      { numRuns: 400 },
    );
  });

  it('after a truncated reply, the next good frame is decoded once the stream ends even without a reset', async () => {
    await fc.assert(
      fc.asyncProperty(goodFrame, fc.nat(), goodFrame, async (cut, at, good) => {
        const parser = new SamFrameParser({ maxBodyLength: MAX_BODY });
        const out = collector(parser);
        feed(parser, out, [cut.bytes.subarray(0, 1 + (at % (cut.bytes.length - 1))), good.bytes]);
        await end(parser);
        expect(out.frames.some((f) => f.sw3 === good.sw3 && f.data.equals(good.data))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
