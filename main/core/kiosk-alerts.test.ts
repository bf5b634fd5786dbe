import { afterAll, describe, expect, it } from 'vitest';
import { AlertKind, AlertSeverity, ConnectivityState, DeviceKind, DeviceState, PrinterState, PrintState, type TicketView } from '../../common/contract/kiosk-api.js';
import { SyncRejectCode } from '../../common/contract/sync-api.js';
import { NumberSource } from '../../common/domain/ticket-number.js';
import { openKioskStore } from '../../offline-queue/kiosk-store.js';
import { PortalClient } from '../../offline-queue/sync/portal-client.js';
import { SyncEngine, SyncPhase } from '../../offline-queue/sync/sync-engine.js';
import { FakePortal } from '../../offline-queue/testing/fake-portal.js';
import { makeTempDir } from '../../offline-queue/testing/temp-dir.js';
import { ticketInput } from '../../offline-queue/testing/ticket-input.js';
import { AlertBoard } from './alert-board.js';
import { KioskAlerts } from './kiosk-alerts.js';

const tmp = makeTempDir('kiosk-alerts');
afterAll(() => tmp.remove());

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

  it("tells the technician the kiosk clock is wrong when the portal refuses tickets for their business day", async () => {
    const portal = new FakePortal();
    const store = openKioskStore({ path: tmp.file('clock-wrong') });
    const board = new AlertBoard(() => new Date('2025-03-10T02:00:00.000Z'));
    const alerts = new KioskAlerts(board);
    const engine = new SyncEngine({
      store,
      client: new PortalClient({ baseUrl: await portal.listen(), token: portal.token }),
      phases: [SyncPhase.Push],
      onState: (st) => alerts.connectivity({ state: st.connectivity, lastSyncAt: st.lastSyncAt, backlog: st.backlog, clockOffsetMs: st.clockOffsetMs, quarantined: st.quarantined }),
      onPushed: (rejected, consumed) => alerts.pushed(rejected, consumed),
    });
    try {
      portal.rejectSeqs.add(2);
      portal.rejectWith = {
        code: SyncRejectCode.WrongBusinessDay,
        reason: 'business day 2024-03-10 is outside 2025-03-09..2025-03-10 of the hall (today 2025-03-10 by the portal clock): is the kiosk clock wrong?',
      };
      for (let i = 0; i < 3; i++) store.issueTicket(ticketInput({ number: { source: NumberSource.KioskSeries, prefix: 'A', kioskDigit: 7 } }));
      expect(await engine.drainOnce()).toBe(3);
      expect(store.quarantined().map((q) => q.code)).toEqual([SyncRejectCode.WrongBusinessDay]);
      const clock = board.list().find((a) => a.kind === AlertKind.KioskClockWrong);
      expect(clock).toMatchObject({ severity: AlertSeverity.Critical, resolvedAt: null });
      expect(clock?.message).toMatch(/^kiosk clock wrong: the portal refused 1 ticket\(s\) for their business day; check the kiosk clock and time zone \(business day 2024-03-10/);
      // The quarantine alert is there too, as for any refusal.
      expect(open(board)).toContain(AlertKind.EventsQuarantined);

      // Another code does not raise it; a push that goes through with the clock put right resolves it.
      portal.rejectSeqs.add(4);
      portal.rejectWith = { code: SyncRejectCode.UnknownService, reason: 'retired service' };
      store.issueTicket(ticketInput({ number: { source: NumberSource.KioskSeries, prefix: 'A', kioskDigit: 7 } }));
      expect(await engine.drainOnce()).toBe(1);
      expect(board.list().find((a) => a.kind === AlertKind.KioskClockWrong)?.resolvedAt).toBeNull();
      store.issueTicket(ticketInput({ number: { source: NumberSource.KioskSeries, prefix: 'A', kioskDigit: 7 } }));
      expect(await engine.drainOnce()).toBe(1);
      expect(open(board)).not.toContain(AlertKind.KioskClockWrong);
    } finally {
      await engine.stop();
      store.close();
      await portal.close();
    }
  });
});
