import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeviceErrorKind } from '../device-error.js';
import { startPtyPair, type PtyPair } from '../testing/pty-pair.js';
import { waitFor } from '../testing/wait-for.js';
import { QrScanner, QrScannerState } from './qr-scanner.js';
import { ScanErrorCode } from './scan-line-parser.js';
import { ScannerSimulator, ScanSuffix } from './simulator/scanner-simulator.js';


describe('QrScanner against the scanner simulator over a real PTY at 9600 baud', () => {
  let dir: string;
  let pty: PtyPair;
  let sim: ScannerSimulator;
  let scanner: QrScanner;
  const codes: string[] = [];

  const nextCode = async (): Promise<string> => {
    const n = codes.length + 1;
    await waitFor(`code #${n}`, () => codes.length >= n);
    return codes[n - 1] ?? '';
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'scanner-test-'));
    pty = await startPtyPair({ a: path.join(dir, 'kiosk'), b: path.join(dir, 'scanner') });
    sim = await ScannerSimulator.open({ path: pty.b, baudRate: 9600 });
    // A generous pause: a loaded CI machine can stall a paced byte stream for tens of ms.
    scanner = new QrScanner({ path: pty.a, baudRate: 9600, interByteTimeoutMs: 300, maxCodeLength: 512, reconnect: { initialDelayMs: 50, maxDelayMs: 200 } });
    scanner.on('code', (c) => codes.push(c));
    scanner.on('error', () => undefined);
    scanner.start();
    await waitFor('scanner ready', () => scanner.health().state === QrScannerState.Ready);
  });

  afterAll(async () => {
    try {
      await scanner.stop();
      await sim.close();
      await pty.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([ScanSuffix.Cr, ScanSuffix.Lf, ScanSuffix.CrLf, ScanSuffix.None])('reads a code sent with suffix %s', async (suffix) => {
    const code = `https://hall.example.gov.cn/a/${suffix}-0194254e-7c00`;
    const next = nextCode();
    await sim.scan(code, suffix);
    expect(await next).toBe(code);
  });

  it('reads codes sent back to back with CRLF as separate codes', async () => {
    const before = codes.length;
    await Promise.all([sim.scan('APPT-001', ScanSuffix.CrLf), sim.scan('APPT-002', ScanSuffix.CrLf)]);
    await waitFor('two codes', () => codes.length >= before + 2);
    expect(codes.slice(before)).toEqual(['APPT-001', 'APPT-002']);
    expect(scanner.health().codesRead).toBe(codes.length);
  });

  it('drops an oversize code with a coded error and reads the next', async () => {
    const errorsBefore = scanner.health().errorsByKind[DeviceErrorKind.BadFrame];
    await sim.scan('X'.repeat(600), ScanSuffix.Cr);
    const next = nextCode();
    await sim.scan('AFTER-OVERSIZE', ScanSuffix.Cr);
    expect(await next).toBe('AFTER-OVERSIZE');
    const health = scanner.health();
    expect(health.errorsByKind[DeviceErrorKind.BadFrame]).toBe(errorsBefore + 1);
    expect(health.errorsByCode[ScanErrorCode.TooLong]).toBe(1);
  });

  it('survives an unplug and reads again after the replug on the same path', async () => {
    await pty.stop();
    await waitFor('disconnected', () => scanner.health().state === QrScannerState.Disconnected);
    pty = await startPtyPair({ a: path.join(dir, 'kiosk'), b: path.join(dir, 'scanner') });
    await sim.attach(pty.b);
    await waitFor('ready again', () => scanner.health().state === QrScannerState.Ready);
    const next = nextCode();
    await sim.scan('AFTER-REPLUG', ScanSuffix.Cr);
    expect(await next).toBe('AFTER-REPLUG');
    expect(scanner.health().errorsByKind[DeviceErrorKind.Disconnected]).toBeGreaterThanOrEqual(1);
  });
});
