import { DeviceState } from '../contract/device-status.js';
import {
  KioskHealthReason,
  KioskHealthState,
  type HealthFinding,
  type StoredKioskHealth,
} from '../contract/kiosk-health-api.js';
import { PrinterState } from '../contract/kiosk-status.js';

/**
 * The health rules of issue 10 §2: how the portal judges a kiosk from its latest report and the
 * time since it arrived. Pure; every threshold lives here once.
 */

/** A kiosk is silent once this many of its sync (pull) intervals pass without a report. */
export const SILENT_AFTER_INTERVALS = 2;
/** The backlog counts as growing only from this many events up: a busy kiosk always has a few in flight. */
export const BACKLOG_GROWING_MIN = 20;
/** Reports in a row with a growing backlog that turn the kiosk red: its sync is stuck, not slow. */
export const BACKLOG_GROWING_RED_REPORTS = 3;
/** Kiosk clock off the portal's by more than this: amber (receipts and the screen show a wrong time). */
export const CLOCK_DRIFT_AMBER_MS = 60_000;
/** … by more than this: red (as far off as the jump a kiosk holds for its technician by default). */
export const CLOCK_DRIFT_RED_MS = 5 * 60_000;
/** Free space of the kiosk's data folder below this: amber. */
export const DISK_LOW_AMBER_BYTES = 1024 ** 3;
/** … below this: red (SQLite soon cannot commit a ticket). */
export const DISK_LOW_RED_BYTES = 100 * 1024 ** 2;

const { Amber, Red } = KioskHealthState;

const PRINTER_FINDINGS: Readonly<Record<PrinterState, HealthFinding | null>> = {
  [PrinterState.Ready]: null,
  [PrinterState.PaperNearEnd]: { reason: KioskHealthReason.PrinterPaperNearEnd, severity: Amber },
  [PrinterState.PaperOut]: { reason: KioskHealthReason.PrinterPaperOut, severity: Red },
  [PrinterState.CoverOpen]: { reason: KioskHealthReason.PrinterCoverOpen, severity: Red },
  [PrinterState.Offline]: { reason: KioskHealthReason.PrinterOffline, severity: Red },
  [PrinterState.Error]: { reason: KioskHealthReason.PrinterError, severity: Red },
  [PrinterState.Unknown]: { reason: KioskHealthReason.PrinterUnknown, severity: Amber },
};

/** A reader or scanner that is configured and cannot be used; not configured, starting or ready is fine. */
function deviceDown(state: DeviceState): boolean {
  return state === DeviceState.Disconnected || state === DeviceState.Fault;
}

/** How long after its last report a kiosk that syncs every `pullIntervalMs` counts as silent. */
export function silentAfterMs(pullIntervalMs: number): number {
  return SILENT_AFTER_INTERVALS * pullIntervalMs;
}

/**
 * Reports in a row in which the backlog grew, after a report of `backlog` events: one more than
 * before when it rose above BACKLOG_GROWING_MIN since the previous report, otherwise 0 (it fell,
 * stayed, or is small). The first report of a kiosk has nothing to compare with.
 */
export function backlogGrowthReports(previous: { backlog: number; growthReports: number } | null, backlog: number): number {
  if (previous === null) return 0;
  return backlog >= BACKLOG_GROWING_MIN && backlog > previous.backlog ? previous.growthReports + 1 : 0;
}

/** What the latest report says, silence aside. */
function reportFindings(health: StoredKioskHealth): HealthFinding[] {
  const findings: HealthFinding[] = [];
  const printer = PRINTER_FINDINGS[health.printer.state];
  if (printer) findings.push(printer);
  if (deviceDown(health.reader.state)) findings.push({ reason: KioskHealthReason.ReaderDown, severity: Amber });
  if (deviceDown(health.scanner.state)) findings.push({ reason: KioskHealthReason.ScannerDown, severity: Amber });
  if (health.backlogGrowthReports > 0) {
    const severity = health.backlogGrowthReports >= BACKLOG_GROWING_RED_REPORTS ? Red : Amber;
    findings.push({ reason: KioskHealthReason.BacklogGrowing, severity });
  }
  // The clock as the portal measured it on arrival, not as the kiosk says it is.
  const drift = Math.abs(health.observedClockOffsetMs);
  if (drift > CLOCK_DRIFT_AMBER_MS) findings.push({ reason: KioskHealthReason.ClockDrift, severity: drift > CLOCK_DRIFT_RED_MS ? Red : Amber });
  if (health.heldClockOffsetMs !== null) findings.push({ reason: KioskHealthReason.ClockJumpHeld, severity: Amber });
  if (health.dataFreeBytes !== null && health.dataFreeBytes < DISK_LOW_AMBER_BYTES) {
    findings.push({ reason: KioskHealthReason.DiskLow, severity: health.dataFreeBytes < DISK_LOW_RED_BYTES ? Red : Amber });
  }
  return findings;
}

export interface KioskHealthAssessment {
  state: KioskHealthState;
  /** Red first, then amber, each in the order the rules check them. */
  findings: HealthFinding[];
  /** Null: never seen. */
  silentAfterMs: number | null;
}

/**
 * A kiosk's colour at `now` (portal clock) from its latest report (null: never reported). Silence
 * is judged against the interval the kiosk reported; a silent kiosk keeps the findings of its last
 * report beside `silent`, since that is the last the hall knows of it.
 */
export function assessKioskHealth(latest: StoredKioskHealth | null, now: Date): KioskHealthAssessment {
  if (latest === null) {
    return { state: Red, findings: [{ reason: KioskHealthReason.NeverSeen, severity: Red }], silentAfterMs: null };
  }
  const silentAfter = silentAfterMs(latest.pullIntervalMs);
  const findings = reportFindings(latest);
  if (now.getTime() - Date.parse(latest.receivedAt) > silentAfter) findings.unshift({ reason: KioskHealthReason.Silent, severity: Red });
  const ordered = [...findings.filter((f) => f.severity === Red), ...findings.filter((f) => f.severity === Amber)];
  const state = ordered.length === 0 ? KioskHealthState.Green : (ordered[0]?.severity ?? KioskHealthState.Green);
  return { state, findings: ordered, silentAfterMs: silentAfter };
}
