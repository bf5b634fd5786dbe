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
 * A serial QR scanner on the device end of a PTY, or behind a raw-TCP serial device server
 * (`serve`): `scan(code)` sends the code and its suffix at the baud rate, as a scanner does after
 * a read. `attach()` / `serve()` again after a replug.
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

  /** The scanner behind a raw-TCP serial device server on 127.0.0.1:`port` (0: any free one). */
  static async serve(opts: Omit<ScannerSimulatorOptions, 'path'> & { port: number }): Promise<ScannerSimulator> {
    const sim = new ScannerSimulator(opts);
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

  /** Serves over TCP (again, after an unplug); resolves with the path a driver opens. */
  serve(port: number): Promise<string> {
    return this.end.serve(port);
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
