import { z } from 'zod';
import { DeviceKind, DeviceState } from './device-status.js';
import { Connectivity, PrinterState, PrintState } from './kiosk-status.js';

/**
 * The technician's side of the kiosk contract: PIN login, diagnostics, self-tests, log export and
 * reprints (docs/architecture.md §7). Every call but login carries the session token it returned.
 */

/** A technician PIN is 6 to 12 digits: a 4-digit PIN falls to a few hundred guesses at a lockout's pace. */
export const PIN_MIN_LENGTH = 6;
export const PIN_MAX_LENGTH = 12;

/**
 * Digits only; a malformed PIN is a bad request and never counts as a failed attempt. That holds
 * for a too-short one too: no configured PIN is shorter, so it can never be a correct guess, and
 * a technician who pressed OK one digit early keeps the attempt.
 */
export const TechnicianPin = z.string().regex(/^\d{6,12}$/, `${PIN_MIN_LENGTH} to ${PIN_MAX_LENGTH} digits`);

export const TechnicianSessionToken = z.string().regex(/^[A-Za-z0-9_-]{32,64}$/, 'session token');

export const TechnicianSession = z.object({
  session: TechnicianSessionToken,
  expiresAt: z.iso.datetime(),
});
export type TechnicianSession = z.infer<typeof TechnicianSession>;

export const SessionRequest = z.object({ session: TechnicianSessionToken }).strict();

export enum AlertKind {
  /** The printer could not print before a ticket was issued. */
  PrinterNotReady = 'printer-not-ready',
  /** A ticket went to the screen only (paper out, cover open...). */
  OnScreenTicket = 'on-screen-ticket',
  /** A receipt may or may not have come out (the kiosk stopped while sending): reprint? */
  PossiblyPrinted = 'possibly-printed',
  DeviceDisconnected = 'device-disconnected',
  DeviceFault = 'device-fault',
  /** The portal refused events; they wait in quarantine with their reasons. */
  EventsQuarantined = 'events-quarantined',
  /** The technician PIN is still the documented demo PIN. */
  DefaultPin = 'default-pin',
  /** Too many wrong PINs: the technician screen is locked for a while. */
  TechnicianLockout = 'technician-lockout',
  /** The portal's clock moved beyond the limit: the business day keeps the old offset until confirmed. */
  ClockJump = 'clock-jump',
  /** The portal refused tickets for their business day (`wrong-business-day`): the kiosk clock or its day is wrong. */
  KioskClockWrong = 'kiosk-clock-wrong',
}

export enum AlertSeverity {
  Warning = 'warning',
  Critical = 'critical',
}

export const KioskAlert = z.object({
  /** Stable per condition: the same condition raised again updates this alert. */
  id: z.string().max(100),
  kind: z.enum(AlertKind),
  severity: z.enum(AlertSeverity),
  device: z.enum(DeviceKind).nullable(),
  message: z.string().max(300),
  raisedAt: z.iso.datetime(),
  lastSeenAt: z.iso.datetime(),
  /** How often the condition was seen while open. */
  count: z.number().int().positive(),
  /** Null while the condition holds. */
  resolvedAt: z.iso.datetime().nullable(),
});
export type KioskAlert = z.infer<typeof KioskAlert>;

const ErrorCounts = z.record(z.string().max(64), z.number().int().nonnegative());

export const ReaderDiagnostics = z.object({
  configured: z.boolean(),
  state: z.enum(DeviceState),
  port: z.string().nullable(),
  baudRate: z.number().int().positive().nullable(),
  samId: z.string().max(64).nullable(),
  lastReadAt: z.iso.datetime().nullable(),
  cardsRead: z.number().int().nonnegative(),
  /** Failures by status or error code since start. */
  errorCounts: ErrorCounts,
});
export type ReaderDiagnostics = z.infer<typeof ReaderDiagnostics>;

export const ScannerDiagnostics = z.object({
  configured: z.boolean(),
  state: z.enum(DeviceState),
  port: z.string().nullable(),
  baudRate: z.number().int().positive().nullable(),
  lastScanAt: z.iso.datetime().nullable(),
  scans: z.number().int().nonnegative(),
  errorCounts: ErrorCounts,
});
export type ScannerDiagnostics = z.infer<typeof ScannerDiagnostics>;

export const PrinterDiagnostics = z.object({
  state: z.enum(PrinterState),
  endpoint: z.string(),
  checkedAt: z.iso.datetime().nullable(),
  jobsPrinted: z.number().int().nonnegative(),
  errorCounts: ErrorCounts,
});
export type PrinterDiagnostics = z.infer<typeof PrinterDiagnostics>;

export const QuarantinedEventView = z.object({
  seq: z.number().int().positive(),
  eventId: z.uuid(),
  code: z.string().max(64),
  reason: z.string().max(500),
  quarantinedAt: z.iso.datetime(),
});
export type QuarantinedEventView = z.infer<typeof QuarantinedEventView>;

/**
 * A measured portal clock offset beyond the limit from the accepted one: held, not used for the
 * business day, until a technician confirms it (confirmClockJump).
 */
export const ClockJumpView = z.object({
  /** Portal clock minus kiosk clock, as numbering uses it. */
  acceptedOffsetMs: z.number().int(),
  /** Portal clock minus kiosk clock, as last measured. */
  measuredOffsetMs: z.number().int(),
});
export type ClockJumpView = z.infer<typeof ClockJumpView>;

export const SyncDiagnostics = z.object({
  connectivity: Connectivity,
  quarantinedEvents: z.array(QuarantinedEventView),
  clockJump: ClockJumpView.nullable().default(null),
});

/** A ticket whose receipt the technician may print again. */
export const ReprintCandidate = z.object({
  ticketId: z.uuid(),
  number: z.string(),
  serviceId: z.string(),
  issuedAt: z.iso.datetime(),
  printState: z.enum(PrintState),
});
export type ReprintCandidate = z.infer<typeof ReprintCandidate>;

export enum AuditAction {
  Login = 'login',
  Logout = 'logout',
  ViewDiagnostics = 'view-diagnostics',
  SelfTest = 'self-test',
  ExportLogs = 'export-logs',
  Reprint = 'reprint',
  ConfirmClock = 'confirm-clock',
}

export enum AuditOutcome {
  Ok = 'ok',
  Failed = 'failed',
  /** Refused without checking: locked out, or the session had expired. */
  Refused = 'refused',
}

export const AuditEntry = z.object({
  id: z.number().int().positive(),
  at: z.iso.datetime(),
  /** Who: the role and a short, non-reversible id of the session (`technician#3fa2c1`). */
  actor: z.string().max(64),
  action: z.enum(AuditAction),
  outcome: z.enum(AuditOutcome),
  detail: z.string().max(300),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const Diagnostics = z.object({
  generatedAt: z.iso.datetime(),
  kioskId: z.string(),
  reader: ReaderDiagnostics,
  scanner: ScannerDiagnostics,
  printer: PrinterDiagnostics,
  sync: SyncDiagnostics,
  /** Open alerts first, then recently resolved ones. */
  alerts: z.array(KioskAlert),
  reprintable: z.array(ReprintCandidate),
  /** Newest first. */
  audit: z.array(AuditEntry),
  /** Recent log lines, oldest first, already masked. */
  logs: z.array(z.string().max(2_000)),
});
export type Diagnostics = z.infer<typeof Diagnostics>;

export const SelfTestRequest = z.object({ session: TechnicianSessionToken, device: z.enum(DeviceKind) }).strict();

export const SelfTestResult = z.object({
  device: z.enum(DeviceKind),
  ok: z.boolean(),
  /** What happened, for the technician (a card's masked number, the code scanned, the printer state). */
  message: z.string().max(300),
  printerState: z.enum(PrinterState).nullable(),
  finishedAt: z.iso.datetime(),
});
export type SelfTestResult = z.infer<typeof SelfTestResult>;

export const ExportedLogs = z.object({
  fileName: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/),
  /** Plain text, masked: no raw ID number or full name ever appears in it. */
  text: z.string().max(5_000_000),
});
export type ExportedLogs = z.infer<typeof ExportedLogs>;

export const ReprintRequest = z.object({ session: TechnicianSessionToken, ticketId: z.uuid() }).strict();

/** The measured offset the technician saw: a jump that moved on since is not confirmed blindly. */
export const ConfirmClockJumpRequest = z.object({ session: TechnicianSessionToken, measuredOffsetMs: z.number().int() }).strict();
export const ConfirmClockJumpResult = z.object({ acceptedOffsetMs: z.number().int() });
export type ConfirmClockJumpResult = z.infer<typeof ConfirmClockJumpResult>;
