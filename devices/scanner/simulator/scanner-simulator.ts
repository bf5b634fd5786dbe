import { BaudPacer } from '../../serial/baud-pacer.js';
import { openSerialPort, type SerialPortLike } from '../../serial/serial-link.js';

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
  private port: SerialPortLike | null = null;
  private pacer: BaudPacer | null = null;
  private readonly baudRate: number;
  /** May be changed between scans. */
  suffix: ScanSuffix;

  constructor(opts: Omit<ScannerSimulatorOptions, 'path'> = {}) {
    this.baudRate = opts.baudRate ?? 9600;
    this.suffix = opts.suffix ?? ScanSuffix.Cr;
  }

  static async open(opts: ScannerSimulatorOptions): Promise<ScannerSimulator> {
    const sim = new ScannerSimulator(opts);
    await sim.attach(opts.path);
    return sim;
  }

  get attached(): boolean {
    return this.port !== null;
  }

  async attach(path: string): Promise<void> {
    await this.detach();
    const port = await openSerialPort(path, this.baudRate);
    this.port = port;
    this.pacer = new BaudPacer((chunk) => {
      if (this.port === port && port.isOpen) port.write(chunk);
    }, { baudRate: this.baudRate });
    port.on('error', () => undefined);
    port.once('close', () => {
      if (this.port === port) this.port = null;
    });
  }

  async detach(): Promise<void> {
    const port = this.port;
    this.port = null;
    this.pacer?.clear();
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  /** Sends one code with the suffix (or raw bytes, for broken input); resolves when it is on the wire. */
  async scan(code: string | Buffer, suffix: ScanSuffix = this.suffix): Promise<void> {
    if (!this.pacer) throw new Error('scanner simulator is not attached to a port');
    const bytes = typeof code === 'string' ? Buffer.from(code, 'utf8') : code;
    await this.pacer.send(Buffer.concat([bytes, SUFFIX_BYTES[suffix]]));
  }

  async close(): Promise<void> {
    await this.detach();
  }
}
