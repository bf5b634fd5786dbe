import { PacedSerialEnd } from '../../serial/paced-serial-end.js';

export enum ScanSuffix {
  Cr = 'cr',
  Lf = 'lf',
  CrLf = 'crlf',
  None = 'none',
}

const SUFFIX_BYTES: Record<ScanSuffix, Buffer> = {
  [ScanSuffix.Cr]: Buffer.from('\r'),
  [ScanSuffix.Lf]: Buffer.from('\n'),
  [ScanSuffix.CrLf]: Buffer.from('\r\n'),
  [ScanSuffix.None]: Buffer.alloc(0),
};

export interface ScannerSimulatorOptions {
  /** The device end of a PTY pair. */
  path: string;
  /** Default 9600. */
  baudRate?: number;
  /** Default CR, the factory setting of most scanners. */
  suffix?: ScanSuffix;
}

/**
 * A serial QR scanner on the device end of a PTY: `scan(code)` sends the code and its suffix at
 * the baud rate, as a scanner does after a read. `attach()` again after a replug.
 */
export class ScannerSimulator {
  private readonly end: PacedSerialEnd;
  /** May be changed between scans. */
  suffix: ScanSuffix;

  constructor(opts: Omit<ScannerSimulatorOptions, 'path'> = {}) {
    this.end = new PacedSerialEnd(opts.baudRate ?? 9600);
    this.suffix = opts.suffix ?? ScanSuffix.Cr;
  }

  static async open(opts: ScannerSimulatorOptions): Promise<ScannerSimulator> {
    const sim = new ScannerSimulator(opts);
    await sim.attach(opts.path);
    return sim;
  }

  get attached(): boolean {
    return this.end.attached;
  }

  attach(path: string): Promise<void> {
    return this.end.attach(path);
  }

  detach(): Promise<void> {
    return this.end.detach();
  }

  /** Sends one code with the suffix (or raw bytes, for broken input); resolves when it is on the wire. */
  async scan(code: string | Buffer, suffix: ScanSuffix = this.suffix): Promise<void> {
    const bytes = typeof code === 'string' ? Buffer.from(code, 'utf8') : code;
    await this.end.send(Buffer.concat([bytes, SUFFIX_BYTES[suffix]]));
  }

  async close(): Promise<void> {
    await this.detach();
  }
}
