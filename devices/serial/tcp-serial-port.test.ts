import { once } from 'node:events';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DeviceErrorKind } from '../device-error.js';
import { waitFor } from '../testing/wait-for.js';
import { SerialLink } from './serial-link.js';
import { TcpDeviceServer } from './tcp-device-server.js';
import { isTcpPath, openTcpSerialPort, parseTcpPath, TcpPathError } from './tcp-serial-port.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function server(port = 0): Promise<{ server: TcpDeviceServer; clients: net.Socket[] }> {
  const clients: net.Socket[] = [];
  const s = await TcpDeviceServer.listen({ port, onClient: (socket) => clients.push(socket) });
  cleanups.push(() => s.close());
  return { server: s, clients };
}

describe('tcp:// paths', () => {
  it('reads host and port, IPv6 in brackets', () => {
    expect(isTcpPath('tcp://10.0.0.7:4001')).toBe(true);
    expect(isTcpPath('/dev/ttyUSB0')).toBe(false);
    expect(parseTcpPath('tcp://10.0.0.7:4001')).toEqual({ host: '10.0.0.7', port: 4001 });
    expect(parseTcpPath('tcp://reader-1.hall.lan:950')).toEqual({ host: 'reader-1.hall.lan', port: 950 });
    expect(parseTcpPath('tcp://[::1]:4001')).toEqual({ host: '::1', port: 4001 });
  });

  it('refuses what is not tcp://host:port', () => {
    for (const bad of ['tcp://10.0.0.7', 'tcp://:4001', 'tcp://h:4001/x', 'tcp://h:0', 'udp://h:4001', 'tcp://u@h:4001', 'tcp:/h:1']) {
      expect(() => parseTcpPath(bad), bad).toThrow(TcpPathError);
    }
  });
});

describe('openTcpSerialPort', () => {
  it('carries bytes both ways and reports its state as a serial port does', async () => {
    const { server: s, clients } = await server();
    const port = await openTcpSerialPort(s.path);
    expect(port.isOpen).toBe(true);
    await waitFor('client accepted', () => clients.length === 1);
    const device = clients[0]!;
    port.write(Buffer.from([0xaa, 0xaa, 0xaa, 0x96, 0x69]));
    const [fromKiosk] = (await once(device, 'data')) as [Buffer];
    expect([...fromKiosk]).toEqual([0xaa, 0xaa, 0xaa, 0x96, 0x69]);
    device.write('HKA-7Q2M9XKD\r');
    const [fromDevice] = (await once(port, 'data')) as [Buffer];
    expect(fromDevice.toString()).toBe('HKA-7Q2M9XKD\r');
    await new Promise<void>((resolve) => port.close(() => resolve()));
    expect(port.isOpen).toBe(false);
  });

  it('rejects when nothing listens', async () => {
    const { server: s } = await server();
    const path = s.path;
    await s.close();
    await expect(openTcpSerialPort(path)).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('SerialLink over tcp://', () => {
  it('opens by default through TCP, sees the device server go, and reconnects when it is back', async () => {
    const first = await server();
    const port = first.server.port;
    const link = new SerialLink({ path: first.server.path, baudRate: 115200, device: 'test', reconnect: { initialDelayMs: 20, maxDelayMs: 50 } });
    cleanups.push(() => link.stop());
    const closes: DeviceErrorKind[] = [];
    link.on('close', (err) => closes.push(err.kind));
    link.start();
    await link.opened();
    await first.server.close();
    await waitFor('link closed', () => closes.length === 1 && !link.isOpen);
    expect(closes).toEqual([DeviceErrorKind.Disconnected]);

    const again = await server(port);
    await waitFor('link reopened', () => link.isOpen && again.clients.length === 1);
    const got = once(again.clients[0]!, 'data') as Promise<[Buffer]>;
    await link.write(Buffer.from('ping'));
    expect((await got)[0].toString()).toBe('ping');
  });

  it('lets a new client take the device server over from an old one', async () => {
    const { server: s, clients } = await server();
    const a = await openTcpSerialPort(s.path);
    cleanups.push(() => new Promise((resolve) => a.close(() => resolve())));
    const aClosed = once(a, 'close');
    await waitFor('first client', () => s.connected && clients.length === 1);
    const b = await openTcpSerialPort(s.path);
    cleanups.push(() => new Promise((resolve) => b.close(() => resolve())));
    await aClosed;
    expect(b.isOpen).toBe(true);
    expect(s.connected).toBe(true);
  });
});
