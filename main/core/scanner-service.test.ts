import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KioskErrorCode } from '../../common/contract/errors.js';
import { DeviceState, ScanSource, type DeviceStatus } from '../../common/contract/kiosk-api.js';
import { DeviceErrorKind } from '../../devices/device-error.js';
import { QrScannerState, type QrScanner, type QrScannerEvents, type QrScannerHealth } from '../../devices/scanner/qr-scanner.js';
import { KioskLog } from './kiosk-log.js';
import { ScannerService } from './scanner-service.js';

class FakeScanner extends EventEmitter<QrScannerEvents> {
  start(): void {}
  async stop(): Promise<void> {}
  health(): QrScannerHealth {
    return {
      state: QrScannerState.Ready,
      device: 'scanner /dev/ttyUSB0',
      codesRead: 4,
      lastCodeAt: '2025-03-04T06:00:00.000Z',
      errorsByKind: { [DeviceErrorKind.Disconnected]: 2, [DeviceErrorKind.Timeout]: 0, [DeviceErrorKind.BadFrame]: 0, [DeviceErrorKind.DeviceError]: 0 },
      errorsByCode: {},
      reconnects: 2,
      lastError: null,
    };
  }
}

describe('ScannerService', () => {
  let fake: FakeScanner;
  let scans: [string, ScanSource][];
  let statuses: DeviceStatus[];
  const service = (configured = true) =>
    new ScannerService({
      config: configured ? { path: '/dev/ttyUSB0', baudRate: 9600, interByteTimeoutMs: 50 } : null,
      now: () => new Date('2025-03-04T06:00:00.000Z'),
      log: new KioskLog({ echo: false }),
      onScan: (code, source) => scans.push([code, source]),
      onStatus: (s) => statuses.push(s),
      createScanner: () => fake as unknown as QrScanner,
    });

  beforeEach(() => {
    vi.useFakeTimers();
    fake = new FakeScanner();
    scans = [];
    statuses = [];
  });
  afterEach(() => vi.useRealTimers());

  it('passes codes on as serial scans and follows the port state', () => {
    service();
    fake.emit('state', QrScannerState.Ready);
    fake.emit('code', 'HKA-7Q2M9XKD');
    fake.emit('state', QrScannerState.Disconnected);
    expect(scans).toEqual([['HKA-7Q2M9XKD', ScanSource.Serial]]);
    expect(statuses.map((s) => s.state)).toEqual([DeviceState.Ready, DeviceState.Disconnected]);
  });

  it('a self-test takes the next code (never echoed) and times out without one', async () => {
    const scanner = service();
    const waiting = scanner.waitForScan(3_000);
    fake.emit('code', 'secret-ish');
    await expect(waiting).resolves.toEqual({ ok: true, message: 'code scanned: 10 characters' });
    expect(scans).toEqual([]);
    const timedOut = scanner.waitForScan(3_000);
    await vi.advanceTimersByTimeAsync(3_000);
    await expect(timedOut).resolves.toMatchObject({ ok: false });
  });

  it('is optional and reports its health', async () => {
    await expect(service(false).waitForScan(1_000)).rejects.toMatchObject({ code: KioskErrorCode.DeviceNotConfigured });
    expect(service(false).diagnostics()).toMatchObject({ configured: false, state: DeviceState.NotConfigured });
    expect(service().diagnostics()).toEqual({
      configured: true,
      state: DeviceState.Connecting,
      port: '/dev/ttyUSB0',
      baudRate: 9600,
      lastScanAt: '2025-03-04T06:00:00.000Z',
      scans: 4,
      errorCounts: { disconnected: 2 },
    });
  });
});
