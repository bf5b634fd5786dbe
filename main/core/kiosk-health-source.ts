import { statfsSync } from 'node:fs';
import type { DeviceState } from '../../common/contract/device-status.js';
import type { PrinterState } from '../../common/contract/kiosk-status.js';
import type { KioskSideHealth } from '../../offline-queue/sync/health-report.js';
import { KIOSK_APP_VERSION } from './app-version.js';

/** A device as the health report needs it: what the technician's diagnostics already hold. */
export interface DeviceHealthInput {
  state: DeviceState;
  /** Failures since start, by kind (the diagnostics' `errorCounts`). */
  errorCounts: Readonly<Record<string, number>>;
}

export interface KioskHealthSourceDeps {
  /** The kiosk's id as the portal last told it (its pull), else the configured one. */
  kioskId: () => string;
  printer: () => { state: PrinterState; errorCounts: Readonly<Record<string, number>> };
  reader: () => DeviceHealthInput;
  scanner: () => DeviceHealthInput;
  /** The kiosk's data folder: its SQLite files live there. */
  dataDir: string;
  appVersion?: string;
}

function total(counts: Readonly<Record<string, number>>): number {
  return Object.values(counts).reduce((sum, n) => sum + (Number.isFinite(n) && n > 0 ? n : 0), 0);
}

/** Free bytes for an unprivileged writer on the file system of `dir`; null when it cannot be read. */
export function freeBytesAt(dir: string): number | null {
  try {
    const fs = statfsSync(dir);
    return fs.bavail * fs.bsize;
  } catch {
    return null;
  }
}

/**
 * The kiosk core's side of its health report, read fresh at each report from what the technician
 * screen already shows (printer monitor, reader and scanner services), plus the version and the
 * disk. The sync engine adds its outbox and clock (offline-queue/sync/health-report.ts).
 */
export function kioskHealthSource(deps: KioskHealthSourceDeps): () => KioskSideHealth {
  return () => {
    const printer = deps.printer();
    const reader = deps.reader();
    const scanner = deps.scanner();
    return {
      kioskId: deps.kioskId(),
      appVersion: deps.appVersion ?? KIOSK_APP_VERSION,
      printer: { state: printer.state, errors: total(printer.errorCounts) },
      reader: { state: reader.state, errors: total(reader.errorCounts) },
      scanner: { state: scanner.state, errors: total(scanner.errorCounts) },
      dataFreeBytes: freeBytesAt(deps.dataDir),
    };
  };
}
