import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HallEventKind } from '../../common/contract/hall-events.js';
import { AppointmentStatus } from '../../common/contract/sync-api.js';
import { openKioskStore, type KioskStore } from '../kiosk-store.js';
import { FakePortal, PortalFault, testAppointment, waitFor } from '../testing/fake-portal.js';
import { makeTempDir } from '../testing/temp-dir.js';
import { followLiveChannel, LiveChange, LiveChannelState, type LiveChannel } from './live-channel.js';
import { PortalClient } from './portal-client.js';
import { SyncEngine } from './sync-engine.js';

const tmp = makeTempDir('live-channel');
afterAll(() => tmp.remove());

let portal: FakePortal;
let baseUrl: string;
const channels: LiveChannel[] = [];

beforeEach(async () => {
  portal = new FakePortal();
  baseUrl = await portal.listen();
});
afterEach(async () => {
  await Promise.all(channels.splice(0).map((c) => c.close()));
  await portal.close();
});

function follow(opts: { token?: string; idleTimeoutMs?: number } = {}): { channel: LiveChannel; changes: LiveChange[]; states: LiveChannelState[] } {
  const changes: LiveChange[] = [];
  const states: LiveChannelState[] = [];
  const channel = followLiveChannel({
    baseUrl,
    token: opts.token ?? portal.token,
    onChange: (c) => changes.push(c),
    onState: (s) => states.push(s),
    backoff: { baseMs: 10, maxMs: 40 },
    idleTimeoutMs: opts.idleTimeoutMs,
    random: () => 0.5,
  });
  channels.push(channel);
  return { channel, changes, states };
}

describe('followLiveChannel', () => {
  it('asks for a pull on connecting and on every appointments or catalog change, with the kiosk token', async () => {
    const { channel, changes } = follow();
    await waitFor(() => changes.length === 1, 'the connection');
    expect(changes).toEqual([LiveChange.Connected]);
    expect(channel.state).toBe(LiveChannelState.Live);
    portal.notifyKiosks(HallEventKind.AppointmentsChanged);
    portal.notifyKiosks(HallEventKind.CatalogChanged);
    await waitFor(() => changes.length === 3, 'two changes');
    expect(changes).toEqual([LiveChange.Connected, LiveChange.Appointments, LiveChange.Catalog]);
  });

  it('reconnects after the portal drops it, and pulls again then (what happened meanwhile is not lost)', async () => {
    const { changes, states } = follow();
    await waitFor(() => portal.streamClients() === 1, 'the connection');
    portal.dropStreams();
    await waitFor(() => changes.filter((c) => c === LiveChange.Connected).length === 2, 'the reconnection');
    expect(states).toContain(LiveChannelState.Retrying);
    expect(portal.streamRequests).toBe(2);
  });

  it('treats a silent connection as dead after the idle timeout', async () => {
    const { changes } = follow({ idleTimeoutMs: 150 });
    // The fake portal sends no heartbeat: the channel must give up on it and come back.
    await waitFor(() => changes.length >= 2, 'a reconnection after silence');
    expect(portal.streamRequests).toBeGreaterThanOrEqual(2);
  });

  it('keeps retrying, slowly, a portal that refuses it (an older portal: 404; a bad token: 401), and never asks for a pull then', async () => {
    portal.streamEnabled = false;
    const { changes, states } = follow();
    await waitFor(() => states.filter((s) => s === LiveChannelState.Retrying).length >= 2, 'two refusals');
    expect(changes).toEqual([]);
    portal.streamEnabled = true;
    await waitFor(() => changes.length === 1, 'the portal serving it at last');

    const refused = follow({ token: 'not-the-token' });
    await waitFor(() => refused.states.includes(LiveChannelState.Retrying), 'the refusal');
    expect(refused.changes).toEqual([]);
  });

  it('closes for good: no reconnection afterwards', async () => {
    const { channel } = follow();
    await waitFor(() => portal.streamClients() === 1, 'the connection');
    await channel.close();
    expect(channel.state).toBe(LiveChannelState.Closed);
    await waitFor(() => portal.streamClients() === 0, 'the connection to end');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(portal.streamRequests).toBe(1);
  });
});

describe('SyncEngine.pullSoon with the live channel', () => {
  let store: KioskStore;
  let engine: SyncEngine;

  beforeEach(() => {
    store = openKioskStore({ path: tmp.file('kiosk') });
    engine = new SyncEngine({
      store,
      client: new PortalClient({ baseUrl, token: portal.token }),
      // The periodic pull would take an hour: only the live channel can bring a booking in time.
      pullIntervalMs: 3_600_000,
      idleIntervalMs: 60_000,
      backoff: { baseMs: 5, maxMs: 20 },
    });
  });
  afterEach(async () => {
    await engine.stop();
    store.close();
  });

  it('pulls a booking within moments of the portal telling of it', async () => {
    engine.start();
    const { changes } = followLiveChannelInto(engine);
    await waitFor(() => changes.length === 1 && portal.pullRequests >= 1, 'the first pull');
    const appointment = testAppointment({ reference: 'HKA1-LIVE001' });
    portal.putAppointment(appointment);
    portal.notifyKiosks(HallEventKind.AppointmentsChanged);
    await waitFor(() => store.findAppointment('HKA1-LIVE001') !== null, 'the booking at the kiosk');
    expect(store.findAppointment('HKA1-LIVE001')?.status).toBe(AppointmentStatus.Booked);
  });

  it('pulls again for a change told while a pull was in flight, and makes one pull of a burst', async () => {
    engine.start();
    await waitFor(() => portal.pullRequests === 1 && engine.state().lastPullAt !== null, 'the first pull');
    // The next pull is answered late; the booking is committed, and told, while it is in flight.
    portal.pullFaults.push(PortalFault.Hold);
    engine.pullSoon();
    await waitFor(() => portal.heldCount() === 1, 'the pull in flight');
    portal.putAppointment(testAppointment({ reference: 'HKA1-RACE001' }));
    for (let i = 0; i < 20; i++) engine.pullSoon();
    portal.releaseHeld();
    await waitFor(() => store.findAppointment('HKA1-RACE001') !== null, 'the booking told during the pull');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(portal.pullRequests).toBe(3);
  });
});

function followLiveChannelInto(engine: SyncEngine): { changes: LiveChange[] } {
  const changes: LiveChange[] = [];
  channels.push(
    followLiveChannel({
      baseUrl,
      token: portal.token,
      onChange: (c) => {
        changes.push(c);
        engine.pullSoon();
      },
    }),
  );
  return { changes };
}
