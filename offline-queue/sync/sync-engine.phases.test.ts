import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectivityState } from '../../common/contract/kiosk-api.js';
import { TicketIssuedPayload } from '../../common/contract/sync-api.js';
import { businessDayOf } from '../../common/domain/business-day.js';
import { NumberSource } from '../../common/domain/ticket-number.js';
import { addDays } from '../../common/domain/business-day.js';
import { openKioskStore, type KioskStore } from '../kiosk-store.js';
import { FakePortal, PortalFault, TEST_CITIZEN_KEY, testAppointment, testCatalog, waitFor } from '../testing/fake-portal.js';
import { makeTempDir } from '../testing/temp-dir.js';
import { ticketInput } from '../testing/ticket-input.js';
import { PortalClient, type PortalClientOptions } from './portal-client.js';
import { SyncEngine, SyncPhase, type SyncEngineOptions, type SyncState } from './sync-engine.js';

const tmp = makeTempDir('sync-phases');
afterAll(() => tmp.remove());

const HOUR = 3_600_000;
let portal: FakePortal;
let baseUrl: string;
let store: KioskStore;
const engines: SyncEngine[] = [];

beforeEach(async () => {
  portal = new FakePortal();
  baseUrl = await portal.listen();
  store = openKioskStore({ path: tmp.file('phases') });
});
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.stop()));
  await portal.close();
  store.close();
});

function engine(
  opts: Partial<SyncEngineOptions> = {},
  clientOpts: Partial<PortalClientOptions> = {},
): { engine: SyncEngine; states: SyncState[]; outcomes: boolean[] } {
  const states: SyncState[] = [];
  const outcomes: boolean[] = [];
  const e = new SyncEngine({
    store,
    client: new PortalClient({ baseUrl, token: portal.token, ...clientOpts }),
    backoff: { baseMs: 5, maxMs: 20 },
    idleIntervalMs: 20,
    bandSize: 10,
    random: () => 1,
    onState: (s) => states.push(s),
    onPortalOutcome: (answered) => outcomes.push(answered),
    ...opts,
  });
  engines.push(e);
  return { engine: e, states, outcomes };
}

const today = (): string => businessDayOf(new Date(), testCatalog.hall.timeZone);
const bandChoice = { source: NumberSource.Band, prefix: 'A', kioskDigit: 7 } as const;

describe('SyncEngine pull phase', () => {
  it('pulls at start, stores cursor, identity, key, catalog and appointments, then sends the cursor back', async () => {
    const appointment = testAppointment();
    portal.putAppointment(appointment);
    const { engine: e } = engine({ phases: [SyncPhase.Push, SyncPhase.Pull], pullIntervalMs: 30 });
    e.start();
    await waitFor(() => portal.pullRequests >= 3, 'three pulls');
    expect(portal.pullCursors[0]).toBeNull();
    expect(portal.pullCursors[1]).toMatch(/^v\d+$/);
    expect(store.syncState()).toMatchObject({ kioskId: 'kiosk-test', kioskDigit: 7, citizenKey: TEST_CITIZEN_KEY });
    expect(store.loadCatalog()).toEqual(testCatalog);
    expect(store.findAppointment(appointment.reference)?.appointmentId).toBe(appointment.appointmentId);
    expect(e.state().lastPullAt).not.toBeNull();
    expect(portal.leaseRequests).toBe(0); // the lease phase is switched off
  });

  it('pulls right after a reconnect instead of waiting for the interval', async () => {
    const { engine: e } = engine({ phases: [SyncPhase.Push, SyncPhase.Pull], pullIntervalMs: 600_000 });
    await e.syncOnce();
    expect(portal.pullRequests).toBe(1);
    store.issueTicket(ticketInput());
    portal.faults.push(PortalFault.Unavailable);
    await e.syncOnce(); // push fails: offline, nothing pulled
    expect(e.state().connectivity).toBe(ConnectivityState.Offline);
    e.start();
    await waitFor(() => store.backlog() === 0 && portal.pullRequests === 2, 'the push and the pull after reconnecting');
    expect(e.state().connectivity).toBe(ConnectivityState.Online);
  });

  it('drops a cursor the portal refuses and pulls everything again', async () => {
    const { engine: e } = engine({ phases: [SyncPhase.Pull] });
    await e.syncOnce();
    portal.pullFaults.push(PortalFault.Reject);
    await e.syncOnce();
    expect(store.syncState().pullCursor).toBeNull();
    expect(e.state().connectivity).toBe(ConnectivityState.Online); // a refusal is an answer
    await e.syncOnce();
    expect(portal.pullCursors).toEqual([null, 'v1', null]);
    expect(store.syncState().pullCursor).toBe('v1');
  });

  it('still gets the catalog from a portal that predates the pull route, and leases nothing from it', async () => {
    portal.legacy = true;
    const { engine: e } = engine();
    await e.syncOnce();
    expect(store.loadCatalog()).toEqual(testCatalog);
    expect(portal.catalogRequests).toBe(1);
    expect(portal.leaseRequests).toBe(0);
    expect(e.state()).toMatchObject({ connectivity: ConnectivityState.Online });
  });
});

describe('SyncEngine lease phase', () => {
  it('keeps at least half a band for today and tomorrow, and refills when a band is half used', async () => {
    const { engine: e } = engine();
    await e.syncOnce();
    const day = today();
    expect(store.bandsRemaining('social-insurance', day)).toBe(10);
    expect(store.bandsRemaining('social-insurance', addDays(day, 1))).toBe(10);
    expect(portal.leaseRequests).toBe(2);
    expect(store.pendingLeases()).toEqual([]);

    for (let i = 0; i < 5; i++) store.issueTicket(ticketInput({ businessDay: day, number: bandChoice }));
    await e.syncOnce();
    expect(portal.leaseRequests).toBe(2); // 5 left of 10: exactly half, no lease yet
    store.issueTicket(ticketInput({ businessDay: day, number: bandChoice }));
    await e.syncOnce();
    expect(portal.leaseRequests).toBe(3);
    expect(store.bandsRemaining('social-insurance', day)).toBe(14);
    expect(store.listBands().filter((b) => b.businessDay === day).map((b) => [b.firstSequence, b.lastSequence])).toEqual([
      [8001, 8010],
      [8011, 8020],
    ]);
  });

  it('reuses the lease id after a lost answer: the portal leases one band, not two', async () => {
    portal.leaseFaults.push(PortalFault.ApplyThenUnavailable);
    const { engine: e } = engine({ phases: [SyncPhase.Pull, SyncPhase.Lease] });
    await e.syncOnce();
    expect(e.state().connectivity).toBe(ConnectivityState.Offline);
    expect(store.pendingLeases()).toHaveLength(1);
    const pending = store.pendingLeases()[0];
    await e.syncOnce();
    expect(portal.leases.size).toBe(2); // today and tomorrow, once each
    expect(portal.leases.get(pending?.leaseId ?? '')?.bandId).toBe(
      store.listBands().find((b) => b.businessDay === pending?.businessDay)?.bandId,
    );
    expect(store.listBands()).toHaveLength(2);
    expect(store.pendingLeases()).toEqual([]);
  });

  it('a refused lease is dropped and asked again (with a new id) only after the next pull', async () => {
    portal.leaseFaults.push(PortalFault.Reject);
    const { engine: e, states } = engine({ phases: [SyncPhase.Pull, SyncPhase.Lease], pullIntervalMs: 600_000 });
    await e.syncOnce();
    expect(portal.leaseRequests).toBe(2); // today refused, tomorrow granted
    expect(store.pendingLeases()).toEqual([]);
    expect(states.some((st) => st.lastError?.includes('409'))).toBe(true);
    expect(e.state().connectivity).toBe(ConnectivityState.Online);
    expect(store.bandsRemaining('social-insurance', today())).toBe(0);

    await e.pull();
    await e.syncOnce();
    expect(portal.leaseRequests).toBe(3);
    expect(store.bandsRemaining('social-insurance', today())).toBe(10);
  });
});

describe('SyncEngine band cap', () => {
  it('stops asking for bands of a service and day once the portal answers 409 band-cap, even after a pull; the series takes over', async () => {
    portal.bandCap = 1;
    const { engine: e, states } = engine({ phases: [SyncPhase.Pull, SyncPhase.Lease], pullIntervalMs: 600_000 });
    await e.syncOnce();
    const day = today();
    expect(portal.leaseRequests).toBe(2); // today and tomorrow: one band each
    for (let i = 0; i < 6; i++) store.issueTicket(ticketInput({ businessDay: day, number: bandChoice }));
    await e.syncOnce();
    expect(portal.leaseRequests).toBe(3); // below half a band: asked, refused with band-cap
    expect(states.some((st) => st.lastError?.includes('band-cap'))).toBe(true);
    expect(e.state().connectivity).toBe(ConnectivityState.Online);
    expect(store.pendingLeases()).toEqual([]);

    // A pull would let an ordinary refusal be asked again; a capped (service, day) stays closed.
    await e.pull();
    await e.syncOnce();
    expect(portal.leaseRequests).toBe(3);
    const numbers = Array.from({ length: 5 }, () => store.issueTicket(ticketInput({ businessDay: day, number: bandChoice })).number);
    expect(numbers).toEqual(['A8007', 'A8008', 'A8009', 'A8010', 'A7-001']);
  });
});

describe('SyncEngine time', () => {
  it('measures the clock offset at every exchange, stores it, and picks the business day with it', async () => {
    // The kiosk clock says 2025-03-10 23:30 in Shanghai; the portal's clock is the real one.
    const kioskMs = Date.parse('2025-03-10T15:30:00.000Z');
    const { engine: e } = engine({ now: () => new Date(kioskMs) }, { wallNow: () => kioskMs });
    await e.syncOnce();
    const expected = Date.now() - kioskMs;
    const offset = e.state().clockOffsetMs ?? 0;
    // Bounded by the round trip; a minute is far more than any loopback exchange.
    expect(Math.abs(offset - expected)).toBeLessThan(60_000);
    // Stored too, rewritten only when it moves by half a second or more.
    expect(Math.abs((store.syncState().clockOffsetMs ?? 0) - offset)).toBeLessThan(500);
    const realToday = today();
    expect(store.listBands().map((b) => b.businessDay).sort()).toEqual([realToday, addDays(realToday, 1)]);
  });

  it('keeps pulling on schedule and pushes in seq order while the kiosk clock jumps back a day and forward by hours', async () => {
    let kioskMs = Date.parse('2025-03-10T02:00:00.000Z');
    const clock = (): Date => new Date(kioskMs);
    store.close();
    store = openKioskStore({ path: tmp.file('jumping'), now: clock });
    const { engine: e } = engine({ now: clock, pullIntervalMs: 30, phases: [SyncPhase.Push, SyncPhase.Pull] }, { wallNow: () => kioskMs });
    e.start();
    const issued: string[] = [];
    for (const jump of [0, -24 * HOUR, 5 * HOUR, -3 * HOUR, 30 * HOUR]) {
      kioskMs += jump;
      issued.push(store.issueTicket(ticketInput()).number);
      const pulls = portal.pullRequests;
      e.kick();
      await waitFor(() => portal.pullRequests >= pulls + 2, 'two more pulls after the clock jumped');
    }
    await waitFor(() => store.backlog() === 0, 'the outbox to drain');
    expect(portal.appliedSeqs).toEqual([1, 2, 3, 4, 5]);
    expect(portal.appliedNumbers).toEqual(issued);
    expect(e.state().connectivity).toBe(ConnectivityState.Online);
  });
});

describe('SyncEngine state', () => {
  it('counts quarantined events and reports whether the portal answered', async () => {
    store.issueTicket(ticketInput());
    store.issueTicket(ticketInput());
    portal.rejectSeqs.add(1);
    const { engine: e, outcomes } = engine({ phases: [SyncPhase.Push] });
    await e.syncOnce();
    expect(e.state().quarantined).toBe(1);
    expect(outcomes).toEqual([true]);

    await portal.close();
    store.issueTicket(ticketInput());
    await e.syncOnce();
    expect(outcomes).toEqual([true, false]);
    expect(e.state().connectivity).toBe(ConnectivityState.Offline);
    // A new engine on the same file starts from what was stored.
    const { engine: again } = engine();
    expect(again.state()).toMatchObject({ quarantined: 1, backlog: 1 });
    portal = new FakePortal();
    await portal.listen(); // afterEach closes it
  });

  it('issues from bands the engine leased: band numbers in the events the portal receives', async () => {
    const { engine: e } = engine();
    await e.syncOnce();
    const day = today();
    for (let i = 0; i < 3; i++) store.issueTicket(ticketInput({ businessDay: day, number: bandChoice }));
    const sources = store.readOutbox(10).map((ev) => TicketIssuedPayload.parse(ev.payload).numberSource);
    expect(sources).toEqual([NumberSource.Band, NumberSource.Band, NumberSource.Band]);
    await e.syncOnce();
    expect(portal.appliedNumbers).toEqual(['A8001', 'A8002', 'A8003']);
  });
});
