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
import type { AlertBoard } from './alert-board.js';
import { isPrintable } from '../../devices/printer/escpos-printer.js';

export const ON_SCREEN_TICKET_ALERT = 'on-screen-ticket';
export const PRINTER_NOT_READY_ALERT = 'printer-not-ready';

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

  lockout(until: string): void {
    this.board.raise({ id: 'technician-lockout', kind: AlertKind.TechnicianLockout, severity: AlertSeverity.Critical, device: null, message: `too many wrong technician PINs: locked until ${until}` });
  }

  loggedIn(): void {
    this.board.resolve('technician-lockout');
  }

}
