import { EventEmitter } from 'node:events';
import { businessDayOf } from '../../common/domain/business-day.js';
import { DeviceError, DeviceErrorKind } from '../device-error.js';
import { wireTimeMs } from '../serial/baud-pacer.js';
import { SerialLink, type ReconnectOptions, type SerialPortOpener } from '../serial/serial-link.js';
import { decodeIdCardText, IdCardTextError, type IdCardData, type IdCardTextErrorCode } from './id-card-text.js';
import { encodeSamCommand, SamCommands, SamFrameErrorCode, SamFrameParser, type SamCommandCode, type SamFrameError, type SamReplyFrame } from './sam-frame-codec.js';
import { SamStatus, samStatusMessage, samStatusOf } from './sam-status.js';

export interface IdCardReaderConfig {
  /** Serial device, e.g. /dev/ttyUSB0 or a PTY link, or `tcp://host:port` of a serial device server. */
  path: string;
  /** Default 115200 (8N1). */
  baudRate?: number;
  /** Wait between find attempts while no card is there; default 10 ms. */
  pollIntervalMs?: number;
  /**
   * How long the reader may think before it answers; default 1000 ms. The wire time of the
   * longest reply at `baudRate` is added to it, so the value does not depend on the baud rate.
   */
  commandTimeoutMs?: number;
  /** Reopening the port after an unplug. */
  reconnect?: ReconnectOptions;
  /** Wait before asking a faulty SAM again; doubles up to 5 s. Default 250 ms. */
  samRetryMs?: number;
  /** The hall's date (YYYY-MM-DD) that bounds birth dates; default: today in Asia/Shanghai. */
  today?: () => string;
  /** Transport injection; default serialport by path, TCP for `tcp://`. */
  openPort?: SerialPortOpener;
}

export enum IdCardReaderState {
  Stopped = 'stopped',
  /** Port not open (yet, or unplugged): reopening with backoff. */
  Disconnected = 'disconnected',
  /** Port open; SAM status not yet OK. */
  Starting = 'starting',
  /** SAM reports a fault (not authorised, self-test failed...); retried with backoff. */
  SamFault = 'sam-fault',
  /** Polling, no card. */
  Ready = 'ready',
  /**
   * A card was read and find still sees it; it will not be read again until it leaves. Readers
   * that fail find after a read (docs/devices.md) go back to Ready at once.
   */
  CardPresent = 'card-present',
}

export interface IdCardReaderHealth {
  state: IdCardReaderState;
  device: string;
  /** As `05.01-20101111-0012345678-1234567890`, once read. */
  samId: string | null;
  /** ISO time of the last successful read. */
  lastReadAt: string | null;
  cardsRead: number;
  /** Failures by SW3 status (find's 80 "no card" is normal and not counted). */
  errorsByStatus: Partial<Record<SamStatus, number>>;
  errorsByKind: Record<DeviceErrorKind, number>;
  /** Times the port was lost or could not be opened. */
  reconnects: number;
  lastError: { kind: DeviceErrorKind; message: string; samStatus: SamStatus | null; at: string } | null;
}

/** What the reader knows about a read besides the card's text. The photo itself is never kept. */
export interface IdCardReadMeta {
  readAt: string;
  /** Bytes of the WLT photo in the reply (1024 on a real card). */
  photoLength: number;
}

/** A DeviceError from the reader, with the SAM status or the text decoding code when there is one. */
export class IdCardReaderError extends DeviceError {
  readonly samStatus: SamStatus | null;
  readonly textCode: IdCardTextErrorCode | null;
  constructor(kind: DeviceErrorKind, device: string, message: string, extra: { samStatus?: SamStatus; textCode?: IdCardTextErrorCode; cause?: unknown } = {}) {
    super(kind, device, message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.name = 'IdCardReaderError';
    this.samStatus = extra.samStatus ?? null;
    this.textCode = extra.textCode ?? null;
  }
}

export interface IdCardReaderEvents {
  /** A card was read and decoded: once per placing of a card. */
  card: [card: IdCardData, meta: IdCardReadMeta];
  /** Every failure, also counted in health(). Emitted only while someone listens. */
  error: [err: IdCardReaderError];
  state: [state: IdCardReaderState];
}

/** Longest replies, for the timeout: status/find/select are tiny, a read is 1295 bytes (2.6 KB with fingerprint). */
const REPLY_BYTES: Record<string, number> = { '3001': 1295, '3010': 2600 };
const SMALL_REPLY_BYTES = 64;
const TIMEOUT_GRACE_MS = 20;
/** SW3 values that mean the SAM itself is unusable, rather than the card. */
const SAM_FAULTS = new Set([SamStatus.NotAuthorized, SamStatus.SelfTestFailed, SamStatus.ReaderAuthFailed, SamStatus.ReaderAuthFailed2]);

function formatSamId(data: Buffer): string {
  if (data.length !== 16) return data.toString('hex');
  const u16 = (i: number): string => String(data.readUInt16LE(i)).padStart(2, '0');
  const u32 = (i: number, w: number): string => String(data.readUInt32LE(i)).padStart(w, '0');
  return `${u16(0)}.${u16(2)}-${u32(4, 8)}-${u32(8, 10)}-${u32(12, 10)}`;
}

/**
 * Resident ID card reader over the SAM serial protocol.
 *
 * Cycle: SAM status (11 FF) and SAM ID (12 FF) once per (re)connection; then find (20 01) ->
 * select (20 02) -> read (30 01), each with a timeout. SW3 80 on find is "no card". After a read
 * the card is not read again until a find fails (the card left the field): one card, one
 * 'card' event. A card pulled away mid-read times out or gives a bad frame; the cycle goes on.
 * An unplugged port is reopened by path with backoff.
 *
 * Use: `const r = new IdCardReader(cfg); r.on('card', ...); r.on('error', ...); r.start(); ... await r.stop()`.
 */
export class IdCardReader extends EventEmitter<IdCardReaderEvents> {
  private readonly device: string;
  private readonly link: SerialLink;
  private readonly parser = new SamFrameParser();
  private readonly baudRate: number;
  private readonly pollIntervalMs: number;
  private readonly commandTimeoutMs: number;
  private readonly samRetryMs: number;
  private readonly today: () => string;
  private state = IdCardReaderState.Stopped;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private pending: { resolve: (f: SamReplyFrame) => void; reject: (e: IdCardReaderError) => void } | null = null;
  private samId: string | null = null;
  private lastReadAt: string | null = null;
  private cardsRead = 0;
  private readonly errorsByStatus: Partial<Record<SamStatus, number>> = {};
  private readonly errorsByKind: Record<DeviceErrorKind, number> = {
    [DeviceErrorKind.Disconnected]: 0,
    [DeviceErrorKind.Timeout]: 0,
    [DeviceErrorKind.BadFrame]: 0,
    [DeviceErrorKind.DeviceError]: 0,
  };
  private lastError: IdCardReaderHealth['lastError'] = null;

  constructor(config: IdCardReaderConfig) {
    super();
    this.device = `id-reader ${config.path}`;
    this.baudRate = config.baudRate ?? 115200;
    this.pollIntervalMs = config.pollIntervalMs ?? 10;
    this.commandTimeoutMs = config.commandTimeoutMs ?? 1000;
    this.samRetryMs = config.samRetryMs ?? 250;
    this.today = config.today ?? (() => businessDayOf(new Date(), 'Asia/Shanghai'));
    for (const [name, value] of Object.entries({ baudRate: this.baudRate, pollIntervalMs: this.pollIntervalMs, commandTimeoutMs: this.commandTimeoutMs, samRetryMs: this.samRetryMs })) {
      if (!Number.isFinite(value) || value < 0 || (name !== 'pollIntervalMs' && value === 0)) throw new RangeError(`IdCardReader: ${name} must be a positive number, got ${value}`);
    }
    this.link = new SerialLink({ path: config.path, baudRate: this.baudRate, reconnect: config.reconnect, open: config.openPort, device: this.device });
    this.link.on('data', (chunk) => this.parser.write(chunk));
    this.link.on('close', (err) => {
      // A command waiting on the port fails and is counted by the loop; otherwise count it here.
      if (this.pending) this.pending.reject(new IdCardReaderError(DeviceErrorKind.Disconnected, this.device, err.message));
      else this.fail(err);
      this.setState(IdCardReaderState.Disconnected);
      this.wake?.();
    });
    this.parser.on('data', (frame: SamReplyFrame) => {
      const pending = this.pending;
      this.pending = null;
      pending?.resolve(frame);
    });
    this.parser.on('frame-error', (err: SamFrameError) => this.onFrameError(err));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.setState(IdCardReaderState.Disconnected);
    this.link.start();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    this.pending?.reject(new IdCardReaderError(DeviceErrorKind.Disconnected, this.device, 'reader stopped'));
    await this.link.stop();
    await this.loop;
    this.loop = null;
    this.setState(IdCardReaderState.Stopped);
  }

  health(): IdCardReaderHealth {
    return {
      state: this.state,
      device: this.device,
      samId: this.samId,
      lastReadAt: this.lastReadAt,
      cardsRead: this.cardsRead,
      errorsByStatus: { ...this.errorsByStatus },
      errorsByKind: { ...this.errorsByKind },
      reconnects: this.link.reconnects,
      lastError: this.lastError,
    };
  }

  private async run(): Promise<void> {
    let samHealthy = false;
    let samDelay = this.samRetryMs;
    let cardInField = false;
    while (this.running) {
      if (!this.link.isOpen) {
        samHealthy = false;
        cardInField = false;
        try {
          await this.link.opened();
        } catch {
          return; // stopped
        }
        this.setState(IdCardReaderState.Starting);
        continue;
      }
      try {
        if (!samHealthy) {
          const status = await this.command(SamCommands.samStatus);
          this.expect(status, SamStatus.Ok, 'SAM status');
          const id = await this.command(SamCommands.readSamId);
          this.expect(id, SamStatus.Ok, 'read SAM ID');
          this.samId = formatSamId(id.data);
          samHealthy = true;
          samDelay = this.samRetryMs;
          this.setState(IdCardReaderState.Ready);
        }
        const found = await this.command(SamCommands.findCard);
        const foundStatus = samStatusOf(found.sw3);
        if (foundStatus === SamStatus.FindFailed) {
          cardInField = false;
          this.setState(IdCardReaderState.Ready);
          await this.pause(this.pollIntervalMs);
          continue;
        }
        this.expect(found, SamStatus.CardFound, 'find card');
        if (cardInField) {
          await this.pause(this.pollIntervalMs);
          continue;
        }
        this.expect(await this.command(SamCommands.selectCard), SamStatus.Ok, 'select card');
        const reply = await this.command(SamCommands.readTextPhoto);
        this.expect(reply, SamStatus.Ok, 'read card');
        // Whatever the text says, this card has been read: do not read it again until it leaves.
        cardInField = true;
        this.setState(IdCardReaderState.CardPresent);
        this.deliver(reply.data);
      } catch (err) {
        if (!(err instanceof IdCardReaderError)) throw err;
        this.fail(err);
        if (err.samStatus !== null && SAM_FAULTS.has(err.samStatus)) {
          samHealthy = false;
          this.setState(IdCardReaderState.SamFault);
          await this.pause(samDelay);
          samDelay = Math.min(5000, samDelay * 2);
        } else {
          await this.pause(this.pollIntervalMs);
        }
      }
    }
  }

  /** Splits a 30 01 reply: text length, photo length (big-endian), text, photo. */
  private deliver(data: Buffer): void {
    try {
      if (data.length < 4) throw new IdCardReaderError(DeviceErrorKind.BadFrame, this.device, 'read reply too short for its length fields');
      const textLength = data.readUInt16BE(0);
      const photoLength = data.readUInt16BE(2);
      if (4 + textLength + photoLength > data.length) {
        throw new IdCardReaderError(DeviceErrorKind.BadFrame, this.device, `read reply holds ${data.length - 4} bytes, lengths say ${textLength} + ${photoLength}`);
      }
      let card: IdCardData;
      try {
        card = decodeIdCardText(data.subarray(4, 4 + textLength), { today: this.today() });
      } catch (err) {
        if (err instanceof IdCardTextError) {
          throw new IdCardReaderError(DeviceErrorKind.BadFrame, this.device, `card text: ${err.message}`, { textCode: err.code, cause: err });
        }
        throw err;
      }
      this.cardsRead++;
      this.lastReadAt = new Date().toISOString();
      this.emit('card', card, { readAt: this.lastReadAt, photoLength });
    } finally {
      // Personal data does not outlive the read in our buffers (docs/architecture.md §7).
      data.fill(0);
    }
  }

  private expect(frame: SamReplyFrame, want: SamStatus, what: string): void {
    const status = samStatusOf(frame.sw3);
    if (status === want && frame.sw1 === 0 && frame.sw2 === 0) return;
    throw new IdCardReaderError(DeviceErrorKind.DeviceError, this.device, `${what}: ${samStatusMessage(status)} (SW 0x${[frame.sw1, frame.sw2, frame.sw3].map((b) => b.toString(16).padStart(2, '0')).join(' ')})`, { samStatus: status });
  }

  /** One request/reply exchange. The parser is reset first: stale bytes belong to an abandoned exchange. */
  private async command(code: SamCommandCode): Promise<SamReplyFrame> {
    const key = `${code.cmd.toString(16)}${code.para.toString(16).padStart(2, '0')}`;
    const timeoutMs = this.commandTimeoutMs + wireTimeMs((REPLY_BYTES[key] ?? SMALL_REPLY_BYTES) + 10, this.baudRate);
    this.parser.reset();
    const reply = new Promise<SamReplyFrame>((resolve, reject) => {
      // Timers run before I/O in Node's loop: after a stall of this process the reply may be
      // waiting unread when the timer fires, so it only counts after a short grace.
      let timer = setTimeout(() => {
        timer = setTimeout(() => {
          if (this.pending !== entry) return;
          this.pending = null;
          reject(new IdCardReaderError(DeviceErrorKind.Timeout, this.device, `no reply to ${key} within ${Math.round(timeoutMs)} ms`));
        }, TIMEOUT_GRACE_MS);
      }, timeoutMs);
      const entry = {
        resolve: (f: SamReplyFrame) => {
          clearTimeout(timer);
          resolve(f);
        },
        reject: (e: IdCardReaderError) => {
          clearTimeout(timer);
          if (this.pending === entry) this.pending = null;
          reject(e);
        },
      };
      this.pending = entry;
    });
    // Not awaited: a write caught by an unplug may never call back; the reply (or its timeout,
    // or the link's close) settles the exchange.
    const mine = this.pending;
    this.link.write(encodeSamCommand(code)).catch((err: unknown) => {
      if (mine && this.pending === mine) mine.reject(new IdCardReaderError(DeviceErrorKind.Disconnected, this.device, err instanceof Error ? err.message : String(err)));
    });
    return reply;
  }

  private onFrameError(err: SamFrameError): void {
    // Our own reset and noise before a preamble are not the reply's fault; a broken frame is.
    if (err.code === SamFrameErrorCode.Truncated || err.code === SamFrameErrorCode.Garbage) return;
    const pending = this.pending;
    if (!pending) return;
    this.pending = null;
    pending.reject(new IdCardReaderError(DeviceErrorKind.BadFrame, this.device, `reply frame: ${err.message} (${err.code})`, { cause: err }));
  }

  private fail(err: DeviceError): void {
    this.errorsByKind[err.kind]++;
    const samStatus = err instanceof IdCardReaderError ? err.samStatus : null;
    if (samStatus !== null) this.errorsByStatus[samStatus] = (this.errorsByStatus[samStatus] ?? 0) + 1;
    this.lastError = { kind: err.kind, message: err.message, samStatus, at: new Date().toISOString() };
    if (this.listenerCount('error') > 0) {
      this.emit('error', err instanceof IdCardReaderError ? err : new IdCardReaderError(err.kind, this.device, err.message, { cause: err }));
    }
  }

  /** Sleeps, but wakes at once on stop or unplug. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }

  private setState(state: IdCardReaderState): void {
    if (this.state === state) return;
    this.state = state;
    this.emit('state', state);
  }
}
