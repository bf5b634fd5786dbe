import { describe, expect, it } from 'vitest';
import { DeviceError, DeviceErrorKind } from '../device-error.js';
import { deadPort, startRawTcpServer } from './raw-tcp-server.fixture.js';
import { createTcpPrinterTransport } from './tcp-printer-transport.js';

async function rejection(p: Promise<unknown>): Promise<DeviceError> {
  const err = await p.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  );
  if (!(err instanceof DeviceError)) throw err;
  return err;
}

/** Resolves when the server has received at least `n` bytes in total. */
function receivedBytes(chunks: Buffer[], n: number): Promise<Buffer> {
  return new Promise((resolve) => {
    const check = (): void => {
      const all = Buffer.concat(chunks);
      if (all.length >= n) resolve(all);
      else setTimeout(check, 5);
    };
    check();
  });
}

describe('TCP printer transport', () => {
  it('connects lazily and writes bytes in call order', async () => {
    const chunks: Buffer[] = [];
    const server = await startRawTcpServer((s) => s.on('data', (c: Buffer) => chunks.push(c)));
    const transport = createTcpPrinterTransport({ host: '127.0.0.1', port: server.port });
    try {
      expect(server.sockets).toHaveLength(0);
      await Promise.all([transport.write(Buffer.from('one,')), transport.write(Buffer.from('two,')), transport.write(Buffer.from('three'))]);
      expect((await receivedBytes(chunks, 13)).toString()).toBe('one,two,three');
      expect(server.sockets).toHaveLength(1);
    } finally {
      await transport.close();
      await server.close();
    }
  });

  it('pairs each query with its own reply, even when replies arrive split', async () => {
    const server = await startRawTcpServer((s) =>
      s.on('data', (c: Buffer) => {
        // Echo each query's last byte twice, one byte per write.
        const n = c[c.length - 1] ?? 0;
        s.write(Buffer.from([n]));
        setTimeout(() => s.write(Buffer.from([n])), 5);
      }),
    );
    const transport = createTcpPrinterTransport({ host: '127.0.0.1', port: server.port });
    try {
      const replies = await Promise.all([1, 2, 3, 4].map((n) => transport.query(Buffer.from([0x10, 0x04, n]), 2, 2000)));
      expect(replies.map((r) => [...r])).toEqual([[1, 1], [2, 2], [3, 3], [4, 4]]);
    } finally {
      await transport.close();
      await server.close();
    }
  });

  it('times out a query with no reply, then reconnects and does not mistake the late reply', async () => {
    let connections = 0;
    const server = await startRawTcpServer((s) => {
      connections++;
      const mine = connections;
      s.on('data', () => {
        // The first connection answers too late; later ones at once with their number.
        if (mine === 1) setTimeout(() => s.write(Buffer.from([0xee])), 300);
        else s.write(Buffer.from([mine]));
      });
    });
    const transport = createTcpPrinterTransport({ host: '127.0.0.1', port: server.port });
    try {
      const err = await rejection(transport.query(Buffer.from([0x10, 0x04, 0x01]), 1, 100));
      expect(err.kind).toBe(DeviceErrorKind.Timeout);
      const reply = await transport.query(Buffer.from([0x10, 0x04, 0x01]), 1, 2000);
      expect([...reply]).toEqual([2]);
    } finally {
      await transport.close();
      await server.close();
    }
  });

  it('fails a query whose connection drops with disconnected, and reconnects on the next call', async () => {
    let connections = 0;
    const server = await startRawTcpServer((s) => {
      connections++;
      const mine = connections;
      s.on('data', () => {
        if (mine === 1) s.destroy();
        else s.write(Buffer.from([0x12]));
      });
    });
    const transport = createTcpPrinterTransport({ host: '127.0.0.1', port: server.port });
    try {
      const err = await rejection(transport.query(Buffer.from([0x10, 0x04, 0x01]), 1, 5000));
      expect(err.kind).toBe(DeviceErrorKind.Disconnected);
      expect(err.device).toBe(`printer tcp://127.0.0.1:${server.port}`);
      expect([...(await transport.query(Buffer.from([0x10, 0x04, 0x01]), 1, 5000))]).toEqual([0x12]);
      expect(connections).toBe(2);
    } finally {
      await transport.close();
      await server.close();
    }
  });

  it('reports a refused connection as disconnected at once', async () => {
    const transport = createTcpPrinterTransport({ host: '127.0.0.1', port: await deadPort(), connectTimeoutMs: 5000 });
    const err = await rejection(transport.write(Buffer.from('x')));
    expect(err.kind).toBe(DeviceErrorKind.Disconnected);
    await transport.close();
  });

  it('refuses calls after close', async () => {
    const server = await startRawTcpServer();
    const transport = createTcpPrinterTransport({ host: '127.0.0.1', port: server.port });
    try {
      await transport.write(Buffer.from('x'));
      await transport.close();
      const err = await rejection(transport.write(Buffer.from('y')));
      expect(err.kind).toBe(DeviceErrorKind.Disconnected);
    } finally {
      await server.close();
    }
  });
});
