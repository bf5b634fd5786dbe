import { Transform, type TransformCallback } from 'node:stream';

export enum ScanErrorCode {
  /** A code grew past maxLength without an end: it is dropped up to the next line end. */
  TooLong = 'scan.too-long',
  /** A code is not valid UTF-8 (wrong scanner encoding setting). */
  BadEncoding = 'scan.bad-encoding',
}

export class ScanError extends Error {
  readonly code: ScanErrorCode;
  constructor(code: ScanErrorCode, message: string) {
    super(message);
    this.name = 'ScanError';
    this.code = code;
  }
}

export interface ScanLineParserOptions {
  /**
   * For scanners set to send no suffix: a pause this long after the last byte ends a code
   * (plus a grace of up to 20 ms, see armPause). Default 50 ms; null turns it off (then only
   * CR/LF end a code).
   */
  interByteTimeoutMs?: number | null;
  /** Longest code in bytes; default 2048. */
  maxLength?: number;
}

const CR = 0x0d;
const LF = 0x0a;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Splits scanner output into codes (objectMode out: strings). A code ends at `\r\n`, `\r` or
 * `\n` (a CR LF split across chunks counts once), or after `interByteTimeoutMs` of silence.
 * Empty lines are skipped. Faults are 'scan-error' events (ScanError); the stream goes on.
 */
export class ScanLineParser extends Transform {
  private readonly interByteTimeoutMs: number | null;
  private readonly maxLength: number;
  private line: Buffer[] = [];
  private lineLength = 0;
  /** Dropping an oversize code until its line end. */
  private discarding = false;
  /** The previous byte was CR: a following LF belongs to it. */
  private afterCr = false;
  private timer: NodeJS.Timeout | null = null;
  /** Bumped by every chunk: a pause check that sees it change knows more bytes came. */
  private generation = 0;

  constructor(opts: ScanLineParserOptions = {}) {
    super({ readableObjectMode: true });
    const timeout = opts.interByteTimeoutMs === undefined ? 50 : opts.interByteTimeoutMs;
    if (timeout !== null && !(timeout > 0)) throw new RangeError(`interByteTimeoutMs must be > 0 or null, got ${String(timeout)}`);
    const max = opts.maxLength ?? 2048;
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`maxLength must be a positive integer, got ${String(opts.maxLength)}`);
    this.interByteTimeoutMs = timeout;
    this.maxLength = max;
  }

  /** Bytes held of the code being read, counted from what is held (never more than maxLength). */
  get bufferedLength(): number {
    let held = 0;
    for (const part of this.line) held += part.length;
    return held;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.clearTimer();
    this.generation++;
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (b !== CR && b !== LF) continue;
      this.append(chunk.subarray(start, i));
      start = i + 1;
      if (b === LF && this.afterCr && this.lineLength === 0 && !this.discarding) {
        this.afterCr = false;
        continue;
      }
      this.endLine();
      this.afterCr = b === CR;
    }
    if (start < chunk.length) {
      this.afterCr = false;
      this.append(chunk.subarray(start));
    }
    if (this.interByteTimeoutMs !== null && (this.lineLength > 0 || this.discarding)) this.armPause(this.interByteTimeoutMs);
    callback();
  }

  override _flush(callback: TransformCallback): void {
    this.clearTimer();
    this.endLine();
    callback();
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    this.clearTimer();
    callback(err);
  }

  private append(bytes: Buffer): void {
    if (bytes.length === 0 || this.discarding) return;
    if (this.lineLength + bytes.length > this.maxLength) {
      this.emit('scan-error', new ScanError(ScanErrorCode.TooLong, `code longer than ${this.maxLength} bytes dropped`));
      this.line = [];
      this.lineLength = 0;
      this.discarding = true;
      return;
    }
    this.line.push(Buffer.from(bytes));
    this.lineLength += bytes.length;
  }

  private endLine(): void {
    if (this.discarding) {
      this.discarding = false;
      return;
    }
    if (this.lineLength === 0) return;
    const bytes = Buffer.concat(this.line);
    this.line = [];
    this.lineLength = 0;
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      this.emit('scan-error', new ScanError(ScanErrorCode.BadEncoding, 'code is not UTF-8'));
      return;
    }
    // The decoder drops a leading byte-order mark: a line of nothing else is a blank line.
    if (text === '') return;
    this.push(text);
  }

  /**
   * Ends the code after a pause. Timers run before I/O in Node's loop, so after the process itself
   * stalled (a busy machine) the timer fires before the bytes that were waiting are read: it
   * ends the code only if no byte came in a short grace period after it fired.
   */
  private armPause(ms: number, graceMs = Math.min(20, ms)): void {
    const generation = this.generation;
    this.timer = setTimeout(() => {
      this.timer = setTimeout(() => {
        this.timer = null;
        if (this.generation === generation) this.endLine();
      }, graceMs);
    }, ms);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
