import type { Duplex } from 'node:stream';
import { BaudPacer } from './baud-pacer.js';
import { openSerialPort } from './serial-link.js';
import { TcpDeviceServer } from './tcp-device-server.js';

/** What a simulator's line is: the device end of a PTY, or a TCP client of its device server. */
interface Line {
  stream: Duplex;
  readonly open: boolean;
  close(): Promise<void>;
}

/**
 * The device end of a line as a simulator holds it: writes paced at the baud rate (a PTY or a
 * loopback socket alone moves bytes at memory speed), incoming bytes handed on, and `attach()`
 * again after a replug. The line is either the device end of a PTY pair (`attach(path)`) or,
 * as a raw-TCP serial device server would give it, whichever client is connected to `serve()`.
 */
export class PacedSerialEnd {
  private line: Line | null = null;
  private pacer: BaudPacer | null = null;
  private server: TcpDeviceServer | null = null;

  constructor(
    private readonly baudRate: number,
    private readonly handlers: { onData?: (chunk: Buffer) => void; onAttached?: () => void; onDetached?: () => void } = {},
  ) {}

  /** A line is there to talk on: the PTY is open, or a client is connected. */
  get attached(): boolean {
    return this.line !== null;
  }

  /** The device server's `tcp://host:port` while serving, else null. */
  get tcpPath(): string | null {
    return this.server?.path ?? null;
  }

  async attach(path: string): Promise<void> {
    await this.detach();
    const port = await openSerialPort(path, this.baudRate);
    this.adopt({
      stream: port,
      get open() {
        return port.isOpen;
      },
      close: () => new Promise<void>((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve())),
    });
  }

  /**
   * Listens on 127.0.0.1:`port` (0: any free one) as a serial device server; each client that
   * connects becomes the line. Resolves with the `tcp://` path a driver opens.
   */
  async serve(port: number, host = '127.0.0.1'): Promise<string> {
    await this.detach();
    this.server = await TcpDeviceServer.listen({
      port,
      host,
      onClient: (socket) =>
        this.adopt({
          stream: socket,
          get open() {
            return !socket.destroyed;
          },
          close: async () => {
            socket.destroy();
          },
        }),
    });
    return this.server.path;
  }

  private adopt(line: Line): void {
    // A new client takes over: what was queued for the previous one is not for it.
    this.pacer?.clear();
    this.line = line;
    this.pacer = new BaudPacer((chunk) => {
      if (this.line === line && line.open) line.stream.write(chunk);
    }, { baudRate: this.baudRate });
    this.handlers.onAttached?.();
    const onData = this.handlers.onData;
    if (onData) line.stream.on('data', (chunk: Buffer) => onData(chunk));
    line.stream.on('error', () => undefined);
    line.stream.once('close', () => {
      if (this.line !== line) return;
      this.line = null;
      this.pacer?.clear();
      this.handlers.onDetached?.();
    });
  }

  /** Closes the line, and the device server if serving: to the driver, the cable was pulled. */
  async detach(): Promise<void> {
    const line = this.line;
    const server = this.server;
    this.line = null;
    this.server = null;
    this.pacer?.clear();
    await line?.close();
    await server?.close();
  }

  /** Resolves when the bytes are on the wire; `startAt` (performance.now ms) delays the first byte. */
  async send(bytes: Uint8Array, opts: { startAt?: number } = {}): Promise<void> {
    if (!this.pacer || !this.line) {
      throw new Error(this.server ? `no kiosk is connected to ${this.server.path}` : 'simulator is not attached to a port');
    }
    await this.pacer.send(bytes, opts);
  }
}
