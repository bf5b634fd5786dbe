import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KioskHealthReason, KioskHealthState } from '../../../../common/contract/kiosk-health-api.js';
import { fakePortal } from '../../testing/fake-portal.js';
import { NOW, NOW_ISO, sampleWall } from '../testing/manager-fixtures.js';
import { createWallStore, wallAlerts, wallCounts, wallOrder } from './wall-store.js';

describe('kiosk wall', () => {
  beforeEach(() => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    vi.setSystemTime(NOW);
  });
  afterEach(() => vi.useRealTimers());

  it('keeps the tiles in the hall’s order and lists the alerts red first', () => {
    const wall = sampleWall();
    expect(wallOrder(wall).map((k) => k.kioskId)).toEqual(['kiosk-1', 'kiosk-2', 'kiosk-3']);
    expect(wallAlerts(wall).map((a) => `${a.kioskId}:${a.reason}`)).toEqual([
      `kiosk-2:${KioskHealthReason.PrinterPaperOut}`,
      `kiosk-2:${KioskHealthReason.Silent}`,
      `kiosk-3:${KioskHealthReason.PrinterPaperNearEnd}`,
    ]);
    expect(wallCounts(wall)).toEqual({ [KioskHealthState.Green]: 1, [KioskHealthState.Amber]: 1, [KioskHealthState.Red]: 1 });
  });

  it('polls every interval, one request at a time, and stops when told', async () => {
    let kiosks = sampleWall().slice(1, 2);
    const portal = fakePortal({ 'GET /v1/manager/kiosks/health': () => ({ body: { kiosks, serverTime: NOW_ISO } }) });
    const times: string[] = [];
    const store = createWallStore({ client: portal.client(), intervalMs: 2_000, onUnauthorized: () => undefined, onServerTime: (t) => times.push(t) });
    store.getState().start();
    await vi.advanceTimersByTimeAsync(10);
    expect(store.getState().kiosks.map((k) => k.state)).toEqual([KioskHealthState.Green]);
    expect(times).toEqual([NOW_ISO]);
    // The kiosk's printer runs out: the next poll shows it red.
    kiosks = [{ ...sampleWall()[0]!, kioskId: 'kiosk-1', kioskDigit: 1 }];
    await vi.advanceTimersByTimeAsync(2_000);
    expect(store.getState().kiosks[0]?.state).toBe(KioskHealthState.Red);
    expect(portal.requests).toHaveLength(2);
    store.getState().stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(portal.requests).toHaveLength(2);
  });

  it('keeps what it showed when a poll fails, marked by the error, and recovers at the next', async () => {
    let fail = false;
    const portal = fakePortal({
      'GET /v1/manager/kiosks/health': () => (fail ? { status: 503, body: { code: 'service-unavailable', message: 'busy' } } : { body: { kiosks: sampleWall(), serverTime: NOW_ISO } }),
    });
    const store = createWallStore({ client: portal.client(), intervalMs: 1_000, onUnauthorized: () => undefined });
    store.getState().start();
    await vi.advanceTimersByTimeAsync(10);
    fail = true;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(store.getState().error?.code).toBe('service-unavailable');
    expect(store.getState().kiosks).toHaveLength(3);
    fail = false;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(store.getState().error).toBeNull();
    store.getState().stop();
  });

  it('hands a lost session to the console and stops polling', async () => {
    const portal = fakePortal({ 'GET /v1/manager/kiosks/health': () => ({ status: 401, body: { code: 'unauthorized', message: 'session ended' } }) });
    let lost = 0;
    const store = createWallStore({ client: portal.client(), intervalMs: 1_000, onUnauthorized: () => (lost += 1) });
    store.getState().start();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(lost).toBe(1);
    expect(portal.requests).toHaveLength(1);
    expect(store.getState().polling).toBe(false);
  });

  it('forgets every kiosk on reset, and drops an answer that arrives after it', async () => {
    let answer: (() => void) | null = null;
    const portal = fakePortal({
      'GET /v1/manager/kiosks/health': () => new Promise((resolve) => (answer = () => resolve({ body: { kiosks: sampleWall(), serverTime: NOW_ISO } }))),
    });
    const store = createWallStore({ client: portal.client(), intervalMs: 1_000, onUnauthorized: () => undefined });
    store.getState().start();
    await vi.advanceTimersByTimeAsync(10);
    store.getState().reset();
    (answer as (() => void) | null)?.();
    await vi.advanceTimersByTimeAsync(10);
    expect(store.getState().kiosks).toEqual([]);
    expect(store.getState().serverTime).toBeNull();
  });
});
