import { EventEmitter } from 'node:events';
import { wireTimeMs } from '../../serial/baud-pacer.js';
import { PacedSerialEnd } from '../../serial/paced-serial-end.js';
import type { IdCardData } from '../id-card-text.js';
import { encodeSamCommand, encodeSamReply, SamCommandParser, SamCommands, type SamCommandCode, type SamCommandFrame } from '../sam-frame-codec.js';
import { SamStatus, samStatusByte } from '../sam-status.js';
import { encodeIdCardText } from './card-text-encoder.js';
import { sampleCard, type SampleCardName } from './sample-cards.js';

export enum ReaderSimFault {
  None = 'none',
  /** Every command answered SW3 66 (reader not authorised). */
  Unauthorized = 'unauthorized',
  /** Nothing is answered (a hung reader). */
  Silent = 'silent',
  /** Every reply is sent with noise in front and a broken checksum. */
  CorruptFrames = 'corrupt-frames',
}

export interface PlaceCardOptions {
  /** The card leaves the field after this many bytes of the read reply (default: never). */
  pullAwayAfterBytes?: number;
  /** Photo bytes (opaque WLT); default 1024 pseudo-random bytes. */
  photo?: Buffer;
}

export interface IdReaderSimulatorOptions {
  /** The device end of a PTY pair. */
  path: string;
  /** Pacing of replies and of received commands; default 115200. */
  baudRate?: number;
  /** 16 bytes; default a fixed SAM ID. */
  samId?: Buffer;
  /**
   * What find answers while a card that was already read stays in the field. docs/devices.md: the card
   * must leave the field before the next find succeeds ('fails', default). Some readers find it
   * again ('succeeds'); the driver must not read it twice either way.
   */
  findAfterRead?: 'fails' | 'succeeds';
}

export interface IdReaderSimulatorEvents {
  command: [frame: SamCommandFrame];
  /** A read reply was sent whole. */
  read: [];
  /** The port closed under the simulator (socat stopped). */
  detached: [];
}

interface PlacedCard {
  text: Buffer;
  photo: Buffer;
  pullAwayAfterBytes: number | null;
  /** Read since it was placed: find fails until it is placed again (findAfterRead 'fails'). */
  read: boolean;
}

const DEFAULT_SAM_ID = Buffer.from([5, 0, 1, 0, 0x0f, 0x70, 0x32, 0x01, 0x4e, 0x61, 0xbc, 0x00, 0xd2, 0x02, 0x96, 0x49]);

/** 1024 bytes that look like a WLT photo to nobody, deterministic, without a SAM preamble in them. */
function fakePhoto(seed: number): Buffer {
  const photo = Buffer.alloc(1024);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < photo.length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    photo[i] = (x >>> 16) & 0x7f; // never 0xAA: no false preamble
  }
  return photo;
}

const key = (c: SamCommandCode): string => `${c.cmd}:${c.para}`;
const KEYS = Object.fromEntries(Object.entries(SamCommands).map(([name, code]) => [key(code), name])) as Record<string, keyof typeof SamCommands>;

/**
 * A SAM ID card reader on the device end of a PTY, or behind a raw-TCP serial device server
 * (`serve`). Replies are paced at the baud rate (10 bits a
 * byte) and commands are taken as arriving at the same rate, so the driver on the other end sees
 * a real line's timing. Scriptable: place and remove cards, pull one away mid-read, corrupt
 * frames, refuse as an unauthorised SAM, go silent; `attach()` again after a replug.
 */
export class IdReaderSimulator extends EventEmitter<IdReaderSimulatorEvents> {
  private readonly end: PacedSerialEnd;
  private readonly parser = new SamCommandParser();
  private readonly baudRate: number;
  private readonly samId: Buffer;
  /** See IdReaderSimulatorOptions.findAfterRead; may be changed at any time. */
  findAfterRead: 'fails' | 'succeeds';
  private card: PlacedCard | null = null;
  private fault = ReaderSimFault.None;
  private corruptLeft = 0;
  private queue: Promise<void> = Promise.resolve();
  private placements = 0;
  /**
   * commands: frames received; reads: read replies sent whole; lastReadExchangeBytes: bytes on
   * the wire (both directions) of the find that found the card, the select and the read that
   * followed: the wire-time floor of one card read.
   */
  readonly stats = { commands: 0, reads: 0, lastReadExchangeBytes: 0 };
  private exchangeBytes = 0;

  constructor(opts: Omit<IdReaderSimulatorOptions, 'path'> = {}) {
    super();
    this.baudRate = opts.baudRate ?? 115200;
    this.samId = opts.samId ?? DEFAULT_SAM_ID;
    this.findAfterRead = opts.findAfterRead ?? 'fails';
    this.parser.on('data', (frame: SamCommandFrame) => {
      this.queue = this.queue.then(() => this.answer(frame)).catch(() => undefined);
    });
    this.parser.on('frame-error', () => undefined); // a real reader ignores line noise
    this.end = new PacedSerialEnd(this.baudRate, {
      onData: (chunk) => this.parser.write(chunk),
      // Half a command from a client that went away is not the start of the next one's.
      onAttached: () => this.parser.reset(),
      onDetached: () => this.emit('detached'),
    });
  }

  static async open(opts: IdReaderSimulatorOptions): Promise<IdReaderSimulator> {
    const sim = new IdReaderSimulator(opts);
    await sim.attach(opts.path);
    return sim;
  }

  /**
   * The reader behind a raw-TCP serial device server on 127.0.0.1:`port` (0: any free one);
   * the driver opens `sim.tcpPath`. Pacing is the same as on a PTY: the box's serial side.
   */
  static async serve(opts: Omit<IdReaderSimulatorOptions, 'path'> & { port: number }): Promise<IdReaderSimulator> {
    const sim = new IdReaderSimulator(opts);
    await sim.serve(opts.port);
    return sim;
  }

  /** A driver is connected (PTY open, or a TCP client). */
  get attached(): boolean {
    return this.end.attached;
  }

  /** `tcp://127.0.0.1:port` while serving over TCP, else null. */
  get tcpPath(): string | null {
    return this.end.tcpPath;
  }

  /** Serves over TCP (again, after an unplug). The card and faults are kept. */
  async serve(port: number): Promise<string> {
    this.parser.reset();
    return this.end.serve(port);
  }

  /** Opens the device end of a PTY (again, after a replug). The card and faults are kept. */
  attach(path: string): Promise<void> {
    this.parser.reset();
    return this.end.attach(path);
  }

  async detach(): Promise<void> {
    await this.end.detach();
    this.parser.reset();
  }

  /** Puts a card in the field (replacing any), by sample name or as data. */
  placeCard(card: IdCardData | SampleCardName, opts: PlaceCardOptions = {}): void {
    const data = typeof card === 'string' ? sampleCard(card) : card;
    this.placements++;
    this.card = {
      text: encodeIdCardText(data),
      photo: opts.photo ?? fakePhoto(this.placements),
      pullAwayAfterBytes: opts.pullAwayAfterBytes ?? null,
      read: false,
    };
  }

  /** Places a raw 256-byte text block (malformed cards for tests). */
  placeRawText(text: Buffer, opts: PlaceCardOptions = {}): void {
    if (text.length !== 256) throw new RangeError('a text block is 256 bytes');
    this.placements++;
    this.card = { text: Buffer.from(text), photo: opts.photo ?? fakePhoto(this.placements), pullAwayAfterBytes: opts.pullAwayAfterBytes ?? null, read: false };
  }

  removeCard(): void {
    this.card = null;
  }

  get cardPresent(): boolean {
    return this.card !== null;
  }

  setFault(fault: ReaderSimFault): void {
    this.fault = fault;
  }

  /** The next `n` replies go out with noise in front and a broken checksum. */
  corruptNext(n: number): void {
    this.corruptLeft = n;
  }

  async close(): Promise<void> {
    await this.detach();
    this.removeAllListeners();
  }

  private async answer(frame: SamCommandFrame): Promise<void> {
    this.stats.commands++;
    this.emit('command', frame);
    if (this.fault === ReaderSimFault.Silent || !this.end.attached) return;
    // The command reached us at memory speed; a real line would still be carrying it.
    const startAt = performance.now() + wireTimeMs(encodeSamCommand(frame, frame.data).length, this.baudRate);
    const reply = this.replyTo(frame);
    if (!reply) return;
    let bytes = reply.bytes;
    if (this.fault === ReaderSimFault.CorruptFrames || this.corruptLeft > 0) {
      if (this.corruptLeft > 0) this.corruptLeft--;
      bytes = Buffer.concat([Buffer.from([0x00, 0x13, 0xaa]), bytes]);
      bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff;
    }
    const exchange = encodeSamCommand(frame, frame.data).length + bytes.length;
    const name = KEYS[key(frame)];
    if (name === 'findCard') this.exchangeBytes = reply.found ? exchange : 0;
    else if (name === 'selectCard') this.exchangeBytes += exchange;
    const cut = reply.pullAwayAfterBytes;
    if (cut !== null && cut < bytes.length) {
      // The card leaves mid-reply: the reader stops talking about it.
      this.card = null;
      await this.end.send(bytes.subarray(0, cut), { startAt });
      return;
    }
    await this.end.send(bytes, { startAt });
    if (reply.isRead) {
      this.stats.lastReadExchangeBytes = this.exchangeBytes + exchange;
      this.stats.reads++;
      this.emit('read');
    }
  }

  private replyTo(frame: SamCommandFrame): { bytes: Buffer; pullAwayAfterBytes: number | null; isRead: boolean; found: boolean } | null {
    const plain = (status: Exclude<SamStatus, SamStatus.Unknown>, data?: Buffer): { bytes: Buffer; pullAwayAfterBytes: null; isRead: false; found: boolean } => ({
      bytes: encodeSamReply(samStatusByte(status), data),
      pullAwayAfterBytes: null,
      isRead: false,
      found: status === SamStatus.CardFound,
    });
    if (this.fault === ReaderSimFault.Unauthorized) return plain(SamStatus.NotAuthorized);
    const card = this.card;
    switch (KEYS[key(frame)]) {
      case 'resetSam':
      case 'samStatus':
        return plain(SamStatus.Ok);
      case 'readSamId':
        return plain(SamStatus.Ok, this.samId);
      case 'findCard':
        if (!card || (card.read && this.findAfterRead === 'fails')) return plain(SamStatus.FindFailed);
        return plain(SamStatus.CardFound, Buffer.alloc(4));
      case 'selectCard':
        return card ? plain(SamStatus.Ok, Buffer.alloc(8)) : plain(SamStatus.SelectFailed);
      case 'readTextPhoto': {
        if (!card) return plain(SamStatus.ReadFailed);
        const lengths = Buffer.alloc(4);
        lengths.writeUInt16BE(card.text.length, 0);
        lengths.writeUInt16BE(card.photo.length, 2);
        card.read = true;
        return {
          bytes: encodeSamReply(samStatusByte(SamStatus.Ok), Buffer.concat([lengths, card.text, card.photo])),
          pullAwayAfterBytes: card.pullAwayAfterBytes,
          isRead: true,
          found: false,
        };
      }
      default:
        return plain(SamStatus.BadCommand);
    }
  }
}
