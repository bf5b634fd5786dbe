import { describe, expect, it } from 'vitest';
import { DeviceState } from '../contract/device-status.js';
import { KioskHealthReason, KioskHealthState, type StoredKioskHealth } from '../contract/kiosk-health-api.js';
import { PrinterState } from '../contract/kiosk-status.js';
import {
  BACKLOG_GROWING_MIN,
  BACKLOG_GROWING_RED_REPORTS,
  CLOCK_DRIFT_AMBER_MS,
  CLOCK_DRIFT_RED_MS,
  DISK_LOW_AMBER_BYTES,
  DISK_LOW_RED_BYTES,
  assessKioskHealth,
  backlogGrowthReports,
  silentAfterMs,
} from './kiosk-health.js';

const RECEIVED = '2025-03-10T02:00:00.000Z';
const at = (ms: number): Date => new Date(Date.parse(RECEIVED) + ms);

function healthy(overrides: Partial<StoredKioskHealth> = {}): StoredKioskHealth {
  return {
    reportedAt: RECEIVED,
    appVersion: '0.1.0',
    pullIntervalMs: 30_000,
    printer: { state: PrinterState.Ready, errors: 0 },
    reader: { state: DeviceState.Ready, errors: 0 },
    scanner: { state: DeviceState.NotConfigured, errors: 0 },
    backlog: 0,
    quarantined: 0,
    clockOffsetMs: 12,
    heldClockOffsetMs: null,
    dataFreeBytes: 20 * 1024 ** 3,
    receivedAt: RECEIVED,
    observedClockOffsetMs: 40,
    backlogGrowthReports: 0,
    ...overrides,
  };
}

const reasons = (h: StoredKioskHealth | null, now = at(1_000)): string[] =>
  assessKioskHealth(h, now).findings.map((f) => `${f.severity}:${f.reason}`);

describe('assessKioskHealth', () => {
  it('a kiosk that reported all well just now is green, with nothing to say', () => {
    expect(assessKioskHealth(healthy(), at(1_000))).toEqual({ state: KioskHealthState.Green, findings: [], silentAfterMs: 60_000 });
  });

  it('a registered kiosk never heard from is red: never seen', () => {
    expect(assessKioskHealth(null, at(0))).toEqual({
      state: KioskHealthState.Red,
      findings: [{ reason: KioskHealthReason.NeverSeen, severity: KioskHealthState.Red }],
      silentAfterMs: null,
    });
  });

  it('turns red as silent only after two of its own pull intervals, and keeps what its last report said', () => {
    const h = healthy({ pullIntervalMs: 10_000, printer: { state: PrinterState.PaperNearEnd, errors: 0 } });
    expect(silentAfterMs(10_000)).toBe(20_000);
    expect(assessKioskHealth(h, at(20_000)).state).toBe(KioskHealthState.Amber);
    expect(reasons(h, at(20_001))).toEqual(['red:silent', 'amber:printer-paper-near-end']);
    // A kiosk syncing every 5 minutes is not silent after a minute.
    expect(assessKioskHealth(healthy({ pullIntervalMs: 300_000 }), at(60_000)).state).toBe(KioskHealthState.Green);
  });

  it('judges the printer: near end amber; out, cover open, offline, error red; unknown amber', () => {
    const printer = (state: PrinterState): string[] => reasons(healthy({ printer: { state, errors: 0 } }));
    expect(printer(PrinterState.Ready)).toEqual([]);
    expect(printer(PrinterState.PaperNearEnd)).toEqual(['amber:printer-paper-near-end']);
    expect(printer(PrinterState.PaperOut)).toEqual(['red:printer-paper-out']);
    expect(printer(PrinterState.CoverOpen)).toEqual(['red:printer-cover-open']);
    expect(printer(PrinterState.Offline)).toEqual(['red:printer-offline']);
    expect(printer(PrinterState.Error)).toEqual(['red:printer-error']);
    expect(printer(PrinterState.Unknown)).toEqual(['amber:printer-unknown']);
    expect(assessKioskHealth(healthy({ printer: { state: PrinterState.PaperOut, errors: 3 } }), at(0)).state).toBe(KioskHealthState.Red);
  });

  it('a reader or scanner that is configured and down is amber; absent or starting is not', () => {
    expect(reasons(healthy({ reader: { state: DeviceState.Disconnected, errors: 4 } }))).toEqual(['amber:reader-down']);
    expect(reasons(healthy({ scanner: { state: DeviceState.Fault, errors: 1 } }))).toEqual(['amber:scanner-down']);
    expect(reasons(healthy({ reader: { state: DeviceState.NotConfigured, errors: 0 }, scanner: { state: DeviceState.Connecting, errors: 0 } }))).toEqual([]);
  });

  it('a growing backlog is amber, and red once it grew BACKLOG_GROWING_RED_REPORTS reports in a row', () => {
    expect(reasons(healthy({ backlog: 40, backlogGrowthReports: 1 }))).toEqual(['amber:backlog-growing']);
    expect(reasons(healthy({ backlog: 90, backlogGrowthReports: BACKLOG_GROWING_RED_REPORTS - 1 }))).toEqual(['amber:backlog-growing']);
    expect(reasons(healthy({ backlog: 120, backlogGrowthReports: BACKLOG_GROWING_RED_REPORTS }))).toEqual(['red:backlog-growing']);
    // A large backlog that is draining is not an alarm: the kiosk is catching up.
    expect(reasons(healthy({ backlog: 5_000, backlogGrowthReports: 0 }))).toEqual([]);
  });

  it('judges the clock by what the portal measured, not by what the kiosk claims', () => {
    expect(reasons(healthy({ observedClockOffsetMs: CLOCK_DRIFT_AMBER_MS }))).toEqual([]);
    expect(reasons(healthy({ observedClockOffsetMs: -(CLOCK_DRIFT_AMBER_MS + 1) }))).toEqual(['amber:clock-drift']);
    expect(reasons(healthy({ observedClockOffsetMs: CLOCK_DRIFT_RED_MS + 1 }))).toEqual(['red:clock-drift']);
    // A kiosk that says its offset is 0 while its stamp is an hour off is still red.
    expect(reasons(healthy({ clockOffsetMs: 0, observedClockOffsetMs: 3_600_000 }))).toEqual(['red:clock-drift']);
    expect(reasons(healthy({ heldClockOffsetMs: 86_400_000 }))).toEqual(['amber:clock-jump-held']);
  });

  it('a filling disk is amber, a nearly full one red', () => {
    expect(reasons(healthy({ dataFreeBytes: DISK_LOW_AMBER_BYTES }))).toEqual([]);
    expect(reasons(healthy({ dataFreeBytes: DISK_LOW_AMBER_BYTES - 1 }))).toEqual(['amber:disk-low']);
    expect(reasons(healthy({ dataFreeBytes: DISK_LOW_RED_BYTES - 1 }))).toEqual(['red:disk-low']);
    expect(reasons(healthy({ dataFreeBytes: null }))).toEqual([]);
  });

  it('lists red findings before amber ones; the worst decides the colour', () => {
    const h = healthy({
      printer: { state: PrinterState.PaperNearEnd, errors: 0 },
      reader: { state: DeviceState.Fault, errors: 2 },
      dataFreeBytes: 1,
    });
    expect(reasons(h)).toEqual(['red:disk-low', 'amber:printer-paper-near-end', 'amber:reader-down']);
    expect(assessKioskHealth(h, at(0)).state).toBe(KioskHealthState.Red);
  });
});

describe('backlogGrowthReports', () => {
  it('counts reports in a row in which the backlog rose above the threshold', () => {
    expect(backlogGrowthReports(null, 500)).toBe(0);
    expect(backlogGrowthReports({ backlog: BACKLOG_GROWING_MIN - 5, growthReports: 0 }, BACKLOG_GROWING_MIN)).toBe(1);
    expect(backlogGrowthReports({ backlog: 30, growthReports: 1 }, 31)).toBe(2);
    // Below the threshold it is ordinary traffic.
    expect(backlogGrowthReports({ backlog: 2, growthReports: 0 }, BACKLOG_GROWING_MIN - 1)).toBe(0);
    // Draining or standing still ends the streak.
    expect(backlogGrowthReports({ backlog: 40, growthReports: 2 }, 39)).toBe(0);
    expect(backlogGrowthReports({ backlog: 40, growthReports: 2 }, 40)).toBe(0);
  });
});
