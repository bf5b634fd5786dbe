import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KioskErrorCode } from '../../common/contract/errors.js';
import { VisitorClearReason } from '../../common/contract/kiosk-api.js';
import { RatingLevel } from '../../common/contract/ratings-api.js';
import { SyncEventType, SyncRejectCode, type RateableTicket } from '../../common/contract/sync-api.js';
import { PrinterSimulator } from '../../devices/printer/simulator/printer-simulator.js';
import { FakePortal, PortalFault, waitFor } from '../../offline-queue/testing/fake-portal.js';
import { makeTempDir } from '../../offline-queue/testing/temp-dir.js';
import { PortalClient } from '../../offline-queue/sync/portal-client.js';
import { SyncEngine } from '../../offline-queue/sync/sync-engine.js';
import { AlertBoard } from './alert-board.js';
import { toConnectivity } from './connectivity-publisher.js';
import { KioskAlerts } from './kiosk-alerts.js';
import { PortalReachability } from './portal-reachability.js';
import { RatingFlow } from './rating-flow.js';
import { JOURNEY_DAY, hmacOfCard, journeyKiosk, type JourneyKiosk } from './testing/journey-harness.js';
import { sampleCard } from './testing/sample-card.js';

const tmp = makeTempDir('rating');
const CARD = sampleCard({ name: '张三丰', idNumber: '110101199003071230', birthDate: '1990-03-07' });
const HMAC = hmacOfCard(CARD.idNumber);
const SERVED: RateableTicket = {
  ticketId: '0195f0a2-7c3e-7d2a-8f10-000000000001',
  number: 'A017',
  serviceId: 'social-insurance',
  businessDay: JOURNEY_DAY,
  counterNumber: 3,
  finishedAt: '2025-03-10T01:05:00.000Z',
};

let sim: PrinterSimulator;
let portal: FakePortal;
let baseUrl: string;
let kiosk: JourneyKiosk;
let flow: RatingFlow;
let queued: number;
let reachability: PortalReachability;

beforeAll(async () => {
  sim = await PrinterSimulator.start({ port: 0 });
});
afterAll(async () => {
  await sim.stop();
  tmp.remove();
});
beforeEach(async () => {
  portal = new FakePortal();
  baseUrl = await portal.listen();
  kiosk = journeyKiosk({ file: tmp.file('kiosk'), sim });
  queued = 0;
  reachability = new PortalReachability({ baseMs: 1 });
  flow = new RatingFlow({
    store: kiosk.store,
    client: new PortalClient({ baseUrl, token: portal.token }),
    budgetMs: 2_000,
    reachability,
    visitorHmac: () => (kiosk.session.current() ? HMAC : null),
    visitorPresent: () => kiosk.session.current() !== null,
    today: () => JOURNEY_DAY,
    hallNow: kiosk.hallNow,
    now: kiosk.now,
    onQueued: () => {
      queued += 1;
    },
  });
});
afterEach(async () => {
  await kiosk.close();
  await portal.close();
});

const rating = (ticketId: string, ratingId = randomUUID()) => ({
  ratingId,
  ticketId,
  overall: RatingLevel.Dissatisfied,
  efficiency: RatingLevel.Satisfied,
  expertise: RatingLevel.BasicallySatisfied,
  attitude: RatingLevel.VeryDissatisfied,
  comment: '等了很久',
});

async function portalDown(): Promise<void> {
  await portal.close();
  // Let the reachability window (1 ms) pass between the failures.
  await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('RatingFlow.find', () => {
  it('by card: the served tickets the portal lists for the HMAC; offline: none, and says so', async () => {
    portal.rateable.set(HMAC, [SERVED]);
    kiosk.session.identify(sampleCard(CARD));
    expect(await flow.find({})).toEqual({ tickets: [SERVED], offline: false });
    await portalDown();
    expect(await flow.find({})).toEqual({ tickets: [], offline: true });
    kiosk.session.end(VisitorClearReason.Ended);
    await expect(flow.find({})).rejects.toMatchObject({ code: KioskErrorCode.BadRequest });
  });

  it('by a scanned ticket QR: the portal decides online; offline the ticket is still offered, as far as the kiosk knows it', async () => {
    portal.rateable.set(SERVED.ticketId, [SERVED]);
    expect(await flow.find({ ticketId: SERVED.ticketId, number: SERVED.number })).toEqual({ tickets: [SERVED], offline: false });
    // Not served (the portal lists nothing): nothing to rate.
    expect(await flow.find({ ticketId: randomUUID(), number: 'A018' })).toEqual({ tickets: [], offline: false });
    await portalDown();
    const offline = await flow.find({ ticketId: SERVED.ticketId, number: SERVED.number });
    expect(offline).toMatchObject({ offline: true, tickets: [{ ticketId: SERVED.ticketId, number: 'A017', serviceId: 'social-insurance', businessDay: JOURNEY_DAY, counterNumber: null }] });
  });

  it('offline, a ticket this kiosk issued is found by its number alone; a number it does not know offers nothing', async () => {
    const ticket = await kiosk.issuer.takeTicket({ serviceId: 'housing-fund', requestId: randomUUID() });
    await portalDown();
    expect((await flow.find({ number: ticket.number })).tickets).toMatchObject([{ ticketId: ticket.ticketId, serviceId: 'housing-fund' }]);
    expect(await flow.find({ number: 'A999' })).toEqual({ tickets: [], offline: false });
  });
});

describe('RatingFlow.submit', () => {
  it('queues one rating.submitted per ticket: the same rating again is quiet, another is refused with already-rated; the card stays', async () => {
    kiosk.session.identify(sampleCard(CARD));
    const first = rating(SERVED.ticketId);
    expect(await flow.submit(first)).toEqual({ queued: true });
    expect(await flow.submit(first)).toEqual({ queued: true });
    expect(queued).toBe(1);
    await expect(flow.submit(rating(SERVED.ticketId))).rejects.toMatchObject({ code: KioskErrorCode.AlreadyRated });
    expect(kiosk.store.readOutbox(10)).toMatchObject([{ type: SyncEventType.RatingSubmitted, payload: { ratingId: first.ratingId, comment: '等了很久' } }]);
    expect(kiosk.session.current()).not.toBeNull();
    // Rated here: no longer offered, even before the portal has heard of it.
    portal.rateable.set(HMAC, [SERVED]);
    expect(await flow.find({})).toEqual({ tickets: [], offline: false });
  });

  it('given offline, reaches the portal once through the outbox when it is back', async () => {
    await portalDown();
    const given = rating(SERVED.ticketId);
    await flow.submit(given);
    portal = new FakePortal();
    baseUrl = await portal.listen();
    // The portal applies the batch but its answer is lost: the kiosk sends it again.
    portal.faults.push(PortalFault.ApplyThenUnavailable);
    const sync = new SyncEngine({ store: kiosk.store, client: new PortalClient({ baseUrl, token: portal.token }), backoff: { baseMs: 5, maxMs: 20 }, idleIntervalMs: 20 });
    sync.start();
    await waitFor(() => kiosk.store.backlog() === 0, 'the push');
    await sync.stop();
    expect(portal.appliedRatings).toMatchObject([{ ratingId: given.ratingId, ticketId: SERVED.ticketId, overall: RatingLevel.Dissatisfied }]);
    expect(portal.applied.size).toBe(1);
    expect(portal.eventsReceived).toBe(2);
  });

  it('a rating the portal refuses (not served, rated elsewhere) is quarantined without a technician alert', async () => {
    await flow.submit(rating(SERVED.ticketId));
    portal.rejectSeqs.add(1);
    portal.rejectWith = { code: SyncRejectCode.AlreadyRated, reason: 'rated on the citizen page first' };
    const board = new AlertBoard(() => new Date());
    const alerts = new KioskAlerts(board);
    const sync = new SyncEngine({ store: kiosk.store, client: new PortalClient({ baseUrl, token: portal.token }), onState: (s) => alerts.connectivity(toConnectivity(s)) });
    await sync.drainOnce();
    expect(kiosk.store.quarantined()).toMatchObject([{ code: SyncRejectCode.AlreadyRated }]);
    expect(sync.state().quarantined).toBe(0);
    expect(board.isOpen('events-quarantined')).toBe(false);
    await sync.stop();
  });
});
