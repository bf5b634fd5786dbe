import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DeviceState } from '../../common/contract/device-status.js';
import { PrinterState } from '../../common/contract/kiosk-status.js';
import { makeTempDir } from '../../offline-queue/testing/temp-dir.js';
import { KIOSK_APP_VERSION } from './app-version.js';
import { freeBytesAt, kioskHealthSource } from './kiosk-health-source.js';

const tmp = makeTempDir('health-source');
afterAll(() => tmp.remove());

describe('kioskHealthSource', () => {
  it('reads the devices fresh at each report: their states and their error counts summed', () => {
    let printer = { state: PrinterState.Ready, errorCounts: {} as Record<string, number> };
    let kioskId = 'kiosk-1';
    const source = kioskHealthSource({
      kioskId: () => kioskId,
      printer: () => printer,
      reader: () => ({ state: DeviceState.Fault, errorCounts: { timeout: 2, 'sw3-66': 3 } }),
      scanner: () => ({ state: DeviceState.NotConfigured, errorCounts: {} }),
      dataDir: tmp.dir,
    });
    expect(source()).toMatchObject({
      kioskId: 'kiosk-1',
      appVersion: KIOSK_APP_VERSION,
      printer: { state: PrinterState.Ready, errors: 0 },
      reader: { state: DeviceState.Fault, errors: 5 },
      scanner: { state: DeviceState.NotConfigured, errors: 0 },
    });
    printer = { state: PrinterState.PaperOut, errorCounts: { disconnected: 1, timeout: 0 } };
    kioskId = 'kiosk-7';
    expect(source()).toMatchObject({ kioskId: 'kiosk-7', printer: { state: PrinterState.PaperOut, errors: 1 } });
  });

  it('tells the free space of the data folder’s file system, as df does, and null when it cannot', () => {
    const free = freeBytesAt(tmp.dir);
    // df -B1 --output=avail: the same statfs field (blocks available to an unprivileged writer).
    const df = Number(execFileSync('df', ['-B1', '--output=avail', tmp.dir], { encoding: 'utf8' }).trim().split('\n').at(-1));
    expect(free).not.toBeNull();
    expect(Math.abs((free ?? 0) - df)).toBeLessThan(64 * 1024 ** 2);
    expect(freeBytesAt(path.join(tmp.dir, 'no', 'such', 'folder'))).toBeNull();
  });
});
