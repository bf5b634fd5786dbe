import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KioskError, KioskErrorCode } from '../../common/contract/errors.js';
import { PrintState } from '../../common/contract/kiosk-api.js';
import { Priority } from '../../common/domain/priority.js';
import { NumberSource } from '../../common/domain/ticket-number.js';
import { openKioskStore, type KioskStore } from '../../offline-queue/kiosk-store.js';
import { PortalClient } from '../../offline-queue/sync/portal-client.js';
import { FakePortal, PortalFault, testCatalog, waitFor } from '../../offline-queue/testing/fake-portal.js';
import { testBand } from '../../offline-queue/testing/store-fixtures.js';
import { makeTempDir } from '../../offline-queue/testing/temp-dir.js';
import { createNumberAllocator, PortalAttempt, type NumberAllocatorOptions, type NumberDecision } from './number-allocator.js';
import { PortalReachability } from './portal-reachability.js';

const tmp = makeTempDir('allocator');
afterAll(() => tmp.remove());

const service = testCatalog.services[0]!;
const hall = testCatalog.hall;
let portal: FakePortal;
let baseUrl: string;
let store: KioskStore;

beforeEach(async () => {
  portal = new FakePortal();
  baseUrl = await portal.listen();
  store = openKioskStore({ path: tmp.file('allocator') });
});
afterEach(async () => {
  await portal.close();
  store.close();
});

/** An allocator on a monotonic clock the test moves by hand. */
function allocator(opts: Partial<NumberAllocatorOptions> = {}): { decide: (now?: Date) => Promise<NumberDecision & { ticketId: string }>; mono: { ms: number } } {
  const mono = { ms: 0 };
  const a = createNumberAllocator({
    client: new PortalClient({ baseUrl, token: portal.token }),
    budgetMs: 5_000,
    kioskDigit: () => 4,
    clockOffsetMs: () => null,
    reachability: new PortalReachability({ baseMs: 1_000, maxMs: 8_000, monoNow: () => mono.ms }),
    ...opts,
  });
  return {
    mono,
    decide: async (now = new Date()) => {
      const ticketId = randomUUID();
      return { ...(await a.decide({ ticketId, service, hall, now })), ticketId };
    },
  };
}

/** Issues the decision into the store the way the ticket issuer does. */
function issue(d: NumberDecision & { ticketId: string }): ReturnType<KioskStore['issueTicket']> {
  return store.issueTicket({
    ticketId: d.ticketId,
    requestId: randomUUID(),
    serviceId: service.id,
    businessDay: d.businessDay,
    priority: Priority.Normal,
    number: d.choice,
    peopleAhead: d.peopleAhead,
    peopleAheadApproximate: d.peopleAheadApproximate,
    issuedOffline: d.issuedOffline,
    printState: PrintState.Pending,
    citizenHmac: null,
  });
}

describe('createNumberAllocator', () => {
  it('uses the portal number when it answers within the budget, with the exact count ahead', async () => {
    portal.waitingAhead = 6;
    const d = await allocator().decide();
    expect(d).toMatchObject({
      choice: { source: NumberSource.Portal, number: 'A001' },
      peopleAhead: 6,
      peopleAheadApproximate: false,
      issuedOffline: false,
      portal: PortalAttempt.Allocated,
    });
    expect(portal.allocations.get(d.ticketId)).toBe('A001');
  });

  it('past the budget takes a band number for the hall business day, estimating people ahead from the last portal count', async () => {
    portal.waitingAhead = 6;
    const { decide } = allocator({ budgetMs: 100, clockOffsetMs: () => 45 * 60_000 });
    await decide(); // online: 6 ahead of it, so 7 ahead of the next visitor
    portal.allocateFaults.push(PortalFault.Hang);
    // 23:30 in Shanghai on the kiosk clock; the portal is 45 minutes ahead, so the 11th already.
    const late = new Date('2025-03-10T15:30:00.000Z');
    const first = await decide(late);
    expect(first).toMatchObject({
      choice: { source: NumberSource.Band, prefix: 'A', kioskDigit: 4 },
      businessDay: '2025-03-11',
      issuedOffline: true,
      peopleAheadApproximate: true,
      portal: PortalAttempt.Unanswered,
    });
    // The last portal count was for another business day: no estimate.
    expect(first.peopleAhead).toBeNull();

    const sameDay = allocator({ budgetMs: 100 });
    await sameDay.decide();
    portal.allocateFaults.push(PortalFault.Hang);
    const offline = await sameDay.decide();
    expect([offline.peopleAhead, offline.peopleAheadApproximate]).toEqual([7, true]);
    // Known offline now: the next one is not even tried, and counts the one before.
    const next = await sameDay.decide();
    expect([next.portal, next.peopleAhead]).toEqual([PortalAttempt.Skipped, 8]);
  });

  it('ignores a late answer: the number the portal allocated after the budget becomes a gap, never a second ticket', async () => {
    store.applyLease(store.pendingLease(service.id, '2025-03-10', 10).leaseId, testBand({ businessDay: '2025-03-10', firstSequence: 8001, lastSequence: 8010 }));
    portal.allocateFaults.push(PortalFault.Hold);
    const d = await allocator({ budgetMs: 100 }).decide(new Date('2025-03-10T02:00:00.000Z'));
    expect(d.portal).toBe(PortalAttempt.Unanswered);
    const ticket = issue(d);
    expect([ticket.number, ticket.numberSource]).toEqual(['A8001', NumberSource.Band]);

    // The portal allocated A001 for this ticketId and answers now, after the kiosk gave up.
    expect(portal.allocations.get(d.ticketId)).toBe('A001');
    expect(portal.releaseHeld()).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(store.getTicket(d.ticketId)?.number).toBe('A8001');
    expect(store.countTicketsIssued(service.id, '2025-03-10')).toBe(1);
    // What the portal receives for this ticketId is the printed band number.
    const [event] = store.readOutbox(10);
    expect(event?.payload).toMatchObject({ ticketId: d.ticketId, number: 'A8001', numberSource: NumberSource.Band });
  });

  it('falls back to the kiosk series in the same issuance when the band is used up', async () => {
    store.applyLease(store.pendingLease(service.id, '2025-03-10', 1).leaseId, testBand({ businessDay: '2025-03-10', firstSequence: 9999, lastSequence: 9999 }));
    await portal.close(); // connection refused: unreachable at once
    const { decide } = allocator();
    const at = new Date('2025-03-10T02:00:00.000Z');
    const numbers = [issue(await decide(at)), issue(await decide(at))].map((t) => [t.number, t.numberSource]);
    expect(numbers).toEqual([
      ['A9999', NumberSource.Band],
      ['A4-001', NumberSource.KioskSeries],
    ]);
    portal = new FakePortal();
    baseUrl = await portal.listen(); // afterEach closes it
  });

  it('skips the online attempt while the portal is known unreachable and tries again after the backoff window', async () => {
    const { decide, mono } = allocator({ budgetMs: 100 });
    portal.allocateFaults.push(PortalFault.Hang);
    expect((await decide()).portal).toBe(PortalAttempt.Unanswered);
    const asked = portal.allocateRequests;
    expect((await decide()).portal).toBe(PortalAttempt.Skipped);
    expect(portal.allocateRequests).toBe(asked);

    mono.ms += 1_000; // the first window (1 s) is over: the next visitor tries online again
    portal.allocateFaults.push(PortalFault.Hang);
    expect((await decide()).portal).toBe(PortalAttempt.Unanswered);
    mono.ms += 1_000; // the second window is 2 s
    expect((await decide()).portal).toBe(PortalAttempt.Skipped);
    mono.ms += 1_000;
    const back = await decide();
    expect(back.portal).toBe(PortalAttempt.Allocated);
    expect(back.choice.source).toBe(NumberSource.Portal);
    await waitFor(() => portal.allocateRequests === asked + 2, 'the requests to be counted');
  });

  it('takes the kiosk digit from the getter (pulled identity) at each decision', async () => {
    let digit = 3;
    await portal.close();
    const { decide } = allocator({ kioskDigit: () => digit });
    expect((await decide()).choice).toMatchObject({ kioskDigit: 3 });
    digit = 8;
    expect((await decide()).choice).toMatchObject({ kioskDigit: 8 });
    portal = new FakePortal();
    baseUrl = await portal.listen();
  });

  it('reports a citizen who already waits as already-waiting, and counts the portal as reachable', async () => {
    portal.allocateFaults.push(PortalFault.Reject);
    const { decide } = allocator();
    await expect(decide()).rejects.toSatisfy((err: unknown) => err instanceof KioskError && err.code === KioskErrorCode.AlreadyWaiting);
    expect((await decide()).portal).toBe(PortalAttempt.Allocated);
  });
});
