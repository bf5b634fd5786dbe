import {
  MAX_CLOCK_OFFSET_MS,
  MAX_FREE_BYTES,
  MAX_PULL_INTERVAL_MS,
  MAX_REPORTED_COUNT,
  MIN_PULL_INTERVAL_MS,
  type DeviceHealth,
  type KioskHealthReport,
  type PrinterHealth,
} from '../../common/contract/kiosk-health-api.js';

/** What the kiosk core knows for a health report: who it is, its version, its devices, its disk. */
export interface KioskSideHealth {
  kioskId: string;
  appVersion: string;
  printer: PrinterHealth;
  reader: DeviceHealth;
  scanner: DeviceHealth;
  dataFreeBytes: number | null;
}

/** What the sync engine knows for it: its outbox, its clock and how often it reports. */
export interface SyncHealthFacts {
  backlog: number;
  quarantined: number;
  clockOffsetMs: number | null;
  heldClockOffsetMs: number | null;
  /** How often the engine sends a report: the portal calls the kiosk silent after two of these. */
  reportIntervalMs: number;
  /** Kiosk clock now. */
  at: Date;
}

const clamp = (n: number, min: number, max: number): number => Math.min(max, Math.max(min, Math.round(n)));
const count = (n: number): number => clamp(n, 0, MAX_REPORTED_COUNT);
const offset = (n: number | null): number | null => (n === null ? null : clamp(n, -MAX_CLOCK_OFFSET_MS, MAX_CLOCK_OFFSET_MS));

/**
 * The report as the contract bounds it (common/contract/kiosk-health-api.ts). The portal refuses a
 * report out of bounds, so an honest kiosk clamps rather than lose its report: a count beyond the
 * bound is still "very many", and the disk beyond a pebibyte is still "plenty".
 */
export function composeHealthReport(kiosk: KioskSideHealth, sync: SyncHealthFacts): KioskHealthReport {
  const held = offset(sync.heldClockOffsetMs);
  const accepted = offset(sync.clockOffsetMs);
  return {
    kioskId: kiosk.kioskId,
    reportedAt: sync.at.toISOString(),
    appVersion: kiosk.appVersion,
    pullIntervalMs: clamp(sync.reportIntervalMs, MIN_PULL_INTERVAL_MS, MAX_PULL_INTERVAL_MS),
    printer: { state: kiosk.printer.state, errors: count(kiosk.printer.errors) },
    reader: { state: kiosk.reader.state, errors: count(kiosk.reader.errors) },
    scanner: { state: kiosk.scanner.state, errors: count(kiosk.scanner.errors) },
    backlog: count(sync.backlog),
    quarantined: count(sync.quarantined),
    clockOffsetMs: accepted,
    // A hold only exists beside an accepted offset (the contract refuses one alone).
    heldClockOffsetMs: accepted === null ? null : held,
    dataFreeBytes: kiosk.dataFreeBytes === null ? null : clamp(kiosk.dataFreeBytes, 0, MAX_FREE_BYTES),
  };
}
