import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSimTransport, DeviceSimulators, hasSocat, SimTransport } from './device-simulators.js';
import { IdCardReader, IdCardReaderState } from './id-card/id-card-reader.js';
import type { IdCardData } from './id-card/id-card-text.js';
import { SampleCardName } from './id-card/simulator/sample-cards.js';
import { QrScanner, QrScannerState } from './scanner/qr-scanner.js';
import { wireTimeMs } from './serial/baud-pacer.js';
import { SimDevice } from './simulator-control.js';
import { waitFor } from './testing/wait-for.js';

describe('choosing the transport', () => {
  it('takes PTYs only where socat is on the PATH', () => {
    expect(hasSocat({ PATH: '/nonexistent:/also-not-there' })).toBe(false);
    expect(defaultSimTransport({ PATH: '' })).toBe(SimTransport.Tcp);
    expect(defaultSimTransport({ PATH: `/nonexistent${path.delimiter}${process.env.PATH ?? ''}` })).toBe(hasSocat() ? SimTransport.Pty : SimTransport.Tcp);
  });
});

/** The reader and the scanner behind raw-TCP serial device servers, read by the real drivers. */
describe('DeviceSimulators over TCP (no socat needed)', () => {
  let dir: string;
  let sims: DeviceSimulators;
  let reader: IdCardReader;
  let scanner: QrScanner;
  const cards: IdCardData[] = [];
  const codes: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'device-sims-tcp-'));
    sims = await DeviceSimulators.start({ dir, transport: SimTransport.Tcp, printerTcpPort: 0 });
    const paths = sims.paths();
    reader = new IdCardReader({ path: paths.idReader, pollIntervalMs: 5, commandTimeoutMs: 300, today: () => '2025-06-01', reconnect: { initialDelayMs: 20, maxDelayMs: 100 } });
    reader.on('card', (card) => cards.push(card));
    reader.on('error', () => undefined);
    scanner = new QrScanner({ path: paths.scanner, interByteTimeoutMs: 300, reconnect: { initialDelayMs: 20, maxDelayMs: 100 } });
    scanner.on('code', (code) => codes.push(code));
    reader.start();
    scanner.start();
  });

  afterAll(async () => {
    await reader.stop();
    await scanner.stop();
    await sims.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives the drivers tcp:// paths and creates no PTY links', () => {
    const paths = sims.paths();
    expect(sims.transport).toBe(SimTransport.Tcp);
    expect(paths.idReader).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    expect(paths.scanner).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    expect(paths.scanner).not.toBe(paths.idReader);
    expect(sims.status()).toMatchObject({ transport: 'tcp', reader: { plugged: true }, scanner: { plugged: true } });
  });

  it('reads a placed card, no sooner than the bytes take at 115200 baud', async () => {
    await waitFor('reader ready', () => reader.health().state === IdCardReaderState.Ready);
    const t0 = performance.now();
    await sims.apply({ kind: 'place-card', card: SampleCardName.RareName, pullAwayAfterBytes: null });
    await waitFor('card read', () => cards.length === 1);
    const elapsed = performance.now() - t0;
    expect(cards[0]?.name).toBe('䶮华');
    // The find, select and read exchange: about 1.4 KB, some 120 ms on the wire.
    const floor = wireTimeMs(sims.reader.stats.lastReadExchangeBytes, 115200);
    expect(floor).toBeGreaterThan(100);
    expect(elapsed).toBeGreaterThanOrEqual(floor - 1);
  });

  it('scans a code, paced at 9600 baud', async () => {
    await waitFor('scanner ready', () => scanner.health().state === QrScannerState.Ready);
    const t0 = performance.now();
    await sims.apply({ kind: 'scan', code: 'HKA-7Q2M9XKD' });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(wireTimeMs('HKA-7Q2M9XKD\r'.length, 9600) - 1);
    await waitFor('code read', () => codes.length === 1);
    expect(codes).toEqual(['HKA-7Q2M9XKD']);
  });

  it('unplug takes the device server away; plug brings it back on the same path', async () => {
    const before = sims.paths().idReader;
    await sims.apply({ kind: 'unplug', device: SimDevice.Reader });
    await waitFor('reader disconnected', () => reader.health().state === IdCardReaderState.Disconnected);
    expect(sims.status()).toMatchObject({ reader: { plugged: false, connected: false } });
    await expect(sims.apply({ kind: 'scan', code: 'still-here' })).resolves.toEqual({ code: 'still-here' });

    await sims.apply({ kind: 'plug', device: SimDevice.Reader });
    expect(sims.paths().idReader).toBe(before);
    await waitFor('reader back', () => reader.health().state === IdCardReaderState.Ready || reader.health().state === IdCardReaderState.CardPresent);
    await sims.apply({ kind: 'remove-card' });
    await sims.apply({ kind: 'place-card', card: SampleCardName.Elderly, pullAwayAfterBytes: null });
    await waitFor('second card read', () => cards.length === 2);
  });

  it('refuses a serial printer without PTYs', async () => {
    await expect(DeviceSimulators.start({ dir, transport: SimTransport.Tcp, printerTcpPort: null, serialPrinter: true })).rejects.toThrow(/PTY/);
  });
});
