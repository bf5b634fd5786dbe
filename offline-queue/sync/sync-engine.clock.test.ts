import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addDays, businessDayOf } from '../../common/domain/business-day.js';
import { openKioskStore, type KioskStore } from '../kiosk-store.js';
import { FakePortal, testCatalog } from '../testing/fake-portal.js';
import { makeTempDir } from '../testing/temp-dir.js';
import type { ClockJump } from './accepted-clock-offset.js';
import { PortalClient } from './portal-client.js';
import { SyncEngine, SyncPhase, type SyncState } from './sync-engine.js';

const tmp = makeTempDir('sync-clock');
afterAll(() => tmp.remove());

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** A loopback round trip is far below this; the offsets are compared within it. */
const NEAR = 5_000;
const zone = testCatalog.hall.timeZone;
const today = (): string => businessDayOf(new Date(), zone);

let portal: FakePortal;
let baseUrl: string;
let store: KioskStore;
const engines: SyncEngine[] = [];

beforeEach(async () => {
  portal = new FakePortal();
  baseUrl = await portal.listen();
  store = openKioskStore({ path: tmp.file('clock') });
});
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.stop()));
  await portal.close();
  store.close();
});

/** An engine on the real clocks, or on a kiosk wall clock of the test's (monotonic time stays real). */
function engine(maxClockJumpMs?: number, kioskNow?: () => number) {
  const states: SyncState[] = [];
  const jumps: (ClockJump | null)[] = [];
  const e = new SyncEngine({
    store,
    client: new PortalClient({ baseUrl, token: portal.token, ...(kioskNow ? { wallNow: kioskNow } : {}) }),
    ...(kioskNow ? { now: () => new Date(kioskNow()) } : {}),
    phases: [SyncPhase.Pull, SyncPhase.Lease],
    bandSize: 10,
    maxClockJumpMs,
    onState: (s) => states.push(s),
    onClockJump: (j) => jumps.push(j),
  });
  engines.push(e);
  return { e, states, jumps };
}

describe('SyncEngine, clock jumps', () => {
  it('does not take the business day from a portal clock that jumped a day until the jump is confirmed', async () => {
    const { e, states, jumps } = engine();
    await e.syncOnce();
    expect(Math.abs(e.clockOffsetMs() ?? Infinity)).toBeLessThan(NEAR);
    expect(e.businessDay(zone)).toBe(today());

    portal.clockSkewMs = DAY;
    await e.syncOnce();
    // Held: the day and the leases stay on the accepted offset.
    expect(Math.abs(e.clockOffsetMs() ?? Infinity)).toBeLessThan(NEAR);
    expect(e.businessDay(zone)).toBe(today());
    expect(store.listBands().map((b) => b.businessDay).sort()).toEqual([today(), addDays(today(), 1)]);
    const jump = e.clockJump();
    expect(Math.abs((jump?.measuredOffsetMs ?? 0) - DAY)).toBeLessThan(NEAR);
    expect(jumps).toEqual([jump]);
    expect(store.syncState().pendingClockOffsetMs).toBe(jump?.measuredOffsetMs);

    expect(e.confirmClockJump(jump?.measuredOffsetMs ?? 0)).toMatchObject({ confirmed: true });
    expect(e.clockOffsetMs()).toBe(jump?.measuredOffsetMs);
    expect(e.businessDay(zone)).toBe(addDays(today(), 1));
    expect(states.at(-1)?.clockOffsetMs).toBe(jump?.measuredOffsetMs);
    expect(jumps.at(-1)).toBeNull();
  });

  it('adopts a drift within the limit at once, and measures against a limit from the configuration', async () => {
    const { e, jumps } = engine(10 * MINUTE);
    await e.syncOnce();
    portal.clockSkewMs = 8 * MINUTE;
    await e.syncOnce();
    expect(Math.abs((e.clockOffsetMs() ?? 0) - 8 * MINUTE)).toBeLessThan(NEAR);
    expect(e.clockJump()).toBeNull();
    expect(jumps).toEqual([]);

    portal.clockSkewMs = 20 * MINUTE;
    await e.syncOnce();
    expect(Math.abs((e.clockOffsetMs() ?? 0) - 8 * MINUTE)).toBeLessThan(NEAR);
    expect(e.clockJump()).not.toBeNull();
  });

  it('keeps a held jump across a restart of the engine on the same file', async () => {
    const { e } = engine();
    await e.syncOnce();
    portal.clockSkewMs = -DAY;
    await e.syncOnce();
    await e.stop();
    const { e: again } = engine();
    expect(again.clockJump()).toEqual(e.clockJump());
    expect(again.businessDay(zone)).toBe(today());
  });

  it("follows the kiosk's own clock when it is set a day off: the day stays the portal's", async () => {
    let skewMs = 0;
    const { e, jumps } = engine(undefined, () => Date.now() + skewMs);
    await e.syncOnce();
    skewMs = DAY;
    await e.syncOnce();
    expect(Math.abs((e.clockOffsetMs() ?? 0) + DAY)).toBeLessThan(NEAR);
    expect(e.clockJump()).toBeNull();
    expect(jumps).toEqual([]);
    expect(e.businessDay(zone)).toBe(today());
  });
});
