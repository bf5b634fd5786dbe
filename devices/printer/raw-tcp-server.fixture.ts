import net from 'node:net';

export interface RawTcpServer {
  port: number;
  /** Every connection accepted so far. */
  sockets: net.Socket[];
  close(): Promise<void>;
}

/** A bare loopback TCP server for transport tests: a printer that misbehaves on purpose. */
export async function startRawTcpServer(onSocket: (socket: net.Socket) => void = () => undefined): Promise<RawTcpServer> {
  const sockets: net.Socket[] = [];
  const server = net.createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
    onSocket(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('server has no address');
  return {
    port: address.port,
    sockets,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}

/** A port nobody listens on: bound, then closed. */
export async function deadPort(): Promise<number> {
  const server = await startRawTcpServer();
  await server.close();
  return server.port;
}
