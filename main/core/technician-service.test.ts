import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KioskError, KioskErrorCode } from '../../common/contract/errors.js';
import {
  AlertKind,
  AlertSeverity,
  AuditAction,
  AuditOutcome,
  ConnectivityState,
  DeviceKind,
  DeviceState,
  Diagnostics,
  PrinterState,
  PrintState,
  type ReprintCandidate,
  type TicketView,
} from '../../common/contract/kiosk-api.js';
import { NumberSource } from '../../common/domain/ticket-number.js';
import { openKioskStore, type KioskStore } from '../../offline-queue/kiosk-store.js';
import { AcceptedClockOffset } from '../../offline-queue/sync/accepted-clock-offset.js';
import { makeTempDir } from '../../offline-queue/testing/temp-dir.js';
import type { TechnicianLedger } from '../../offline-queue/technician-ledger.js';
import { AlertBoard } from './alert-board.js';
import { KioskLog } from './kiosk-log.js';
import { TechnicianAuth } from './technician-auth.js';
import { hashPin } from './technician-pin.js';
import { createTechnicianHandlers, type TechnicianHandlers } from './technician-service.js';

const tmp = makeTempDir('technician-service');
const stores: KioskStore[] = [];
afterAll(() => {
  for (const s of stores) s.close();
  tmp.remove();
});

const PIN = '246810';
const NOW = new Date('2025-03-04T06:00:00.000Z');
const TICKET_ID = '0193a5e8-7f3c-7a4b-9c2d-1e2f3a4b5c6e';

function ticketView(printState: PrintState): TicketView {
  return {
    ticketId: TICKET_ID,
    number: 'A024',
    numberSource: NumberSource.Portal,
    serviceId: 'social-insurance',
    serviceName: { zh: '社会保障', en: 'Social security' },
    issuedAt: NOW.toISOString(),
    peopleAhead: 1,
    peopleAheadApproximate: false,
    issuedOffline: false,
    printState,
    appointmentStart: null,
  };
}

describe('technician handlers', () => {
  let pinHash: string;
  let ledger: TechnicianLedger;
  let handlers: TechnicianHandlers;
  let reprintable: ReprintCandidate[];
  let reprints: string[];
  let log: KioskLog;

  beforeAll(async () => {
    pinHash = await hashPin(PIN, { cost: { N: 1024, r: 8, p: 1 } });
  });

  beforeEach(() => {
    const store = openKioskStore({ path: tmp.file('kiosk') });
    stores.push(store);
    ledger = store.technician;
    log = new KioskLog({ now: () => NOW, echo: false });
    log.warn('printer', 'paper-out before issuing A024 for 11010519491231002X');
    const alerts = new AlertBoard(() => NOW);
    alerts.raise({ id: 'printer-not-ready', kind: AlertKind.PrinterNotReady, severity: AlertSeverity.Critical, device: DeviceKind.Printer, message: 'paper-out; A024 on screen only' });
    reprintable = [{ ticketId: TICKET_ID, number: 'A024', serviceId: 'social-insurance', issuedAt: NOW.toISOString(), printState: PrintState.OnScreenOnly }];
    reprints = [];
    handlers = createTechnicianHandlers({
      auth: new TechnicianAuth({ pinHash, maxFailures: 5, lockoutMs: 300_000, sessionMs: 600_000, ledger, now: () => NOW }),
      log,
      alerts,
      kioskId: 'kiosk-1',
      now: () => NOW,
      reader: {
        diagnostics: () => ({ configured: true, state: DeviceState.Ready, port: '/dev/ttyS1', baudRate: 115200, samId: '05.01-1', lastReadAt: null, cardsRead: 0, errorCounts: {} }),
        waitForCard: async () => ({ ok: true, message: 'card read: mainland 1101**********002X' }),
      },
      scanner: {
        diagnostics: () => ({ configured: false, state: DeviceState.NotConfigured, port: null, baudRate: null, lastScanAt: null, scans: 0, errorCounts: {} }),
        waitForScan: async () => {
          throw new KioskError(KioskErrorCode.DeviceNotConfigured, 'no scanner configured');
        },
      },
      printer: {
        diagnostics: () => ({ state: PrinterState.PaperOut, endpoint: 'tcp://127.0.0.1:9100', checkedAt: NOW.toISOString(), jobsPrinted: 3, errorCounts: { 'device-error': 1 } }),
        printTestPage: async () => ({ ok: false, message: 'printer is paper-out; test page not sent', printerState: PrinterState.PaperOut }),
      },
      sync: {
        connectivity: () => ({ state: ConnectivityState.Online, lastSyncAt: NOW.toISOString(), backlog: 2, clockOffsetMs: 40, quarantined: 0 }),
        quarantined: () => [],
      },
      tickets: {
        reprintable: () => reprintable,
        reprint: async (id) => {
          reprints.push(id);
          return ticketView(PrintState.Printed);
        },
      },
      audit: ledger,
      clock: new AcceptedClockOffset({ store }),
      selfTestTimeoutMs: 1_000,
    });
  });

  async function login(): Promise<string> {
    return (await handlers.technicianLogin({ pin: PIN })).session;
  }

  it('refuses every action without a live session, and audits the refusal', async () => {
    const bogus = 'x'.repeat(43);
    await expect(handlers.getDiagnostics({ session: bogus })).rejects.toMatchObject({ code: KioskErrorCode.SessionExpired });
    await expect(handlers.exportLogs({ session: bogus })).rejects.toMatchObject({ code: KioskErrorCode.SessionExpired });
    await expect(handlers.runSelfTest({ session: bogus, device: DeviceKind.Printer })).rejects.toMatchObject({ code: KioskErrorCode.SessionExpired });
    await expect(handlers.reprintTicket({ session: bogus, ticketId: TICKET_ID })).rejects.toMatchObject({ code: KioskErrorCode.SessionExpired });
    expect(reprints).toEqual([]);
    expect(ledger.recent(10).map((r) => [r.action, r.outcome])).toEqual([
      [AuditAction.Reprint, AuditOutcome.Refused],
      [AuditAction.SelfTest, AuditOutcome.Refused],
      [AuditAction.ExportLogs, AuditOutcome.Refused],
      [AuditAction.ViewDiagnostics, AuditOutcome.Refused],
    ]);
  });

  it('shows every device, sync, alerts, reprints, audit rows and masked logs', async () => {
    const session = await login();
    const diagnostics = Diagnostics.parse(await handlers.getDiagnostics({ session }));
    expect(diagnostics.reader).toMatchObject({ configured: true, samId: '05.01-1' });
    expect(diagnostics.scanner.state).toBe(DeviceState.NotConfigured);
    expect(diagnostics.printer.state).toBe(PrinterState.PaperOut);
    expect(diagnostics.sync.connectivity.backlog).toBe(2);
    expect(diagnostics.alerts.map((a) => a.kind)).toEqual([AlertKind.PrinterNotReady]);
    expect(diagnostics.reprintable.map((r) => r.number)).toEqual(['A024']);
    expect(diagnostics.audit.map((a) => [a.action, a.outcome])).toEqual([
      [AuditAction.ViewDiagnostics, AuditOutcome.Ok],
      [AuditAction.Login, AuditOutcome.Ok],
    ]);
    expect(diagnostics.logs.join('\n')).toContain('1101**********002X');
    expect(diagnostics.logs.join('\n')).not.toContain('11010519491231002X');
  });

  it('runs self-tests and audits their results, failures included', async () => {
    const session = await login();
    await expect(handlers.runSelfTest({ session, device: DeviceKind.Reader })).resolves.toMatchObject({ device: DeviceKind.Reader, ok: true, printerState: null });
    await expect(handlers.runSelfTest({ session, device: DeviceKind.Printer })).resolves.toMatchObject({ ok: false, printerState: PrinterState.PaperOut });
    await expect(handlers.runSelfTest({ session, device: DeviceKind.Scanner })).rejects.toMatchObject({ code: KioskErrorCode.DeviceNotConfigured });
    expect(ledger.recent(3).map((r) => [r.action, r.outcome, r.detail.split(':')[0]])).toEqual([
      [AuditAction.SelfTest, AuditOutcome.Failed, 'scanner'],
      [AuditAction.SelfTest, AuditOutcome.Failed, 'printer'],
      [AuditAction.SelfTest, AuditOutcome.Ok, 'reader'],
    ]);
  });

  it('shows the card read to the technician once, but keeps no masked number in the audit or the log', async () => {
    const session = await login();
    const result = await handlers.runSelfTest({ session, device: DeviceKind.Reader });
    expect(result.message).toBe('card read: mainland 1101**********002X');
    const [audited] = ledger.recent(1);
    expect(audited).toMatchObject({ action: AuditAction.SelfTest, outcome: AuditOutcome.Ok, detail: 'reader: passed' });
    await handlers.runSelfTest({ session, device: DeviceKind.Printer });
    expect(ledger.recent(1)[0]?.detail).toBe('printer: failed: printer is paper-out; test page not sent');
    const kept = JSON.stringify(ledger.recent(100)) + log.all().filter((line) => line.includes('self-test')).join('\n');
    expect(kept).toContain('reader: passed');
    expect(kept).not.toContain('**********');
  });

  it('exports masked logs with diagnostics and audit as a named text file', async () => {
    const session = await login();
    const { fileName, text } = await handlers.exportLogs({ session });
    expect(fileName).toBe('hall-kiosk-kiosk-1-20250304-060000.log');
    expect(text).toContain('== audit log');
    expect(text).toContain('paper-out before issuing A024');
    expect(text).toContain('"samId": "05.01-1"');
    expect(text).not.toContain('11010519491231002X');
    expect(ledger.recent(1)[0]).toMatchObject({ action: AuditAction.ExportLogs, outcome: AuditOutcome.Ok, detail: `${fileName}: ${text.length} characters` });
  });

  it('reprints only tickets waiting for one, and audits both', async () => {
    const session = await login();
    await expect(handlers.reprintTicket({ session, ticketId: TICKET_ID })).resolves.toMatchObject({ number: 'A024', printState: PrintState.Printed });
    expect(reprints).toEqual([TICKET_ID]);
    reprintable = [];
    await expect(handlers.reprintTicket({ session, ticketId: TICKET_ID })).rejects.toMatchObject({ code: KioskErrorCode.NotFound });
    expect(reprints).toHaveLength(1);
    expect(ledger.recent(2).map((r) => [r.action, r.outcome, r.detail])).toEqual([
      [AuditAction.Reprint, AuditOutcome.Refused, `ticket ${TICKET_ID} is not waiting for a reprint`],
      [AuditAction.Reprint, AuditOutcome.Ok, 'ticket A024: printed'],
    ]);
  });
});
