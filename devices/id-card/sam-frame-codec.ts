import { Transform, type TransformCallback } from 'node:stream';

/**
 * The SAM serial frame (docs/devices.md):
 *   host -> reader: AA AA AA 96 69 | LEN_HI LEN_LO | CMD PARA | data | CHK
 *   reader -> host: AA AA AA 96 69 | LEN_HI LEN_LO | SW1 SW2 SW3 | data | CHK
 * LEN is big-endian and counts every byte after itself, CHK included; CHK is the XOR of every
 * byte after the preamble up to CHK. serialport's PacketLengthParser reads lengths
 * little-endian, hence this framer.
 */
export const SAM_PREAMBLE: Readonly<Buffer> = Buffer.from([0xaa, 0xaa, 0xaa, 0x96, 0x69]);
const HEADER = SAM_PREAMBLE.length + 2;
/** Long enough for text + photo + fingerprint (30 10), with room to spare. */
export const DEFAULT_MAX_BODY_LENGTH = 4096;

export interface SamCommandCode {
  readonly cmd: number;
  readonly para: number;
}

/** The commands the driver and the simulator use. */
export const SamCommands = {
  resetSam: { cmd: 0x10, para: 0xff },
  samStatus: { cmd: 0x11, para: 0xff },
  readSamId: { cmd: 0x12, para: 0xff },
  findCard: { cmd: 0x20, para: 0x01 },
  selectCard: { cmd: 0x20, para: 0x02 },
  readTextPhoto: { cmd: 0x30, para: 0x01 },
  readAppendedAddress: { cmd: 0x30, para: 0x03 },
  readTextPhotoFingerprint: { cmd: 0x30, para: 0x10 },
} as const satisfies Record<string, SamCommandCode>;

export interface SamReplyFrame {
  sw1: number;
  sw2: number;
  sw3: number;
  data: Buffer;
}

export interface SamCommandFrame {
  cmd: number;
  para: number;
  data: Buffer;
}

export enum SamFrameErrorCode {
  /** Bytes before a preamble (line noise, the tail of an abandoned reply). */
  Garbage = 'sam-frame.garbage',
  /** LEN below the minimum or above maxBodyLength. */
  BadLength = 'sam-frame.bad-length',
  BadChecksum = 'sam-frame.bad-checksum',
  /** Another preamble starts inside the bytes this frame claims: the claim is false. */
  Overlapping = 'sam-frame.overlapping',
  /** The stream ended (or was reset) inside a frame. */
  Truncated = 'sam-frame.truncated',
}

export class SamFrameError extends Error {
  readonly code: SamFrameErrorCode;
  /** Bytes dropped to get past the fault. */
  readonly skipped: number;
  constructor(code: SamFrameErrorCode, message: string, skipped: number) {
    super(message);
    this.name = 'SamFrameError';
    this.code = code;
    this.skipped = skipped;
  }
}

/** XOR of `bytes`. */
export function samChecksum(bytes: Uint8Array): number {
  let x = 0;
  for (const b of bytes) x ^= b;
  return x;
}

function frame(body: Uint8Array): Buffer {
  const length = body.length + 1;
  if (length > 0xffff) throw new RangeError(`SAM frame body of ${body.length} bytes does not fit a 16-bit length`);
  const lenAndBody = Buffer.concat([Buffer.from([length >> 8, length & 0xff]), body]);
  return Buffer.concat([SAM_PREAMBLE, lenAndBody, Buffer.from([samChecksum(lenAndBody)])]);
}

/** A host -> reader frame, e.g. `encodeSamCommand(SamCommands.samStatus)` = AA AA AA 96 69 00 03 11 FF ED. */
export function encodeSamCommand(code: SamCommandCode, data: Uint8Array = Buffer.alloc(0)): Buffer {
  return frame(Buffer.concat([Buffer.from([code.cmd, code.para]), data]));
}

/** A reader -> host frame (the simulator's side). */
export function encodeSamReply(sw3: number, data: Uint8Array = Buffer.alloc(0), sw1 = 0, sw2 = 0): Buffer {
  return frame(Buffer.concat([Buffer.from([sw1, sw2, sw3]), data]));
}

export interface SamFrameParserOptions {
  /** Largest accepted LEN; a larger one is a bad frame and the parser skips ahead. Default 4096. */
  maxBodyLength?: number;
}

/**
 * Finds frames in a byte stream and pushes them decoded (objectMode out). Garbage, impossible
 * lengths and bad checksums are reported as 'frame-error' events and skipped one byte at a time,
 * so a real frame hidden behind a false preamble is still found. Memory is bounded: at most one
 * frame of `maxBodyLength` plus its header (and the start of the next preamble) is ever held.
 *
 * Events: 'data' (the decoded frame), 'frame-error' (err: SamFrameError) for each fault it
 * resynchronised after. It never emits 'error' for bad input, so a pipeline is never torn down.
 */
abstract class SamFramer<T> extends Transform {
  private buffer: Buffer = Buffer.alloc(0);
  private readonly maxBodyLength: number;
  /** Backing memory `buffer` may keep alive: a pool slab, or two of the largest frames. */
  private readonly maxRetained: number;

  protected constructor(
    private readonly minBodyLength: number,
    opts: SamFrameParserOptions,
  ) {
    super({ readableObjectMode: true });
    const max = opts.maxBodyLength ?? DEFAULT_MAX_BODY_LENGTH;
    if (!Number.isInteger(max) || max < minBodyLength || max > 0xffff) {
      throw new RangeError(`maxBodyLength must be an integer in ${minBodyLength}..65535, got ${String(opts.maxBodyLength)}`);
    }
    this.maxBodyLength = max;
    this.maxRetained = Math.max(Buffer.poolSize, 2 * (HEADER + max + 1));
  }

  protected abstract decode(payload: Buffer): T;

  /**
   * Bytes held waiting for the rest of a frame: never more than maxBodyLength + 11 (a whole frame
   * of the longest body, header included, and the first 3 bytes of a preamble after it).
   */
  get bufferedLength(): number {
    return this.buffer.length;
  }

  /**
   * Drops whatever is buffered. The driver calls it before each command: the protocol is strictly
   * request/reply, so anything left over belongs to an abandoned exchange.
   */
  reset(): void {
    if (this.buffer.length > 0) this.report(SamFrameErrorCode.Truncated, 'discarded an unfinished frame', this.buffer.length);
    this.buffer = Buffer.alloc(0);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.buffer = this.buffer.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buffer, chunk]);
    this.drain(false);
    // What is left is a view into this chunk's copy: copied out, a large chunk (a fast USB adapter
    // hands over kilobytes at once) is not kept alive by its last few bytes.
    if (this.buffer.buffer.byteLength > this.maxRetained) this.buffer = Buffer.from(this.buffer);
    callback();
  }

  override _flush(callback: TransformCallback): void {
    this.drain(true);
    if (this.buffer.length > 0) this.report(SamFrameErrorCode.Truncated, 'stream ended inside a frame', this.buffer.length);
    this.buffer = Buffer.alloc(0);
    callback();
  }

  /** Pushes every complete frame; at the end of the stream an unfinished frame is skipped too. */
  private drain(ending: boolean): void {
    for (;;) {
      const start = this.buffer.indexOf(SAM_PREAMBLE);
      if (start < 0) {
        // Keep a tail that may be the start of a preamble; the rest is noise.
        const keep = Math.min(this.buffer.length, SAM_PREAMBLE.length - 1);
        const drop = this.buffer.length - keep;
        if (drop > 0 || (ending && keep > 0)) {
          this.report(SamFrameErrorCode.Garbage, 'bytes without a preamble', ending ? this.buffer.length : drop);
          this.buffer = ending ? Buffer.alloc(0) : this.buffer.subarray(drop);
        }
        return;
      }
      if (start > 0) {
        this.report(SamFrameErrorCode.Garbage, `${start} byte(s) before a preamble`, start);
        this.buffer = this.buffer.subarray(start);
      }
      if (this.buffer.length < HEADER) {
        if (ending) this.skipOne(SamFrameErrorCode.Truncated, 'stream ended inside a frame header');
        else return;
        continue;
      }
      const length = this.buffer.readUInt16BE(SAM_PREAMBLE.length);
      if (length < this.minBodyLength + 1 || length > this.maxBodyLength + 1) {
        this.skipOne(SamFrameErrorCode.BadLength, `length ${length} outside ${this.minBodyLength + 1}..${this.maxBodyLength + 1}`);
        continue;
      }
      const total = HEADER + length;
      if (this.buffer.length < total) {
        if (ending) this.skipOne(SamFrameErrorCode.Truncated, `stream ended ${total - this.buffer.length} byte(s) short of a frame`);
        else return;
        continue;
      }
      // A preamble inside the claimed frame means a cut-off frame is swallowing the next one; a
      // real body holds those five bytes by chance with odds of 2^-40 per position.
      const inner = this.buffer.indexOf(SAM_PREAMBLE, 1);
      if (inner >= 0 && inner < total) {
        this.skipOne(SamFrameErrorCode.Overlapping, `a preamble starts ${inner} byte(s) into a ${total}-byte frame`);
        continue;
      }
      // The same with the next preamble only partly in: judged now, a false frame whose checksum
      // matched by chance (1 in 256) would swallow the start of the real one behind it.
      if (!ending && this.preambleStartsInside(total)) return;
      const checked = this.buffer.subarray(SAM_PREAMBLE.length, total - 1);
      if (samChecksum(checked) !== this.buffer[total - 1]) {
        this.skipOne(SamFrameErrorCode.BadChecksum, 'checksum mismatch');
        continue;
      }
      const payload = Buffer.from(this.buffer.subarray(HEADER, total - 1));
      this.buffer = this.buffer.subarray(total);
      this.push(this.decode(payload));
    }
  }

  /**
   * Whether the bytes received past a claimed frame of `total` bytes, with the frame's last ones,
   * are the start of a preamble: then the frame's fate waits for at most 4 more bytes. A frame's
   * tail alone never counts (a real checksum may well be AA), only a run into bytes beyond it.
   */
  private preambleStartsInside(total: number): boolean {
    const length = this.buffer.length;
    if (length <= total) return false;
    for (let at = Math.max(1, length - SAM_PREAMBLE.length + 1); at < total; at++) {
      if (this.buffer.subarray(at).equals(SAM_PREAMBLE.subarray(0, length - at))) return true;
    }
    return false;
  }

  /** Past a false preamble by one byte: a real frame may start inside what it claimed. */
  private skipOne(code: SamFrameErrorCode, message: string): void {
    this.report(code, message, 1);
    this.buffer = this.buffer.subarray(1);
  }

  private report(code: SamFrameErrorCode, message: string, skipped: number): void {
    this.emit('frame-error', new SamFrameError(code, message, skipped));
  }
}

/** Reader -> host replies: pushes SamReplyFrame. */
export class SamFrameParser extends SamFramer<SamReplyFrame> {
  constructor(opts: SamFrameParserOptions = {}) {
    super(3, opts);
  }

  protected decode(payload: Buffer): SamReplyFrame {
    return { sw1: payload[0] ?? 0, sw2: payload[1] ?? 0, sw3: payload[2] ?? 0, data: payload.subarray(3) };
  }
}

/** Host -> reader commands (the simulator's side): pushes SamCommandFrame. */
export class SamCommandParser extends SamFramer<SamCommandFrame> {
  constructor(opts: SamFrameParserOptions = {}) {
    super(2, opts);
  }

  protected decode(payload: Buffer): SamCommandFrame {
    return { cmd: payload[0] ?? 0, para: payload[1] ?? 0, data: payload.subarray(2) };
  }
}
