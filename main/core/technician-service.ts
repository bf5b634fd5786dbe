import { KioskError, KioskErrorCode } from '../../common/contract/errors.js';
import {
  AuditAction,
  AuditOutcome,
  DeviceKind,
  PrintState,
  type AuditEntry,
  type ClockJumpView,
  type Connectivity,
  type Diagnostics,
  type KioskHandlers,
  type PrinterDiagnostics,
  type PrinterState,
  type QuarantinedEventView,
  type ReaderDiagnostics,
  type ReprintCandidate,
  type ScannerDiagnostics,
  type TicketView,
} from '../../common/contract/kiosk-api.js';
import { withoutIdNumbers } from '../../common/domain/masking.js';
import { ClockConfirmRefusal, type ClockConfirmation } from '../../offline-queue/sync/accepted-clock-offset.js';
import type { AlertBoard } from './alert-board.js';
import { describeClockJump } from './clock-jump-text.js';
import type { KioskLog } from './kiosk-log.js';
import type { TechnicianAuth } from './technician-auth.js';

/** A self-test's outcome before it is stamped. */
export interface SelfTestOutcome {
  ok: boolean;
  message: string;
  printerState?: PrinterState | null;
}

/** What the technician screen reads and drives; each part is a small port onto the core. */
export interface TechnicianServiceDeps {
  auth: TechnicianAuth;
  log: KioskLog;
  alerts: AlertBoard;
  kioskId: string;
  now: () => Date;
  reader: { diagnostics(): ReaderDiagnostics; waitForCard(timeoutMs: number): Promise<SelfTestOutcome> };
  scanner: { diagnostics(): ScannerDiagnostics; waitForScan(timeoutMs: number): Promise<SelfTestOutcome> };
  printer: { diagnostics(): PrinterDiagnostics; printTestPage(): Promise<SelfTestOutcome> };
  sync: { connectivity(): Connectivity; quarantined(): QuarantinedEventView[] };
  tickets: { reprintable(): ReprintCandidate[]; reprint(ticketId: string): Promise<TicketView> };
  audit: { recent(limit: number): AuditEntry[] };
  /** The portal clock jump held back from the business day, and its confirmation. */
  clock: { jump(): ClockJumpView | null; confirm(shownOffsetMs: number): ClockConfirmation };
  /** How long a reader or scanner self-test waits for a card or a code. */
  selfTestTimeoutMs: number;
}

export type TechnicianHandlers = Pick<
  KioskHandlers,
  'technicianLogin' | 'technicianLogout' | 'getDiagnostics' | 'runSelfTest' | 'exportLogs' | 'reprintTicket' | 'confirmClockJump'
>;

const AUDIT_SHOWN = 50;
const LOG_LINES_SHOWN = 200;

/**
 * A self-test as the audit log and the kiosk log keep it: the device and whether it passed, and
 * only for a failure the reason (a timeout, a device state). A passing reader test's message
 * names the card read (masked, `1101**********002X`) and a scanner test's the code scanned:
 * the technician sees them once on screen, but the log would keep them for months.
 */
export function selfTestRecord(device: DeviceKind, outcome: Pick<SelfTestOutcome, 'ok' | 'message'>): string {
  if (outcome.ok) return `${device}: passed`;
  return withoutIdNumbers(`${device}: failed: ${outcome.message}`);
}

function stamp(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
}

/**
 * The technician's methods: each checks the session, does its work and writes the audit log
 * (who, what, when, and whether it worked). Diagnostics carry masked data only.
 */
export function createTechnicianHandlers(deps: TechnicianServiceDeps): TechnicianHandlers {
  const { auth } = deps;

  function diagnostics(): Diagnostics {
    return {
      generatedAt: deps.now().toISOString(),
      kioskId: deps.kioskId,
      reader: deps.reader.diagnostics(),
      scanner: deps.scanner.diagnostics(),
      printer: deps.printer.diagnostics(),
      sync: { connectivity: deps.sync.connectivity(), quarantinedEvents: deps.sync.quarantined(), clockJump: deps.clock.jump() },
      alerts: deps.alerts.list(),
      reprintable: deps.tickets.reprintable(),
      audit: deps.audit.recent(AUDIT_SHOWN),
      logs: deps.log.tail(LOG_LINES_SHOWN),
    };
  }

  async function selfTest(device: DeviceKind): Promise<SelfTestOutcome> {
    switch (device) {
      case DeviceKind.Reader:
        return deps.reader.waitForCard(deps.selfTestTimeoutMs);
      case DeviceKind.Scanner:
        return deps.scanner.waitForScan(deps.selfTestTimeoutMs);
      case DeviceKind.Printer:
        return deps.printer.printTestPage();
    }
  }

  return {
    async technicianLogin({ pin }) {
      return auth.login(pin);
    },

    async technicianLogout({ session }) {
      auth.logout(session);
      return {};
    },

    async getDiagnostics({ session }) {
      const actor = auth.authorize(session, AuditAction.ViewDiagnostics);
      auth.audit(actor, AuditAction.ViewDiagnostics, AuditOutcome.Ok, 'diagnostics shown');
      return diagnostics();
    },

    async runSelfTest({ session, device }) {
      const actor = auth.authorize(session, AuditAction.SelfTest);
      let outcome: SelfTestOutcome;
      try {
        outcome = await selfTest(device);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        auth.audit(actor, AuditAction.SelfTest, AuditOutcome.Failed, selfTestRecord(device, { ok: false, message }));
        throw err;
      }
      auth.audit(actor, AuditAction.SelfTest, outcome.ok ? AuditOutcome.Ok : AuditOutcome.Failed, selfTestRecord(device, outcome));
      deps.log.info('technician', `self-test ${selfTestRecord(device, outcome)}`);
      return { device, ok: outcome.ok, message: outcome.message.slice(0, 300), printerState: outcome.printerState ?? null, finishedAt: deps.now().toISOString() };
    },

    async exportLogs({ session }) {
      const actor = auth.authorize(session, AuditAction.ExportLogs);
      const at = deps.now();
      const snapshot = diagnostics();
      const text = [
        `Hall Kiosk ${deps.kioskId} diagnostics export ${at.toISOString()} by ${actor}`,
        '',
        '== diagnostics ==',
        JSON.stringify({ ...snapshot, logs: undefined, audit: undefined }, null, 2),
        '',
        '== audit log (newest first) ==',
        ...deps.audit.recent(1_000).map((a) => `${a.at} ${a.actor} ${a.action} ${a.outcome} ${a.detail}`),
        '',
        '== log ==',
        ...deps.log.all(),
        '',
      ].join('\n');
      const fileName = `hall-kiosk-${deps.kioskId}-${stamp(at)}.log`;
      // What the core did: it handed this file to the screen. Saving it is the shell's part (the
      // browser's downloads; in Electron a fixed folder in userData, see main/electron/log-export.ts).
      auth.audit(actor, AuditAction.ExportLogs, AuditOutcome.Ok, `${fileName}: ${text.length} characters`);
      return { fileName, text };
    },

    async reprintTicket({ session, ticketId }) {
      const actor = auth.authorize(session, AuditAction.Reprint);
      const candidate = deps.tickets.reprintable().find((t) => t.ticketId === ticketId);
      if (!candidate) {
        auth.audit(actor, AuditAction.Reprint, AuditOutcome.Refused, `ticket ${ticketId} is not waiting for a reprint`);
        throw new KioskError(KioskErrorCode.NotFound, 'no such ticket waiting for a reprint');
      }
      const view = await deps.tickets.reprint(ticketId);
      const printed = view.printState === PrintState.Printed;
      auth.audit(actor, AuditAction.Reprint, printed ? AuditOutcome.Ok : AuditOutcome.Failed, `ticket ${candidate.number}: ${view.printState}`);
      deps.log.info('technician', `reprint ${candidate.number}: ${view.printState}`);
      return view;
    },

    async confirmClockJump({ session, measuredOffsetMs }) {
      const actor = auth.authorize(session, AuditAction.ConfirmClock);
      const result = deps.clock.confirm(measuredOffsetMs);
      if (!result.confirmed) {
        const why = result.refusal === ClockConfirmRefusal.NothingHeld ? 'no clock jump is held' : `the held offset moved since ${measuredOffsetMs} ms was shown`;
        auth.audit(actor, AuditAction.ConfirmClock, AuditOutcome.Refused, why);
        throw new KioskError(KioskErrorCode.NotFound, `${why}: refresh and look again`);
      }
      const detail = `portal clock offset ${describeClockJump(result.fromOffsetMs, result.toOffsetMs)} adopted for the business day`;
      auth.audit(actor, AuditAction.ConfirmClock, AuditOutcome.Ok, detail);
      deps.log.warn('technician', detail);
      return { acceptedOffsetMs: result.toOffsetMs };
    },
  };
}
