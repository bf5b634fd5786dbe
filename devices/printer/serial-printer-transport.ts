import { DeviceError, DeviceErrorKind } from '../device-error.js';
import { wireTimeMs } from '../serial/baud-pacer.js';
import { openSerialPort, type SerialPortLike, type SerialPortOpener } from '../serial/serial-link.js';
import type { PrinterTransport } from './printer-transport.js';

export interface SerialPrinterTransportOptions {
  /** e.g. /dev/ttyS0, /dev/ttyUSB0 or a PTY link. */
  path: string;
  /** Default 9600 (8N1), the usual setting of serial receipt printers. */
  baudRate?: number;
  /** Transport injection; default serialport by path. */
  openPort?: SerialPortOpener;
}

interface Pending {
  port: SerialPortLike;
  replyLength: number;
  resolve(reply: Buffer): void;
  reject(err: DeviceError): void;
}

/**
 * A serial receipt printer (node-thermal-printer has no serial interface, docs/devices.md). Opens the
 * port on first use and again on the first call after it closed (unplugged); the call that meets
 * a closed port fails with `disconnected`. `write` resolves once the port has drained, i.e. the
 * bytes left the UART, so at 9600 baud a 1.5 KB receipt takes about 1.6 s. `query` serves DLE EOT:
 * stale bytes are dropped first, and a timed-out reply cannot answer a later query.
 */
class SerialPrinterTransport implements PrinterTransport {
  private readonly device: string;
  private readonly baudRate: number;
  private readonly opener: SerialPortOpener;
  private port: SerialPortLike | null = null;
  private received: Buffer = Buffer.alloc(0);
  private pending: Pending | null = null;
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;
  /**
   * When the line has carried everything written so far. A query waits behind a job on the
   * wire: its timeout starts when the job is out, wherever the OS buffered it (a PTY's drain
   * returns at once; a UART's after the real transmission).
   */
  private lineBusyUntil = 0;

  constructor(private readonly opts: SerialPrinterTransportOptions) {
    this.device = `printer serial:${opts.path}`;
    this.baudRate = opts.baudRate ?? 9600;
    if (!Number.isInteger(this.baudRate) || this.baudRate <= 0) throw new RangeError(`baudRate must be a positive integer, got ${opts.baudRate}`);
    this.opener = opts.openPort ?? openSerialPort;
  }

  write(bytes: Uint8Array): Promise<void> {
    return this.serial(async (port) => {
      await new Promise<void>((resolve, reject) => {
        let settled = false;
        const settle = (err?: DeviceError): void => {
          if (settled) return;
          settled = true;
          port.off('close', onClose);
          if (err) reject(err);
          else resolve();
        };
        const onClose = (): void => settle(this.error(DeviceErrorKind.Disconnected, 'port closed during the write'));
        port.once('close', onClose);
        this.lineBusyUntil = Math.max(performance.now(), this.lineBusyUntil) + wireTimeMs(bytes.length, this.baudRate);
        port.write(bytes, (err) => {
          if (err) return settle(this.error(DeviceErrorKind.Disconnected, `write failed: ${err.message}`, err));
          const drainable = port as SerialPortLike & { drain?: (cb: (err: Error | null) => void) => void };
          if (typeof drainable.drain !== 'function') return settle();
          drainable.drain((drainErr) => settle(drainErr ? this.error(DeviceErrorKind.Disconnected, `drain failed: ${drainErr.message}`, drainErr) : undefined));
        });
      });
    });
  }

  query(bytes: Uint8Array, replyLength: number, timeoutMs: number): Promise<Buffer> {
    return this.serial(
      (port) =>
        new Promise<Buffer>((resolve, reject) => {
          this.received = Buffer.alloc(0);
          const now = performance.now();
          this.lineBusyUntil = Math.max(now, this.lineBusyUntil) + wireTimeMs(bytes.length + replyLength, this.baudRate);
          const budget = timeoutMs + Math.max(0, this.lineBusyUntil - now);
          const timer = setTimeout(() => {
            if (this.pending !== pending) return;
            this.pending = null;
            reject(this.error(DeviceErrorKind.Timeout, `no ${replyLength}-byte reply within ${Math.round(budget)} ms`));
          }, budget);
          const pending: Pending = {
            port,
            replyLength,
            resolve: (reply) => {
              clearTimeout(timer);
              resolve(reply);
            },
            reject: (err) => {
              clearTimeout(timer);
              reject(err);
            },
          };
          this.pending = pending;
          port.write(bytes, (err) => {
            if (err && this.pending === pending) {
              this.pending = null;
              pending.reject(this.error(DeviceErrorKind.Disconnected, `write failed: ${err.message}`, err));
            }
          });
        }),
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.tail;
    const port = this.port;
    this.port = null;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  private serial<T>(op: (port: SerialPortLike) => Promise<T>): Promise<T> {
    const run = this.tail.then(async () => {
      if (this.closed) throw this.error(DeviceErrorKind.Disconnected, 'transport closed');
      return op(await this.opened());
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async opened(): Promise<SerialPortLike> {
    const current = this.port;
    if (current?.isOpen) return current;
    this.port = null;
    let port: SerialPortLike;
    try {
      port = await this.opener(this.opts.path, this.baudRate);
    } catch (err) {
      throw this.error(DeviceErrorKind.Disconnected, `cannot open: ${err instanceof Error ? err.message : String(err)}`, err);
    }
    this.port = port;
    this.received = Buffer.alloc(0);
    port.on('data', (chunk: Buffer) => {
      if (this.port !== port) return;
      this.received = Buffer.concat([this.received, chunk]);
      const pending = this.pending;
      if (pending?.port === port && this.received.length >= pending.replyLength) {
        const reply = Buffer.from(this.received.subarray(0, pending.replyLength));
        this.received = Buffer.alloc(0);
        this.pending = null;
        pending.resolve(reply);
      }
    });
    port.on('error', () => undefined); // 'close' follows and reports it
    port.once('close', () => {
      if (this.port === port) this.port = null;
      if (this.pending?.port === port) {
        const pending = this.pending;
        this.pending = null;
        pending.reject(this.error(DeviceErrorKind.Disconnected, 'port closed'));
      }
    });
    return port;
  }

  private error(kind: DeviceErrorKind, message: string, cause?: unknown): DeviceError {
    return new DeviceError(kind, this.device, `${this.device}: ${message}`, cause === undefined ? undefined : { cause });
  }
}

export function createSerialPrinterTransport(opts: SerialPrinterTransportOptions): PrinterTransport {
  return new SerialPrinterTransport(opts);
}
