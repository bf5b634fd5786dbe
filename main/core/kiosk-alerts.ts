import {
  AlertKind,
  AlertSeverity,
  DeviceKind,
  DeviceState,
  type Connectivity,
  type DeviceStatus,
  type PrinterState,
  type TicketView,
} from '../../common/contract/kiosk-api.js';
import { SyncRejectCode, type RejectedEvent } from '../../common/contract/sync-api.js';
import type { AlertBoard } from './alert-board.js';
import { describeClockJump } from './clock-jump-text.js';
import { isPrintable } from '../../devices/printer/escpos-printer.js';

export const ON_SCREEN_TICKET_ALERT = 'on-screen-ticket';
export const PRINTER_NOT_READY_ALERT = 'printer-not-ready';
export const KIOSK_CLOCK_WRONG_ALERT = 'kiosk-clock-wrong';

/**
 * Turns what the core observes into technician alerts (shown on the diagnostics screen): a
 * printer that cannot print (and the tickets that went to the screen because of it), a device
 * gone or faulty, events quarantined, receipts possibly printed, the demo PIN, a lockout.
 */
export class KioskAlerts {
  /** The quarantine count last seen: the alert is raised again only when it changes. */
  private lastQuarantined = 0;

  constructor(private readonly board: AlertBoard) {}

  printerState(state: PrinterState): void {
    if (isPrintable(state)) {
      this.board.resolve(PRINTER_NOT_READY_ALERT);
      this.board.resolve(ON_SCREEN_TICKET_ALERT);
      return;
    }
    this.board.raise({
      id: PRINTER_NOT_READY_ALERT,
      kind: AlertKind.PrinterNotReady,
      severity: AlertSeverity.Warning,
      device: DeviceKind.Printer,
      message: `printer is ${state}: tickets are shown on screen only`,
    });
  }

  onScreenTicket(view: TicketView, state: PrinterState): void {
    this.board.raise({
      id: ON_SCREEN_TICKET_ALERT,
      kind: AlertKind.OnScreenTicket,
      severity: AlertSeverity.Critical,
      device: DeviceKind.Printer,
      message: `ticket ${view.number} issued on screen only: printer ${state} before issuance`,
    });
  }

  deviceStatus(status: DeviceStatus): void {
    const disconnected = `device-disconnected:${status.device}`;
    const fault = `device-fault:${status.device}`;
    if (status.state === DeviceState.Disconnected) {
      this.board.raise({ id: disconnected, kind: AlertKind.DeviceDisconnected, severity: AlertSeverity.Warning, device: status.device, message: `${status.device} disconnected${status.detail ? `: ${status.detail}` : ''}` });
    } else if (status.state === DeviceState.Fault) {
      this.board.raise({ id: fault, kind: AlertKind.DeviceFault, severity: AlertSeverity.Critical, device: status.device, message: `${status.device} fault${status.detail ? `: ${status.detail}` : ''}` });
    } else if (status.state === DeviceState.Ready) {
      this.board.resolve(disconnected);
      this.board.resolve(fault);
    }
  }

  connectivity(c: Connectivity): void {
    if (c.quarantined > 0) {
      if (!this.board.isOpen('events-quarantined') || this.lastQuarantined !== c.quarantined) {
        this.board.raise({ id: 'events-quarantined', kind: AlertKind.EventsQuarantined, severity: AlertSeverity.Warning, device: null, message: `${c.quarantined} event(s) refused by the portal and quarantined` });
      }
    } else {
      this.board.resolve('events-quarantined');
    }
    this.lastQuarantined = c.quarantined;
  }

  possiblyPrinted(jobs: number): void {
    if (jobs === 0) return;
    this.board.raise({
      id: 'possibly-printed',
      kind: AlertKind.PossiblyPrinted,
      severity: AlertSeverity.Warning,
      device: DeviceKind.Printer,
      message: `${jobs} receipt(s) may not have come out (the kiosk stopped while sending): reprint from the list if the visitor has none`,
    });
  }

  defaultPin(): void {
    this.board.raise({ id: 'default-pin', kind: AlertKind.DefaultPin, severity: AlertSeverity.Warning, device: null, message: 'the technician PIN is the demo PIN: set technician.pinHash (scripts/hash-pin.ts)' });
  }

  /** The PIN in force is no longer the demo one (the hall manager set one): the alert ends. */
  pinReplaced(): void {
    this.board.resolve('default-pin');
  }

  lockout(until: string): void {
    this.board.raise({ id: 'technician-lockout', kind: AlertKind.TechnicianLockout, severity: AlertSeverity.Critical, device: null, message: `too many wrong technician PINs: locked until ${until}` });
  }

  loggedIn(): void {
    this.board.resolve('technician-lockout');
  }

  /**
   * After every push the portal answered: tickets refused for their business day mean the kiosk's
   * clock (or the business day it takes from it) is wrong, and every ticket it issues is refused
   * the same way until it is put right. Resolved once a pushed ticket is accepted again.
   */
  pushed(rejected: readonly RejectedEvent[], consumed: number): void {
    const wrongDay = rejected.filter((r) => r.code === SyncRejectCode.WrongBusinessDay);
    const first = wrongDay[0];
    if (first) {
      this.board.raise({
        id: KIOSK_CLOCK_WRONG_ALERT,
        kind: AlertKind.KioskClockWrong,
        severity: AlertSeverity.Critical,
        device: null,
        message: `kiosk clock wrong: the portal refused ${wrongDay.length} ticket(s) for their business day; check the kiosk clock and time zone (${first.reason})`,
      });
    } else if (consumed > rejected.length) {
      // Some ticket went in: its business day passed the portal's check.
      this.board.resolve(KIOSK_CLOCK_WRONG_ALERT);
    }
  }

  /** A portal clock jump held back from numbering (null: confirmed, or the clock came back). */
  clockJump(jump: { acceptedOffsetMs: number; measuredOffsetMs: number } | null): void {
    if (jump === null) {
      this.board.resolve('clock-jump');
      return;
    }
    this.board.raise({
      id: 'clock-jump',
      kind: AlertKind.ClockJump,
      severity: AlertSeverity.Critical,
      device: null,
      message: `portal clock offset jumped ${describeClockJump(jump.acceptedOffsetMs, jump.measuredOffsetMs)}: tickets keep the old business day until a technician confirms it (Sync)`,
    });
  }

}
