import net from 'node:net';

/**
 * The device side of a raw-TCP serial device server, for simulators: listens on a port and hands
 * over each connection as the device's line. One client at a time, like such a box in "TCP
 * server" mode with one connection allowed: a new connection takes the line over (the previous
 * one is closed), so a kiosk that reconnects after a network blip is never locked out by its own
 * half-dead socket.
 */
export class TcpDeviceServer {
  private client: net.Socket | null = null;

  private constructor(
    private readonly server: net.Server,
    /** The port it listens on (the one asked for, or the one the OS chose for 0). */
    readonly port: number,
    readonly host: string,
  ) {}

  static listen(opts: { port: number; host?: string; onClient: (socket: net.Socket) => void }): Promise<TcpDeviceServer> {
    const host = opts.host ?? '127.0.0.1';
    const server = net.createServer({ noDelay: true });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port, host, () => {
        server.off('error', reject);
        const address = server.address();
        const sim = new TcpDeviceServer(server, typeof address === 'object' && address ? address.port : opts.port, host);
        server.on('connection', (socket) => {
          const previous = sim.client;
          sim.client = socket;
          socket.on('error', () => undefined);
          socket.once('close', () => {
            if (sim.client === socket) sim.client = null;
          });
          opts.onClient(socket);
          previous?.destroy();
        });
        resolve(sim);
      });
    });
  }

  /** What a driver opens to reach this device. */
  get path(): string {
    return `tcp://${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.port}`;
  }

  get connected(): boolean {
    return this.client !== null;
  }

  /** Stops listening and drops the client: to the driver, the cable was pulled. */
  async close(): Promise<void> {
    this.client?.destroy();
    this.client = null;
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
