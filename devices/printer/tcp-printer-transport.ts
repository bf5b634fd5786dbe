import net from 'node:net';
import { DeviceError, DeviceErrorKind } from '../device-error.js';
import type { PrinterTransport } from './printer-transport.js';

export interface TcpPrinterTransportOptions {
  host: string;
  port: number;
  connectTimeoutMs?: number;
}

/** The one operation currently waiting on the socket (operations are serialised). */
interface Pending {
  /** The connection it waits on: a drop of an older one must not fail it. */
  socket: net.Socket;
  /** Bytes the operation waits for; null for a plain write. */
  replyLength: number | null;
  onReply(reply: Buffer): void;
  onDrop(err: DeviceError): void;
}

/**
 * A raw TCP connection to a network printer (port 9100). Connects on first use and again on the
 * first call after a drop; the call that meets the drop fails with `disconnected`. A query that
 * times out closes the connection, because its late reply would otherwise answer the next query.
 */
class TcpPrinterTransport implements PrinterTransport {
  private readonly device: string;
  private readonly connectTimeoutMs: number;
  private socket: net.Socket | null = null;
  private received: Buffer = Buffer.alloc(0);
  private pending: Pending | null = null;
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly opts: TcpPrinterTransportOptions) {
    this.device = `printer tcp://${opts.host}:${opts.port}`;
    this.connectTimeoutMs = opts.connectTimeoutMs ?? 3000;
  }

  write(bytes: Uint8Array): Promise<void> {
    return this.serial(async (socket) => {
      await new Promise<void>((resolve, reject) => {
        const pending: Pending = { socket, replyLength: null, onReply: () => undefined, onDrop: (err) => settle(err) };
        const settle = (err?: DeviceError): void => {
          if (this.pending !== pending) return;
          this.pending = null;
          if (err) reject(err);
          else resolve();
        };
        this.pending = pending;
        socket.write(bytes, (err) => settle(err ? this.writeError(err) : undefined));
      });
    });
  }

  query(bytes: Uint8Array, replyLength: number, timeoutMs: number): Promise<Buffer> {
    return this.serial(
      (socket) =>
        new Promise<Buffer>((resolve, reject) => {
          const timer = setTimeout(() => {
            if (this.pending !== pending) return;
            this.pending = null;
            reject(this.error(DeviceErrorKind.Timeout, `no ${replyLength}-byte reply within ${timeoutMs} ms`));
            this.drop(socket);
          }, timeoutMs);
          const pending: Pending = {
            socket,
            replyLength,
            onReply: (reply) => {
              clearTimeout(timer);
              this.pending = null;
              resolve(reply);
            },
            onDrop: (err) => {
              clearTimeout(timer);
              this.pending = null;
              reject(err);
            },
          };
          // Bytes nobody asked for (a late or unsolicited status) must not pose as this reply.
          this.received = Buffer.alloc(0);
          this.pending = pending;
          socket.write(bytes, (err) => {
            if (err && this.pending === pending) pending.onDrop(this.writeError(err));
          });
        }),
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    const socket = this.socket;
    this.socket = null;
    if (!socket || socket.closed) return;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.destroy();
    });
  }

  /** Runs operations strictly one after another, whatever the previous one's outcome. */
  private serial<T>(op: (socket: net.Socket) => Promise<T>): Promise<T> {
    const run = this.tail.then(async () => {
      if (this.closed) throw this.error(DeviceErrorKind.Disconnected, 'transport closed');
      return op(await this.connected());
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async connected(): Promise<net.Socket> {
    const current = this.socket;
    if (current && !current.destroyed && current.writable) return current;
    this.socket = null;
    const socket = await this.connect();
    this.socket = socket;
    this.received = Buffer.alloc(0);
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 5000);
    socket.on('data', (chunk: Buffer) => {
      if (this.socket !== socket) return;
      this.received = Buffer.concat([this.received, chunk]);
      const pending = this.pending;
      if (pending?.socket === socket && pending.replyLength !== null && this.received.length >= pending.replyLength) {
        const reply = Buffer.from(this.received.subarray(0, pending.replyLength));
        this.received = Buffer.alloc(0);
        pending.onReply(reply);
      }
    });
    // 'close' follows every error and reports the drop; this listener keeps errors from crashing.
    socket.on('error', () => undefined);
    socket.once('end', () => {
      if (this.socket === socket) this.socket = null;
    });
    socket.once('close', () => {
      socket.removeAllListeners();
      if (this.socket === socket) this.socket = null;
      if (this.pending?.socket === socket) this.pending.onDrop(this.error(DeviceErrorKind.Disconnected, 'connection closed'));
    });
    return socket;
  }

  private connect(): Promise<net.Socket> {
    return new Promise<net.Socket>((resolve, reject) => {
      const socket = net.createConnection({ host: this.opts.host, port: this.opts.port });
      // A socket that failed to connect is destroyed and dropped; this keeps a late error quiet.
      socket.on('error', () => undefined);
      const cleanup = (): void => {
        clearTimeout(timer);
        socket.off('connect', onConnect);
        socket.off('error', onError);
      };
      const onConnect = (): void => {
        cleanup();
        resolve(socket);
      };
      const onError = (err: Error): void => {
        cleanup();
        socket.destroy();
        reject(this.error(DeviceErrorKind.Disconnected, `cannot connect: ${err.message}`, err));
      };
      const timer = setTimeout(() => {
        cleanup();
        socket.destroy();
        reject(this.error(DeviceErrorKind.Timeout, `connect timed out after ${this.connectTimeoutMs} ms`));
      }, this.connectTimeoutMs);
      socket.once('connect', onConnect);
      socket.once('error', onError);
    });
  }

  /** Forget the socket at once, so the next operation reconnects instead of meeting it half-closed. */
  private drop(socket: net.Socket): void {
    if (this.socket === socket) this.socket = null;
    socket.destroy();
  }

  private writeError(err: Error): DeviceError {
    return this.error(DeviceErrorKind.Disconnected, `write failed: ${err.message}`, err);
  }

  private error(kind: DeviceErrorKind, message: string, cause?: unknown): DeviceError {
    return new DeviceError(kind, this.device, `${this.device}: ${message}`, cause === undefined ? undefined : { cause });
  }
}

export function createTcpPrinterTransport(opts: TcpPrinterTransportOptions): PrinterTransport {
  return new TcpPrinterTransport(opts);
}
