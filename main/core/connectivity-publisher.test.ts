import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectivityState, type Connectivity } from '../../common/contract/kiosk-api.js';
import { ConnectivityPublisher, toConnectivity } from './connectivity-publisher.js';

const base: Connectivity = { state: ConnectivityState.Online, lastSyncAt: null, backlog: 0, clockOffsetMs: null, quarantined: 0 };

describe('ConnectivityPublisher', () => {
  let sent: Connectivity[];
  let publisher: ConnectivityPublisher;

  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    publisher = new ConnectivityPublisher({ emit: (c) => sent.push(c), monoNow: () => Date.now() });
  });
  afterEach(() => {
    publisher.stop();
    vi.useRealTimers();
  });

  it('sends the first state and every online/offline change at once', () => {
    publisher.publish(base);
    publisher.publish({ ...base, state: ConnectivityState.Offline });
    publisher.publish({ ...base, state: ConnectivityState.Online });
    expect(sent.map((c) => c.state)).toEqual([ConnectivityState.Online, ConnectivityState.Offline, ConnectivityState.Online]);
  });

  it('sends backlog changes at most once per second, the latest value last', () => {
    publisher.publish(base);
    for (let backlog = 1; backlog <= 20; backlog++) publisher.publish({ ...base, backlog });
    expect(sent.map((c) => c.backlog)).toEqual([0]);
    vi.advanceTimersByTime(999);
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sent.map((c) => c.backlog)).toEqual([0, 20]);
    vi.advanceTimersByTime(5_000);
    expect(sent).toHaveLength(2);
    // After a quiet second, the next change goes out at once.
    publisher.publish({ ...base, backlog: 21, clockOffsetMs: 120 });
    expect(sent.at(-1)).toMatchObject({ backlog: 21, clockOffsetMs: 120 });
  });

  it('does not repeat an unchanged state, and a state change overtakes a waiting backlog change', () => {
    publisher.publish(base);
    publisher.publish(base);
    publisher.publish({ ...base, backlog: 3 });
    publisher.publish({ ...base, backlog: 3, state: ConnectivityState.Offline });
    expect(sent.map((c) => [c.state, c.backlog])).toEqual([
      [ConnectivityState.Online, 0],
      [ConnectivityState.Offline, 3],
    ]);
    vi.advanceTimersByTime(2_000);
    expect(sent).toHaveLength(2);
  });

  it('maps the sync state to the contract, new fields included', () => {
    expect(
      toConnectivity({
        connectivity: ConnectivityState.Offline,
        lastSyncAt: '2025-03-10T01:00:00.000Z',
        lastPullAt: null,
        backlog: 7,
        clockOffsetMs: -3_000,
        quarantined: 2,
        lastError: 'HTTP 503',
      }),
    ).toEqual({ state: ConnectivityState.Offline, lastSyncAt: '2025-03-10T01:00:00.000Z', backlog: 7, clockOffsetMs: -3_000, quarantined: 2 });
  });
});
