import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeviceState } from '../../common/contract/device-status.js';
import { KioskHealthReport, MAX_REPORTED_COUNT } from '../../common/contract/kiosk-health-api.js';
import { ConnectivityState, PrinterState } from '../../common/contract/kiosk-status.js';
import { openKioskStore, type KioskStore } from '../kiosk-store.js';
import { FakePortal, PortalFault, waitFor } from '../testing/fake-portal.js';
import { makeTempDir } from '../testing/temp-dir.js';
import { ticketInput } from '../testing/ticket-input.js';
import { composeHealthReport, type KioskSideHealth } from './health-report.js';
import { PortalClient } from './portal-client.js';
import { SyncEngine, SyncPhase, type SyncEngineOptions } from './sync-engine.js';

/**
 * Issue 10 §2, the kiosk's side of its sync: a health report goes with the sync in every round
 * it is due, whether the outbox is empty or the portal will not take it, and a portal that does
 * not know the route (or refuses a report) never stops the sync.
 */

const tmp = makeTempDir('sync-health');
afterAll(() => tmp.remove());

let portal: FakePortal;
let baseUrl: string;
let store: KioskStore;
const engines: SyncEngine[] = [];
/** The engine's monotonic clock, moved by the tests. */
let mono = 0;

const device: KioskSideHealth = {
  kioskId: 'kiosk-test',
  appVersion: '0.1.0',
  printer: { state: PrinterState.Ready, errors: 0 },
  reader: { state: DeviceState.NotConfigured, errors: 0 },
  scanner: { state: DeviceState.NotConfigured, errors: 0 },
  dataFreeBytes: 8 * 1024 ** 3,
};
let side: KioskSideHealth = device;

beforeEach(async () => {
  portal = new FakePortal();
  baseUrl = await portal.listen();
  store = openKioskStore({ path: tmp.file('health') });
  mono = 0;
  side = device;
});
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.stop()));
  await portal.close();
  store.close();
});

/**
 * Counts the reports the engine got an answer to. The test reads it from a timer, after the
 * engine's own continuation has run: a report the portal holds but the engine has not yet seen
 * answered would let the test move the clock under the engine's feet.
 */
class CountingClient extends PortalClient {
  answered = 0;
  override async reportHealth(...args: Parameters<PortalClient['reportHealth']>): ReturnType<PortalClient['reportHealth']> {
    const ack = await super.reportHealth(...args);
    this.answered += 1;
    return ack;
  }
}
let client: CountingClient;

function engine(opts: Partial<SyncEngineOptions> = {}): SyncEngine {
  client = new CountingClient({ baseUrl, token: portal.token });
  const e = new SyncEngine({
    store,
    client,
    backoff: { baseMs: 5, maxMs: 20 },
    idleIntervalMs: 20,
    pullIntervalMs: 5_000,
    bandSize: 10,
    random: () => 1,
    monoNow: () => mono,
    healthSource: () => side,
    ...opts,
  });
  engines.push(e);
  return e;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('the health report of the sync engine', () => {
  it('is sent with an empty outbox at the first round, then again once per pull interval', async () => {
    const e = engine();
    e.start();
    await waitFor(() => client.answered === 1, 'the first report');
    expect(portal.pushRequests).toBe(0);
    expect(portal.healthReports[0]).toMatchObject({ kioskId: 'kiosk-test', backlog: 0, quarantined: 0, pullIntervalMs: 5_000, appVersion: '0.1.0' });

    // Many idle rounds within the interval: no new report.
    mono = 2_000;
    await pause(150);
    expect(portal.healthReports).toHaveLength(1);
    expect(client.answered).toBe(1);
    // One idle round before the interval is over it is due again, so the gap never nears two intervals.
    mono = 5_000 - 20;
    await waitFor(() => client.answered === 2, 'the second report');
    mono = 10_000;
    await waitFor(() => client.answered === 3, 'the third report');
    expect(portal.healthReports).toHaveLength(3);
    expect(portal.healthReports.every((r) => KioskHealthReport.safeParse(r).success)).toBe(true);
  });

  it('carries the outbox and the clock as the engine knows them, and the devices as the core reads them now', async () => {
    portal.clockSkewMs = 90_000;
    store.issueTicket(ticketInput());
    store.issueTicket(ticketInput());
    portal.rejectSeqs.add(1);
    const e = engine();
    await e.syncOnce();
    side = { ...device, printer: { state: PrinterState.PaperOut, errors: 4 }, reader: { state: DeviceState.Disconnected, errors: 2 } };
    store.issueTicket(ticketInput());
    await e.syncOnce();
    const last = portal.healthReports.at(-1);
    expect(last).toMatchObject({
      backlog: 0,
      quarantined: 1,
      printer: { state: PrinterState.PaperOut, errors: 4 },
      reader: { state: DeviceState.Disconnected, errors: 2 },
      heldClockOffsetMs: null,
    });
    expect(Math.abs((last?.clockOffsetMs ?? 0) - 90_000)).toBeLessThan(2_000);
  });

  it('is still sent when the portal answers but will not take the outbox: the backlog shows it', async () => {
    for (let i = 0; i < 3; i++) store.issueTicket(ticketInput());
    for (let i = 0; i < 1_000; i++) portal.faults.push(PortalFault.Reject);
    const e = engine();
    await e.syncOnce();
    expect(portal.healthReports).toHaveLength(1);
    expect(portal.healthReports[0]?.backlog).toBe(3);
    expect(e.state().lastError).toMatch(/refused batch/);

    // The loop retries the push again and again: a report only once per interval all the same.
    e.start();
    const pushes = portal.pushRequests;
    await waitFor(() => portal.pushRequests >= pushes + 5, 'retried pushes');
    expect(client.answered).toBe(1);
    mono = 5_000;
    await waitFor(() => client.answered === 2, 'the next report');
    expect(portal.healthReports[1]?.backlog).toBe(3);
    portal.faults.splice(0);
    await waitFor(() => e.state().backlog === 0, 'the outbox delivered');
  });

  it('does not stop the sync when the portal predates the route (404), and leaves no error behind', async () => {
    portal.legacy = true;
    store.issueTicket(ticketInput());
    const e = engine({ phases: [SyncPhase.Push, SyncPhase.Health] });
    await e.syncOnce();
    expect(e.state()).toMatchObject({ connectivity: ConnectivityState.Online, backlog: 0, lastError: null });
    expect(portal.healthReports).toHaveLength(0);
  });

  it('shows a refused report to the technician, and goes on syncing', async () => {
    portal.healthFaults.push(PortalFault.Reject);
    const e = engine();
    await e.syncOnce();
    expect(e.state().lastError).toMatch(/POST \/v1\/kiosk\/health: HTTP 400 bad-request/);
    expect(portal.pullRequests).toBe(1);
    store.issueTicket(ticketInput());
    await e.syncOnce();
    expect(e.state()).toMatchObject({ backlog: 0, lastError: null });
    expect(portal.healthReports).toHaveLength(1);
  });

  it('sends nothing without a health source (the phase is the core’s to switch on)', async () => {
    const e = engine({ healthSource: undefined });
    await e.syncOnce();
    expect(portal.pullRequests).toBe(1);
    expect(portal.healthReports).toHaveLength(0);
  });
});

describe('composeHealthReport', () => {
  const at = new Date('2025-03-10T02:00:00.000Z');
  const facts = { backlog: 0, quarantined: 0, clockOffsetMs: null, heldClockOffsetMs: null, reportIntervalMs: 30_000, at };

  it('clamps what is beyond the contract instead of losing the report', () => {
    const report = composeHealthReport(
      { ...device, printer: { state: PrinterState.Error, errors: 5e9 }, dataFreeBytes: 2 ** 62 },
      { ...facts, backlog: 2e10, quarantined: -3, clockOffsetMs: 12.6, heldClockOffsetMs: 1e15, reportIntervalMs: 250 },
    );
    expect(KioskHealthReport.parse(report)).toMatchObject({
      printer: { errors: MAX_REPORTED_COUNT },
      backlog: MAX_REPORTED_COUNT,
      quarantined: 0,
      clockOffsetMs: 13,
      pullIntervalMs: 1_000,
      reportedAt: at.toISOString(),
    });
    // A held offset never travels without an accepted one.
    expect(composeHealthReport(device, { ...facts, heldClockOffsetMs: 5 }).heldClockOffsetMs).toBeNull();
  });
});
