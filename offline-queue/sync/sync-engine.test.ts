import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectivityState } from '../../common/contract/kiosk-api.js';
import { openKioskStore, type KioskStore } from '../kiosk-store.js';
import { FakePortal, PortalFault as PushFault, waitFor } from '../testing/fake-portal.js';
import { makeTempDir } from '../testing/temp-dir.js';
import { ticketInput } from '../testing/ticket-input.js';
import { PortalClient } from './portal-client.js';
import { SyncEngine, type SyncEngineOptions, type SyncState } from './sync-engine.js';

const tmp = makeTempDir('sync');
afterAll(() => tmp.remove());

let portal: FakePortal;
let baseUrl: string;
let store: KioskStore;
const engines: SyncEngine[] = [];

beforeEach(async () => {
  portal = new FakePortal();
  baseUrl = await portal.listen();
  store = openKioskStore({ path: tmp.file('sync') });
});
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.stop()));
  await portal.close();
  store.close();
});

function issue(n: number): void {
  for (let i = 0; i < n; i++) store.issueTicket(ticketInput());
}

function engine(opts: Partial<SyncEngineOptions> = {}): { engine: SyncEngine; states: SyncState[] } {
  const states: SyncState[] = [];
  const e = new SyncEngine({
    store,
    client: new PortalClient({ baseUrl, token: portal.token }),
    backoff: { baseMs: 5, maxMs: 20 },
    idleIntervalMs: 20,
    random: () => 1,
    onState: (s) => states.push(s),
    ...opts,
  });
  engines.push(e);
  return { engine: e, states };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

describe('SyncEngine', () => {
  it('drains 1,000 events exactly once, even when the portal applies a batch and the answer is lost', async () => {
    issue(1_000);
    portal.faults.push(null, PushFault.ApplyThenUnavailable);
    const { engine: e } = engine({ batchSize: 200 });

    expect(await e.drainOnce()).toBe(200); // second batch applied, answer lost: stops at the failure
    expect(e.state().connectivity).toBe(ConnectivityState.Offline);
    expect(e.state().backlog).toBe(800);
    expect(await e.drainOnce()).toBe(800);

    expect(store.backlog()).toBe(0);
    expect(portal.appliedSeqs).toEqual(range(1, 1_000));
    expect(portal.applied.size).toBe(1_000);
    expect([...portal.applied.values()].every((n) => n === 1)).toBe(true);
    expect(portal.eventsReceived).toBe(1_200); // batch 201..400 was delivered twice
    expect(portal.cursors.get(store.dbEpoch)).toBe(1_000);
    expect(e.state()).toMatchObject({ connectivity: ConnectivityState.Online, backlog: 0, lastError: null });
  });

  it('survives a 503 and a timeout with backoff, then drains; connectivity goes offline then online', async () => {
    issue(50);
    portal.faults.push(PushFault.Unavailable, PushFault.Hang);
    const { engine: e, states } = engine({ pushTimeoutMs: 200, batchSize: 20 });
    e.start();
    await waitFor(() => store.backlog() === 0, 'the outbox to drain');
    await waitFor(() => e.state().connectivity === ConnectivityState.Online, 'online');

    expect(portal.appliedSeqs).toEqual(range(1, 50));
    expect(portal.pushRequests).toBeGreaterThanOrEqual(5); // 2 failed + 3 batches
    const firstOffline = states.findIndex((s) => s.connectivity === ConnectivityState.Offline);
    const onlineAfter = states.findIndex((s, i) => i > firstOffline && s.connectivity === ConnectivityState.Online);
    expect(firstOffline).toBeGreaterThanOrEqual(0);
    expect(onlineAfter).toBeGreaterThan(firstOffline);
    const errors = states.map((s) => s.lastError).filter((x): x is string => x !== null);
    expect(errors.some((m) => m.includes('HTTP 503'))).toBe(true);
    expect(errors.some((m) => m.includes('no answer within 200 ms'))).toBe(true);
    expect(e.state().lastError).toBeNull();
    expect(e.state().lastSyncAt).not.toBeNull();
    // The same cycle pulls the catalog right after the outbox is empty.
    await waitFor(() => store.loadCatalog() !== null, 'the catalog pull');
    expect(store.loadCatalog()?.hall.hallId).toBe('hall-1');
  });

  it('stop() waits for the push in flight and nothing is sent afterwards', async () => {
    issue(1);
    portal.faults.push(PushFault.Hang);
    const { engine: e } = engine({ pushTimeoutMs: 300 });
    e.start();
    await waitFor(() => portal.pushRequests === 1, 'the push to be in flight');
    await e.stop();
    // The push timed out inside stop(): its failure is recorded, and the loop did not retry.
    expect(e.state().lastError).toContain('no answer within 300 ms');
    const requests = portal.pushRequests + portal.pullRequests + portal.leaseRequests;
    e.kick();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(portal.pushRequests + portal.pullRequests + portal.leaseRequests).toBe(requests);
    expect(store.backlog()).toBe(1);
    await e.stop(); // idempotent
  });

  it('kick() wakes an idle loop at once', async () => {
    const { engine: e } = engine({ idleIntervalMs: 600_000 });
    e.start();
    await waitFor(() => portal.pullRequests === 1 && e.state().connectivity === ConnectivityState.Online, 'the first cycle');
    issue(3);
    e.kick();
    expect(e.state().backlog).toBe(3);
    await waitFor(() => store.backlog() === 0, 'the kicked push');
    expect(portal.appliedSeqs).toEqual([1, 2, 3]);
  });

  it('a success reported by another caller ends a long backoff early', async () => {
    issue(2);
    portal.faults.push(PushFault.Unavailable);
    const { engine: e } = engine({ backoff: { baseMs: 600_000, maxMs: 600_000 } });
    e.start();
    await waitFor(() => e.state().connectivity === ConnectivityState.Offline, 'the failed push');
    e.reportOutcome(false);
    expect(e.state().connectivity).toBe(ConnectivityState.Offline);
    e.reportOutcome(true);
    expect(e.state().connectivity).toBe(ConnectivityState.Online);
    await waitFor(() => store.backlog() === 0, 'the push after the backoff ended');
    expect(portal.appliedSeqs).toEqual([1, 2]);
  });

  it('quarantines events the portal rejects and carries on', async () => {
    issue(3);
    portal.rejectSeqs.add(2);
    const { engine: e } = engine();
    expect(await e.drainOnce()).toBe(3);
    expect(store.quarantined().map((q) => [q.seq, q.code])).toEqual([[2, 'unknown-service']]);
    expect(portal.appliedSeqs).toEqual([1, 3]);
  });

  it('reports a portal whose cursor fell behind the outbox instead of spinning', async () => {
    issue(1);
    const { engine: e } = engine();
    expect(await e.drainOnce()).toBe(1);
    portal.cursors.clear(); // the portal lost its state
    issue(1);
    expect(await e.drainOnce()).toBe(0);
    expect(e.state().lastError).toContain('behind the outbox head 2');
    expect(store.backlog()).toBe(1);
    expect(portal.pushRequests).toBe(2);
  });

  it('refuses to trim when the portal claims a cursor beyond any seq this kiosk assigned', async () => {
    issue(2);
    portal.cursors.set(store.dbEpoch, 99);
    const { engine: e } = engine();
    expect(await e.drainOnce()).toBe(0);
    expect(e.state().lastError).toContain('ahead of the last seq 2');
    expect(store.backlog()).toBe(2);
  });

  it('pull() stores the catalog, and rejects when the portal refuses the token', async () => {
    const { engine: e } = engine();
    await e.pull();
    expect(store.loadCatalog()?.services.map((s) => s.id)).toEqual(['social-insurance']);
    const refused = new SyncEngine({ store, client: new PortalClient({ baseUrl, token: 'wrong' }) });
    engines.push(refused);
    await expect(refused.pull()).rejects.toMatchObject({ failure: 'unauthorized' });
    expect(refused.state().connectivity).toBe(ConnectivityState.Offline);
  });

  it('keeps running when the store fails underneath it', async () => {
    issue(1);
    const { engine: e } = engine();
    store.close();
    e.start();
    e.kick();
    await waitFor(() => e.state().lastError !== null, 'the store failure to show');
    await e.stop();
    store = openKioskStore({ path: tmp.file('sync-after') }); // afterEach closes it
  });
});
