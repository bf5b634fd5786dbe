import net from 'node:net';
import type { SerialPortLike } from './serial-link.js';

/**
 * A serial device reached through a raw-TCP serial device server (Moxa NPort, USR-TCP232 and the
 * like, in "TCP server" mode): the device's serial bytes, unchanged, on a TCP socket. Halls use
 * one for a reader or scanner far from the kiosk PC. The driver opens `tcp://host:port` where it
 * would open `/dev/ttyUSB0`; the line speed is set on the box, so `baudRate` only times replies.
 */
export const TCP_PATH_PREFIX = 'tcp://';

export function isTcpPath(path: string): boolean {
  return path.startsWith(TCP_PATH_PREFIX);
}

export class TcpPathError extends RangeError {
  readonly code = 'tcp-path.invalid';
  constructor(path: string) {
    super(`'${path}' is not tcp://host:port`);
    this.name = 'TcpPathError';
  }
}

/** `tcp://host:port` (IPv6 as `tcp://[::1]:4001`); the port is required, there is no usual one. */
export function parseTcpPath(path: string): { host: string; port: number } {
  let url: URL;
  try {
    url = new URL(path);
  } catch {
    throw new TcpPathError(path);
  }
  const port = Number(url.port);
  const plain = url.pathname === '' || url.pathname === '/';
  if (url.protocol !== 'tcp:' || url.hostname === '' || !Number.isInteger(port) || port < 1 || !plain || url.search || url.username) {
    throw new TcpPathError(path);
  }
  return { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port };
}

/** A connected socket with the two things a serial link needs beyond a stream. */
class TcpSerialPort extends net.Socket implements SerialPortLike {
  get isOpen(): boolean {
    return !this.destroyed && this.readyState === 'open';
  }

  close(callback?: (err: Error | null) => void): void {
    if (this.destroyed) {
      callback?.(null);
      return;
    }
    this.once('close', () => callback?.(null));
    this.destroy();
  }
}

export interface TcpOpenOptions {
  /** A host that does not answer fails the open after this long; default 3000 ms. */
  connectTimeoutMs?: number;
}

/** Connects; rejects when the server refuses, is unreachable, or does not answer in time. */
export function openTcpSerialPort(path: string, opts: TcpOpenOptions = {}): Promise<SerialPortLike> {
  const { host, port } = parseTcpPath(path);
  return new Promise((resolve, reject) => {
    const socket = new TcpSerialPort();
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`${path}: no answer within ${opts.connectTimeoutMs ?? 3000} ms`));
    }, opts.connectTimeoutMs ?? 3000);
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.connect({ host, port }, () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      // Until the link adds its own: an error is always followed by 'close', which it handles.
      socket.on('error', () => undefined);
      // Frames are small and a reply is awaited after each: no Nagle delay on top of the wire time.
      socket.setNoDelay(true);
      // A device server that lost power sends no FIN: keepalive finds it gone.
      socket.setKeepAlive(true, 5_000);
      resolve(socket);
    });
  });
}
