import net from 'node:net';
import { frameResponse, type FramedResponse } from './http-framing.js';

export class UpstreamError extends Error {
  readonly code = 'upstream-failed';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UpstreamError';
  }
}

interface Pending {
  method: string;
  resolve: (response: FramedResponse) => void;
  reject: (err: Error) => void;
}

/**
 * One keep-alive TCP connection from the proxy to the real server, carrying one request at a time.
 * Reconnects lazily after the server closed it, so a client connection maps onto one upstream
 * connection and the proxy does not churn through ephemeral ports.
 */
export class UpstreamLink {
  private socket: net.Socket | null = null;
  private connecting: Promise<net.Socket> | null = null;
  private received: Buffer = Buffer.alloc(0);
  private pending: Pending | null = null;

  constructor(private readonly target: { host: string; port: number }) {}

  /** Sends one whole request and resolves with the whole response. */
  async exchange(request: Buffer, method: string): Promise<FramedResponse> {
    const socket = await this.connected();
    return new Promise<FramedResponse>((resolve, reject) => {
      this.pending = { method, resolve, reject };
      this.received = Buffer.alloc(0);
      socket.write(request);
    });
  }

  /** Sends only the first bytes of a request, then cuts the connection (a reset mid-request). */
  async sendPartialAndCut(request: Buffer, bytes: number): Promise<void> {
    const socket = await this.connected();
    await new Promise<void>((resolve) => socket.write(request.subarray(0, bytes), () => resolve()));
    this.destroy();
  }

  destroy(): void {
    const socket = this.socket;
    this.socket = null;
    this.connecting = null;
    socket?.destroy();
    this.fail(new UpstreamError('upstream link destroyed'));
  }

  private connected(): Promise<net.Socket> {
    if (this.socket && !this.socket.destroyed && this.socket.writable) return Promise.resolve(this.socket);
    this.connecting ??= new Promise<net.Socket>((resolve, reject) => {
      const socket = net.connect(this.target);
      socket.setNoDelay(true);
      socket.once('connect', () => {
        this.socket = socket;
        this.connecting = null;
        resolve(socket);
      });
      socket.on('data', (chunk: Buffer) => this.onData(chunk));
      socket.on('error', (err) => {
        if (this.connecting && this.socket !== socket) {
          this.connecting = null;
          reject(new UpstreamError(`connect to ${this.target.host}:${this.target.port} failed`, { cause: err }));
        }
      });
      socket.once('close', () => this.onClose(socket));
    });
    return this.connecting;
  }

  private onData(chunk: Buffer): void {
    if (!this.pending) return; // nothing asked: an unsolicited byte (never expected from node:http)
    this.received = Buffer.concat([this.received, chunk]);
    this.tryComplete(false);
  }

  private onClose(socket: net.Socket): void {
    if (this.socket === socket) this.socket = null;
    if (this.pending) this.tryComplete(true);
    this.fail(new UpstreamError('upstream closed before the response was complete'));
  }

  private tryComplete(ended: boolean): void {
    const pending = this.pending;
    if (!pending) return;
    let framed: FramedResponse | null;
    try {
      framed = frameResponse(this.received, pending.method, ended);
    } catch (err) {
      this.pending = null;
      this.socket?.destroy();
      pending.reject(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    if (!framed) return;
    this.pending = null;
    this.received = Buffer.alloc(0);
    if (framed.closes) this.destroySocketOnly();
    pending.resolve(framed);
  }

  private destroySocketOnly(): void {
    const socket = this.socket;
    this.socket = null;
    socket?.destroy();
  }

  private fail(err: Error): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = null;
    pending.reject(err);
  }
}
