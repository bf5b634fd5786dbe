import { z } from 'zod';
import { KioskId } from './config-api.js';
import { DeviceState } from './device-status.js';
import { PrinterState } from './kiosk-status.js';
import { RouteAuth, StaffRole, type RouteSpec } from './route-spec.js';

/**
 * Kiosk health (issue 10 §2): with its sync a kiosk reports its devices, outbox, clock, version
 * and disk; the portal keeps the latest report per kiosk and tells the hall's managers which
 * kiosks need someone (green / amber / red, why, last seen). The rules that judge a report are
 * common/domain/kiosk-health.ts.
 *
 * The report has its own route rather than a field on the push: a push is only sent when the
 * outbox holds events, and it is the one exchange whose answers are pinned byte for byte for the
 * kiosks in the field. A kiosk with nothing to push must still be heard, and a portal that predates
 * the route answers 404, which the kiosk takes as "not reported" without failing its sync.
 *
 * Nothing in a report is trusted: every number is bounded, every state a closed enum, the body
 * small; the token decides the hall and the kiosk, and a report naming another kiosk is refused.
 * The portal keeps its own clock for "last seen" and measures the kiosk clock itself.
 */

export const KIOSK_HEALTH_PATH = '/v1/kiosk/health';

/** Bounds of the pull interval a kiosk may report (the kiosk's `sync.pullIntervalMs` has the same). */
export const MIN_PULL_INTERVAL_MS = 1_000;
export const MAX_PULL_INTERVAL_MS = 3_600_000;
/**
 * The largest count a report may carry (outbox backlog, quarantined events, device errors): a
 * hall issues at most 9,999 numbers per service and day, so ten million is years of outage.
 */
export const MAX_REPORTED_COUNT = 10_000_000;
/**
 * The largest clock offset a report may carry or the portal accepts from a kiosk's stamp: a
 * century. A kiosk whose clock battery died (1970, 2000) is honest and must turn red, not be refused.
 */
export const MAX_CLOCK_OFFSET_MS = 100 * 366 * 86_400_000;
/** Free bytes of a kiosk's data folder: a pebibyte is already absurd for a hall terminal. */
export const MAX_FREE_BYTES = 2 ** 50;
/** A report is a few hundred bytes; anything much larger is not a report. */
export const KIOSK_HEALTH_MAX_BYTES = 2_048;

export const AppVersion = z.string().regex(/^[0-9A-Za-z][0-9A-Za-z.+_-]{0,39}$/, 'version like 1.4.2');
const Count = z.number().int().min(0).max(MAX_REPORTED_COUNT);
const ClockOffset = z.number().int().min(-MAX_CLOCK_OFFSET_MS).max(MAX_CLOCK_OFFSET_MS);

/** The receipt printer: its state as the driver reads it (DLE EOT), and failures since start. */
export const PrinterHealth = z.object({ state: z.enum(PrinterState), errors: Count });
export type PrinterHealth = z.infer<typeof PrinterHealth>;

/** The ID card reader or the QR scanner: its state, and failures since start. */
export const DeviceHealth = z.object({ state: z.enum(DeviceState), errors: Count });
export type DeviceHealth = z.infer<typeof DeviceHealth>;

const KioskHealthFields = z.object({
  /** The kiosk the sender believes it is (the identity of its last pull): it must be its token's. */
  kioskId: KioskId,
  /** Kiosk clock when the report was made: the portal measures the kiosk's clock by it. */
  reportedAt: z.iso.datetime(),
  appVersion: AppVersion,
  /** How often the kiosk syncs: it is silent once two of these pass without a report. */
  pullIntervalMs: z.number().int().min(MIN_PULL_INTERVAL_MS).max(MAX_PULL_INTERVAL_MS),
  printer: PrinterHealth,
  reader: DeviceHealth,
  scanner: DeviceHealth,
  /** Outbox events the portal has not acknowledged yet. */
  backlog: Count,
  /** Events the portal refused, kept at the kiosk for its technician. */
  quarantined: Count,
  /** Portal clock minus kiosk clock as the kiosk numbers with it; null before its first sync. */
  clockOffsetMs: ClockOffset.nullable(),
  /** A measured offset held back until a technician confirms it; null: none held. */
  heldClockOffsetMs: ClockOffset.nullable(),
  /** Free bytes of the kiosk's data folder (its SQLite files); null when it could not tell. */
  dataFreeBytes: z.number().int().min(0).max(MAX_FREE_BYTES).nullable(),
});

export const KioskHealthReport = KioskHealthFields.refine((r) => r.heldClockOffsetMs === null || r.clockOffsetMs !== null, {
  message: 'a held clock offset needs an accepted one',
  path: ['heldClockOffsetMs'],
});
export type KioskHealthReport = z.infer<typeof KioskHealthReport>;

export const KioskHealthAck = z.object({ serverTime: z.iso.datetime() });
export type KioskHealthAck = z.infer<typeof KioskHealthAck>;

/** A kiosk's colour on the manager's wall. */
export enum KioskHealthState {
  Green = 'green',
  /** Someone should look soon (paper near its end, a reader unplugged, the clock drifting). */
  Amber = 'amber',
  /** Visitors are affected now, or the portal cannot tell (silent, never seen, printer out). */
  Red = 'red',
}

/** Why a kiosk is not green. */
export enum KioskHealthReason {
  /** Registered, but no report ever arrived. */
  NeverSeen = 'never-seen',
  /** No report for longer than two of its sync intervals. */
  Silent = 'silent',
  PrinterPaperNearEnd = 'printer-paper-near-end',
  PrinterPaperOut = 'printer-paper-out',
  PrinterCoverOpen = 'printer-cover-open',
  PrinterOffline = 'printer-offline',
  PrinterError = 'printer-error',
  /** The kiosk has not been able to read its printer's state yet. */
  PrinterUnknown = 'printer-unknown',
  /** The ID card reader is configured but disconnected or faulty. */
  ReaderDown = 'reader-down',
  /** The serial QR scanner is configured but disconnected or faulty. */
  ScannerDown = 'scanner-down',
  /** The outbox grew since the previous report while the kiosk could still report. */
  BacklogGrowing = 'backlog-growing',
  /** The kiosk's clock is off the portal's beyond the threshold. */
  ClockDrift = 'clock-drift',
  /** The kiosk holds a clock jump back until a technician confirms it. */
  ClockJumpHeld = 'clock-jump-held',
  DiskLow = 'disk-low',
}

export const HealthFinding = z.object({
  reason: z.enum(KioskHealthReason),
  severity: z.enum([KioskHealthState.Amber, KioskHealthState.Red]),
});
export type HealthFinding = z.infer<typeof HealthFinding>;

/** The latest report as the portal stored it, with what the portal measured itself. */
export const StoredKioskHealth = KioskHealthFields.omit({ kioskId: true })
  .extend({
    /** Portal clock when the report arrived. */
    receivedAt: z.iso.datetime(),
    /** Portal clock at arrival minus the kiosk's `reportedAt`: the kiosk clock as the portal sees it. */
    observedClockOffsetMs: z.number().int(),
    /** Reports in a row in which the backlog grew (above the threshold); 0 when it did not. */
    backlogGrowthReports: z.number().int().nonnegative(),
  });
export type StoredKioskHealth = z.infer<typeof StoredKioskHealth>;

export const KioskHealthView = z.object({
  kioskId: KioskId,
  kioskDigit: z.number().int().min(0).max(9),
  state: z.enum(KioskHealthState),
  /** Worst first; empty when green. */
  findings: z.array(HealthFinding),
  /** Portal clock of the last report; null: never seen. */
  lastSeenAt: z.iso.datetime().nullable(),
  /** The kiosk counts as silent once this long passed since `lastSeenAt`; null: never seen. */
  silentAfterMs: z.number().int().positive().nullable(),
  latest: StoredKioskHealth.nullable(),
});
export type KioskHealthView = z.infer<typeof KioskHealthView>;

export const KioskHealthListResponse = z.object({
  kiosks: z.array(KioskHealthView),
  serverTime: z.iso.datetime(),
});
export type KioskHealthListResponse = z.infer<typeof KioskHealthListResponse>;

export const kioskHealthRoutes = {
  reportHealth: {
    method: 'post', path: KIOSK_HEALTH_PATH, auth: RouteAuth.Kiosk,
    summary: "The kiosk's health with its sync: devices, outbox, clock, version, disk", request: KioskHealthReport, response: KioskHealthAck,
  },
  listKioskHealth: {
    method: 'get', path: '/v1/manager/kiosks/health', auth: RouteAuth.Staff, minRole: StaffRole.Manager,
    summary: "Every kiosk of the caller's hall: green, amber or red, why, and when it was last heard", request: null, response: KioskHealthListResponse,
  },
} as const satisfies Record<string, RouteSpec>;
