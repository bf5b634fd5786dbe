import { describe, expect, it } from 'vitest';
import { AlertKind, ConnectivityState, DeviceKind, DeviceState, PrinterState, PrintState, type TicketView } from '../../common/contract/kiosk-api.js';
import { NumberSource } from '../../common/domain/ticket-number.js';
import { AlertBoard } from './alert-board.js';
import { KioskAlerts } from './kiosk-alerts.js';

const view = { number: 'A024', printState: PrintState.OnScreenOnly, numberSource: NumberSource.Portal } as TicketView;
const open = (board: AlertBoard) => board.list().filter((a) => a.resolvedAt === null).map((a) => a.kind);

describe('KioskAlerts', () => {
  it('raises printer alerts before issuance and clears them when the printer prints again', () => {
    const board = new AlertBoard(() => new Date('2025-03-04T06:00:00.000Z'));
    const alerts = new KioskAlerts(board);
    alerts.printerState(PrinterState.PaperOut);
    alerts.onScreenTicket(view, PrinterState.PaperOut);
    expect(open(board)).toEqual([AlertKind.OnScreenTicket, AlertKind.PrinterNotReady]);
    expect(board.list()[0]?.message).toBe('ticket A024 issued on screen only: printer paper-out before issuance');
    alerts.printerState(PrinterState.PaperNearEnd);
    expect(open(board)).toEqual([]);
    expect(board.list()).toHaveLength(2);
  });

  it('follows devices, quarantine, lockout and login', () => {
    const board = new AlertBoard(() => new Date('2025-03-04T06:00:00.000Z'));
    const alerts = new KioskAlerts(board);
    const at = '2025-03-04T06:00:00.000Z';
    alerts.deviceStatus({ device: DeviceKind.Reader, state: DeviceState.Disconnected, detail: null, changedAt: at });
    alerts.deviceStatus({ device: DeviceKind.Scanner, state: DeviceState.Fault, detail: 'bad', changedAt: at });
    alerts.connectivity({ state: ConnectivityState.Online, lastSyncAt: null, backlog: 0, clockOffsetMs: null, quarantined: 2 });
    alerts.lockout('2025-03-04T06:05:00.000Z');
    alerts.possiblyPrinted(0);
    alerts.possiblyPrinted(1);
    expect(open(board).sort()).toEqual(
      [AlertKind.DeviceDisconnected, AlertKind.DeviceFault, AlertKind.EventsQuarantined, AlertKind.TechnicianLockout, AlertKind.PossiblyPrinted].sort(),
    );
    alerts.deviceStatus({ device: DeviceKind.Reader, state: DeviceState.Ready, detail: null, changedAt: at });
    alerts.connectivity({ state: ConnectivityState.Online, lastSyncAt: null, backlog: 0, clockOffsetMs: null, quarantined: 0 });
    alerts.loggedIn();
    expect(open(board).sort()).toEqual([AlertKind.DeviceFault, AlertKind.PossiblyPrinted].sort());
  });
});
