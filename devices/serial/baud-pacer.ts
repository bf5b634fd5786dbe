/** Milliseconds a UART needs for `bytes` at `baudRate` (8N1 = 10 bits per byte). */
export function wireTimeMs(bytes: number, baudRate: number, bitsPerByte = 10): number {
  return (bytes * bitsPerByte * 1000) / baudRate;
}

export interface BaudPacerOptions {
  baudRate: number;
  /** Default 10 (8N1: start + 8 data + stop). */
  bitsPerByte?: number;
}

interface Waiter {
  /** Offset in `pending` after which the send is complete. */
  end: number;
  resolve: () => void;
}

/**
 * Hands bytes to `sink` no sooner than a UART at `baudRate` would have finished sending them.
 * A PTY moves bytes at memory speed; simulators put this in front of it so drivers see the
 * latency of a real line. Bytes are released in chunks of about 2 ms of wire time, computed from
 * the start of the transmission, so a late timer catches up instead of adding up.
 */
export class BaudPacer {
  private readonly byteMs: number;
  private readonly minChunk: number;
  private pending: Buffer = Buffer.alloc(0);
  private sent = 0;
  /** When byte 0 of `pending` started on the wire. */
  private epoch = 0;
  /** When the line becomes free again after the last transmission. */
  private lineFreeAt = 0;
  private waiters: Waiter[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly sink: (chunk: Buffer) => void,
    opts: BaudPacerOptions,
  ) {
    if (!(opts.baudRate > 0)) throw new RangeError(`baudRate must be positive, got ${opts.baudRate}`);
    this.byteMs = wireTimeMs(1, opts.baudRate, opts.bitsPerByte ?? 10);
    // About 2 ms of wire a wake-up: fine enough for timing, few enough timers on a busy machine.
    this.minChunk = Math.max(1, Math.ceil(2 / this.byteMs));
  }

  /** Bytes queued and not yet delivered. */
  get queued(): number {
    return this.pending.length - this.sent;
  }

  /**
   * Queues bytes; resolves when their last byte has been delivered (or they were cleared).
   * `startAt` (performance.now() time) holds a transmission back, e.g. until a command that
   * arrived at memory speed would have finished arriving on a real line.
   */
  send(bytes: Uint8Array, opts: { startAt?: number } = {}): Promise<void> {
    if (bytes.length === 0) return Promise.resolve();
    const now = performance.now();
    if (this.queued === 0) {
      this.epoch = Math.max(now, this.lineFreeAt, opts.startAt ?? 0);
      this.pending = Buffer.from(bytes);
      this.sent = 0;
    } else {
      this.pending = Buffer.concat([this.pending, bytes]);
    }
    const done = new Promise<void>((resolve) => this.waiters.push({ end: this.pending.length, resolve }));
    this.schedule();
    return done;
  }

  /** Drops everything not yet delivered (a card pulled away, a cable pulled). */
  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.lineFreeAt = Math.min(this.lineFreeAt, performance.now());
    this.pending = Buffer.alloc(0);
    this.sent = 0;
    for (const w of this.waiters) w.resolve();
    this.waiters = [];
  }

  private schedule(): void {
    if (this.timer || this.queued === 0) return;
    const target = Math.min(this.pending.length, this.sent + this.minChunk);
    const delay = Math.max(0, this.epoch + target * this.byteMs - performance.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.tick();
    }, delay);
  }

  private tick(): void {
    const due = Math.min(this.pending.length, Math.floor((performance.now() - this.epoch) / this.byteMs));
    if (due > this.sent) {
      const chunk = this.pending.subarray(this.sent, due);
      this.sent = due;
      this.sink(Buffer.from(chunk));
    }
    this.waiters = this.waiters.filter((w) => {
      if (w.end > this.sent) return true;
      w.resolve();
      return false;
    });
    if (this.queued === 0) {
      this.lineFreeAt = this.epoch + this.pending.length * this.byteMs;
      this.pending = Buffer.alloc(0);
      this.sent = 0;
    }
    this.schedule();
  }
}
