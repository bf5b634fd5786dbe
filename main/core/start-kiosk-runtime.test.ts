import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HallEventKind } from '../../common/contract/hall-events.js';
import { CheckInOutcome, ConnectivityState, type CheckInResult, type Connectivity, type TicketView } from '../../common/contract/kiosk-api.js';
import { AppointmentStatus } from '../../common/contract/sync-api.js';
import { businessDayOf } from '../../common/domain/business-day.js';
import { NumberSource } from '../../common/domain/ticket-number.js';
import { PrinterSimulator } from '../../devices/printer/simulator/printer-simulator.js';
import { FakePortal, PortalFault, testAppointment, testCatalog, waitFor } from '../../offline-queue/testing/fake-portal.js';
import { makeTempDir } from '../../offline-queue/testing/temp-dir.js';
import { KioskConfigSchema } from './kiosk-config.js';
import { startKioskRuntime } from './start-kiosk-runtime.js';

const tmp = makeTempDir('runtime');
let portal: FakePortal;
let sim: PrinterSimulator;
let runtime: Awaited<ReturnType<typeof startKioskRuntime>>;
const events: { event: string; payload: unknown }[] = [];

beforeAll(async () => {
  portal = new FakePortal();
  const baseUrl = await portal.listen();
  portal.waitingAhead = 2;
  portal.putAppointment(testAppointment({ businessDay: '2020-01-01', reference: 'PAST-000001' }));
  sim = await PrinterSimulator.start({ port: 0 });
  const config = KioskConfigSchema.parse({
    version: 1,
    kioskId: 'kiosk-1',
    kioskDigit: 1,
    dataDir: tmp.dir,
    // The default technician PIN is the demo one: refused outside demo mode.
    demoMode: true,
    portal: { baseUrl, token: portal.token, numberBudgetMs: 200 },
    printer: { host: '127.0.0.1', port: sim.port, pollIntervalMs: 60_000 },
    sync: { bandSize: 10, pullIntervalMs: 60_000 },
  });
  runtime = await startKioskRuntime(config, { purgeIntervalMs: 50 });
  runtime.subscribe((event, payload) => events.push({ event, payload }));
});
afterAll(async () => {
  await runtime?.close();
  await sim?.stop();
  await portal?.close();
  tmp.remove();
});

async function take(): Promise<TicketView> {
  const result = await runtime.dispatch('takeTicket', { serviceId: 'social-insurance', requestId: randomUUID() });
  if (!result.ok) throw new Error(`takeTicket failed: ${result.error.code}`);
  return result.response as TicketView;
}

describe('startKioskRuntime', () => {
  it('pulls at start, leases bands, numbers online, then from the band past the budget, and reports the new status fields', async () => {
    const today = businessDayOf(new Date(), testCatalog.hall.timeZone);
    await waitFor(() => runtime.store.bandsRemaining('social-insurance', today) >= 5, 'the first band lease');
    expect(runtime.store.syncState().kioskDigit).toBe(7);

    const online = await take();
    expect(online).toMatchObject({ number: 'A001', numberSource: NumberSource.Portal, issuedOffline: false, peopleAhead: 2 });

    portal.allocateFaults.push(PortalFault.Hang);
    const offline = await take();
    expect(offline).toMatchObject({ number: 'A8001', numberSource: NumberSource.Band, issuedOffline: true, peopleAheadApproximate: true, peopleAhead: 3 });

    await waitFor(() => runtime.sync.state().backlog === 0 && runtime.sync.state().connectivity === ConnectivityState.Online, 'the push');
    expect(portal.appliedNumbers).toEqual(['A001', 'A8001']);

    const status = await runtime.dispatch('getStatus', {});
    if (!status.ok) throw new Error('getStatus failed');
    const connectivity = (status.response as { connectivity: Connectivity }).connectivity;
    expect(connectivity.state).toBe(ConnectivityState.Online);
    expect(typeof connectivity.clockOffsetMs).toBe('number');
    expect(Math.abs(connectivity.clockOffsetMs ?? Infinity)).toBeLessThan(60_000);
    expect(connectivity.quarantined).toBe(0);
    await waitFor(() => events.some((e) => e.event === 'connectivity'), 'a connectivity event');
  });

  it('follows the live channel: a booking told by the portal is pulled at once (the periodic pull is a minute away) and checked in', async () => {
    await waitFor(() => portal.streamClients() === 1, 'the live channel');
    const today = businessDayOf(new Date(), testCatalog.hall.timeZone);
    const start = new Date(Date.now() + 10 * 60_000).toISOString();
    const end = new Date(Date.now() + 40 * 60_000).toISOString();
    const appointment = testAppointment({ reference: 'HKA1-STREAM1', businessDay: today, windowStart: start, windowEnd: end });
    portal.putAppointment(appointment);
    portal.notifyKiosks(HallEventKind.AppointmentsChanged);
    await waitFor(() => runtime.store.findAppointment('HKA1-STREAM1') !== null, 'the booking at the kiosk', 5_000);

    const result = await runtime.dispatch('checkIn', { requestId: randomUUID(), reference: 'HKA1-STREAM1' });
    if (!result.ok) throw new Error(`checkIn failed: ${result.error.code}`);
    const checkIn = result.response as CheckInResult;
    expect(checkIn.outcome).toBe(CheckInOutcome.Ticket);
    expect(checkIn.ticket?.appointmentStart).toBe(start);
    await waitFor(() => portal.appliedNumbers.includes(checkIn.ticket?.number ?? ''), 'the check-in ticket at the portal');
    expect(runtime.store.findAppointment('HKA1-STREAM1')?.status).toBe(AppointmentStatus.CheckedIn);
  });

  it('runs retention on its timer: an appointment of a past day is gone', async () => {
    await waitFor(() => runtime.store.findAppointment('PAST-000001') === null, 'the purge');
    expect(runtime.store.findAppointment('PAST-000001')).toBeNull();
  });
});
