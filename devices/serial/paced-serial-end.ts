import { BaudPacer } from './baud-pacer.js';
import { openSerialPort, type SerialPortLike } from './serial-link.js';

/**
 * The device end of a PTY as a simulator holds it: writes paced at the baud rate (a PTY alone
 * moves bytes at memory speed), incoming bytes handed on, and `attach()` again after a replug.
 */
export class PacedSerialEnd {
  private port: SerialPortLike | null = null;
  private pacer: BaudPacer | null = null;

  constructor(
    private readonly baudRate: number,
    private readonly handlers: { onData?: (chunk: Buffer) => void; onDetached?: () => void } = {},
  ) {}

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
    const onData = this.handlers.onData;
    if (onData) port.on('data', (chunk: Buffer) => onData(chunk));
    port.on('error', () => undefined);
    port.once('close', () => {
      if (this.port !== port) return;
      this.port = null;
      this.pacer?.clear();
      this.handlers.onDetached?.();
    });
  }

  async detach(): Promise<void> {
    const port = this.port;
    this.port = null;
    this.pacer?.clear();
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  /** Resolves when the bytes are on the wire; `startAt` (performance.now ms) delays the first byte. */
  async send(bytes: Uint8Array, opts: { startAt?: number } = {}): Promise<void> {
    if (!this.pacer || !this.port) throw new Error('simulator is not attached to a port');
    await this.pacer.send(bytes, opts);
  }
}
