import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { SerialPort } from 'serialport';
import { DeviceError, DeviceErrorKind } from '../device-error.js';
import { isTcpPath, openTcpSerialPort } from './tcp-serial-port.js';

/** The part of a serial port a link needs; serialport's SerialPort is one. */
export interface SerialPortLike extends Duplex {
  readonly isOpen: boolean;
  close(callback?: (err: Error | null) => void): void;
}

/** Opens a port by path; rejects when it cannot (unplugged, wrong path). The injected transport. */
export type SerialPortOpener = (path: string, baudRate: number) => Promise<SerialPortLike>;

/** serialport, 8N1, opened by path (PTYs and udev-less systems: SerialPort.list() is no help). */
export const openSerialPort: SerialPortOpener = (path, baudRate) =>
  new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate, dataBits: 8, parity: 'none', stopBits: 1, autoOpen: false });
    port.open((err) => (err ? reject(err) : resolve(port)));
  });

/**
 * The drivers' default transport: `tcp://host:port` through a serial device server (see
 * tcp-serial-port.ts), anything else a serial port by path.
 */
export const openDevicePort: SerialPortOpener = (path, baudRate) => (isTcpPath(path) ? openTcpSerialPort(path) : openSerialPort(path, baudRate));

export interface ReconnectOptions {
  /** First wait after a failed open or a drop; default 100 ms. */
  initialDelayMs?: number;
  /** Cap of the doubling wait; default 2000 ms. */
  maxDelayMs?: number;
}

export interface SerialLinkOptions {
  /** A serial port (`/dev/ttyUSB0`, a PTY link) or a serial device server (`tcp://host:port`). */
  path: string;
  baudRate: number;
  reconnect?: ReconnectOptions;
  /** Default: openDevicePort (serialport, or TCP for tcp://). Tests may inject another transport. */
  open?: SerialPortOpener;
  /** Names the device in errors, e.g. `id-reader /dev/ttyUSB0`. */
  device: string;
}

export interface SerialLinkEvents {
  open: [];
  /** The port went away; the link reopens it by itself. */
  close: [err: DeviceError];
  data: [chunk: Buffer];
}

/**
 * A serial port that keeps itself open: opened by path, reopened with doubling backoff (plus a
 * little jitter) after an unplug until it works again, until stop(). Drivers write through it
 * and read its 'data'; they never hold the port itself, so a replug is invisible to them except
 * for the 'close' / 'open' events.
 */
export class SerialLink extends EventEmitter<SerialLinkEvents> {
  private port: SerialPortLike | null = null;
  private running = false;
  private timer: NodeJS.Timeout | null = null;
  private delayMs: number;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly opener: SerialPortOpener;
  private openWaiters: Array<{ resolve: () => void; reject: (err: DeviceError) => void }> = [];
  /** Opens that failed or ports that dropped since start. */
  reconnects = 0;
  lastOpenError: string | null = null;

  constructor(private readonly opts: SerialLinkOptions) {
    super();
    this.initialDelayMs = opts.reconnect?.initialDelayMs ?? 100;
    this.maxDelayMs = opts.reconnect?.maxDelayMs ?? 2000;
    if (!(this.initialDelayMs > 0) || !(this.maxDelayMs >= this.initialDelayMs)) {
      throw new RangeError('reconnect: need 0 < initialDelayMs <= maxDelayMs');
    }
    this.delayMs = this.initialDelayMs;
    this.opener = opts.open ?? openDevicePort;
  }

  get isOpen(): boolean {
    return this.port !== null;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.tryOpen();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const port = this.port;
    this.port = null;
    for (const w of this.openWaiters.splice(0)) w.reject(this.error('link stopped'));
    if (port) {
      port.removeAllListeners('data');
      await new Promise<void>((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve()));
    }
  }

  /** Resolves when the port is open (at once if it is); rejects if the link is stopped. */
  opened(): Promise<void> {
    if (this.port) return Promise.resolve();
    if (!this.running) return Promise.reject(this.error('link not started'));
    return new Promise((resolve, reject) => this.openWaiters.push({ resolve, reject }));
  }

  /** Writes and waits until the OS took the bytes. Throws DeviceError(disconnected) when closed. */
  write(bytes: Uint8Array): Promise<void> {
    const port = this.port;
    if (!port) return Promise.reject(this.error('port not open'));
    return new Promise((resolve, reject) => {
      // An unplug mid-write may never call back: the close settles it instead.
      const onClose = (): void => reject(this.error('port closed during the write'));
      port.once('close', onClose);
      port.write(bytes, (err) => {
        port.off('close', onClose);
        if (err) reject(this.error(`write failed: ${err.message}`, err));
        else resolve();
      });
    });
  }

  private async tryOpen(): Promise<void> {
    if (!this.running || this.port) return;
    let port: SerialPortLike;
    try {
      port = await this.opener(this.opts.path, this.opts.baudRate);
    } catch (err) {
      this.lastOpenError = err instanceof Error ? err.message : String(err);
      this.reconnects++;
      this.retryLater();
      return;
    }
    if (!this.running) {
      port.close();
      return;
    }
    this.port = port;
    this.delayMs = this.initialDelayMs;
    this.lastOpenError = null;
    port.on('data', (chunk: Buffer) => this.emit('data', chunk));
    // serialport reports an unplug as 'close' with `disconnected`, sometimes after an 'error'.
    port.on('error', () => this.dropped(port, 'port error'));
    port.once('close', () => this.dropped(port, 'port closed'));
    for (const w of this.openWaiters.splice(0)) w.resolve();
    this.emit('open');
  }

  private dropped(port: SerialPortLike, why: string): void {
    if (this.port !== port) return;
    this.port = null;
    port.removeAllListeners('data');
    if (port.isOpen) port.close();
    this.reconnects++;
    this.emit('close', this.error(why));
    this.retryLater();
  }

  private retryLater(): void {
    if (!this.running || this.timer) return;
    const wait = this.delayMs * (1 + Math.random() * 0.2);
    this.delayMs = Math.min(this.maxDelayMs, this.delayMs * 2);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.tryOpen();
    }, wait);
  }

  private error(message: string, cause?: unknown): DeviceError {
    return new DeviceError(DeviceErrorKind.Disconnected, this.opts.device, `${this.opts.device}: ${message}`, cause === undefined ? undefined : { cause });
  }
}
