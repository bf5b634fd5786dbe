import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openKioskStore, type KioskStore } from '../kiosk-store.js';
import { makeTempDir } from '../testing/temp-dir.js';
import { AcceptedClockOffset, ClockConfirmRefusal, type ClockJump } from './accepted-clock-offset.js';

const tmp = makeTempDir('accepted-clock');
afterAll(() => tmp.remove());

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const stores: KioskStore[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

function open(file: string): KioskStore {
  const store = openKioskStore({ path: file });
  stores.push(store);
  return store;
}

function gate(store: KioskStore, maxJumpMs = 5 * MINUTE) {
  const jumps: (ClockJump | null)[] = [];
  const clock = new AcceptedClockOffset({ store, maxJumpMs, onJump: (j) => jumps.push(j) });
  return { clock, jumps };
}

describe('AcceptedClockOffset', () => {
  it('accepts the first measurement of a fresh kiosk, whatever its size', () => {
    const store = open(tmp.file('fresh'));
    const { clock, jumps } = gate(store);
    expect(clock.accepted()).toBeNull();
    clock.record(3 * DAY + 12.4);
    expect(clock.accepted()).toBe(3 * DAY + 12);
    expect(store.syncState()).toMatchObject({ clockOffsetMs: 3 * DAY + 12, pendingClockOffsetMs: null });
    expect(clock.jump()).toBeNull();
    expect(jumps).toEqual([]);
  });

  it('follows small drifts, storing them only when they moved by half a second or more', () => {
    const store = open(tmp.file('drift'));
    const { clock, jumps } = gate(store);
    clock.record(1_000);
    clock.record(1_300);
    expect(clock.accepted()).toBe(1_000);
    expect(store.syncState().clockOffsetMs).toBe(1_000);
    clock.record(1_600);
    clock.record(1_600 + 4 * MINUTE);
    clock.record(1_600 + 8 * MINUTE);
    // Each step within the limit of the accepted offset: a slow drift is followed all the way.
    expect(clock.accepted()).toBe(1_600 + 8 * MINUTE);
    expect(store.syncState()).toMatchObject({ clockOffsetMs: 1_600 + 8 * MINUTE, pendingClockOffsetMs: null });
    expect(jumps).toEqual([]);
  });

  it('holds a jump beyond the limit: the accepted offset stays, the hold is stored and reported with its size', () => {
    const store = open(tmp.file('jump'));
    const { clock, jumps } = gate(store);
    clock.record(200);
    clock.record(200 + DAY);
    expect(clock.accepted()).toBe(200);
    expect(clock.jump()).toEqual({ acceptedOffsetMs: 200, measuredOffsetMs: 200 + DAY });
    expect(store.syncState()).toMatchObject({ clockOffsetMs: 200, pendingClockOffsetMs: 200 + DAY });
    expect(jumps).toEqual([{ acceptedOffsetMs: 200, measuredOffsetMs: 200 + DAY }]);
    // The same jump measured again (within half a second) is not reported again.
    clock.record(200 + DAY + 300);
    expect(jumps).toHaveLength(1);
    clock.record(200 - 2 * DAY);
    expect(jumps.at(-1)).toEqual({ acceptedOffsetMs: 200, measuredOffsetMs: 200 - 2 * DAY });
    expect(clock.accepted()).toBe(200);
  });

  it('ends the hold when the measurements come back within the limit', () => {
    const store = open(tmp.file('back'));
    const { clock, jumps } = gate(store);
    clock.record(0);
    clock.record(DAY);
    clock.record(900);
    expect(clock.jump()).toBeNull();
    expect(clock.accepted()).toBe(900);
    expect(store.syncState()).toMatchObject({ clockOffsetMs: 900, pendingClockOffsetMs: null });
    expect(jumps.at(-1)).toBeNull();
  });

  it('keeps a held jump across a restart, and adopts it once confirmed', () => {
    const file = tmp.file('restart');
    const first = open(file);
    gate(first).clock.record(-150);
    gate(first).clock.record(-150 + DAY);
    first.close();

    const reopened = open(file);
    const { clock, jumps } = gate(reopened);
    expect(clock.accepted()).toBe(-150);
    expect(clock.jump()).toEqual({ acceptedOffsetMs: -150, measuredOffsetMs: -150 + DAY });

    expect(clock.confirm(-150 + DAY)).toEqual({ confirmed: true, fromOffsetMs: -150, toOffsetMs: -150 + DAY });
    expect(clock.accepted()).toBe(-150 + DAY);
    expect(clock.jump()).toBeNull();
    expect(jumps).toEqual([null]);
    expect(reopened.syncState()).toMatchObject({ clockOffsetMs: -150 + DAY, pendingClockOffsetMs: null });
    // Measurements near the new offset are drifts now.
    clock.record(-150 + DAY + 2 * MINUTE);
    expect(clock.accepted()).toBe(-150 + DAY + 2 * MINUTE);
  });

  it('refuses to confirm when nothing is held, or when the held jump moved on since it was shown', () => {
    const store = open(tmp.file('refuse'));
    const { clock } = gate(store);
    expect(clock.confirm(0)).toEqual({ confirmed: false, refusal: ClockConfirmRefusal.NothingHeld });
    clock.record(0);
    clock.record(DAY);
    clock.record(3 * DAY);
    expect(clock.confirm(DAY)).toEqual({ confirmed: false, refusal: ClockConfirmRefusal.Moved });
    expect(clock.accepted()).toBe(0);
    expect(clock.confirm(3 * DAY - 1_000)).toMatchObject({ confirmed: true, toOffsetMs: 3 * DAY });
  });

  it("follows a jump of the kiosk's own wall clock at once: the monotonic clock shows the portal's did not move", () => {
    const store = open(tmp.file('kiosk-jump'));
    const { clock, jumps } = gate(store);
    const T = Date.parse('2025-03-10T15:50:00.000Z');
    clock.record(40, { wallMs: T, monoMs: 1_000 });
    // 10 s later the kiosk's clock has been set a day ahead: the offset changes by a day, the portal's clock by nothing.
    clock.record(40 - DAY, { wallMs: T + 10_000 + DAY, monoMs: 11_000 });
    expect(clock.accepted()).toBe(40 - DAY);
    expect(clock.jump()).toBeNull();
    expect(jumps).toEqual([]);
    // And back again, an hour of real time later.
    clock.record(40, { wallMs: T + 3_610_000, monoMs: 3_611_000 });
    expect(clock.accepted()).toBe(40);
  });

  it("holds a jump of the portal's clock even when the kiosk's clock moved too", () => {
    const store = open(tmp.file('both-jump'));
    const { clock } = gate(store);
    const T = Date.parse('2025-03-10T02:00:00.000Z');
    clock.record(0, { wallMs: T, monoMs: 0 });
    // The kiosk's clock went back an hour, and the portal's forward a day.
    clock.record(DAY + 60 * MINUTE, { wallMs: T + 5_000 - 60 * MINUTE, monoMs: 5_000 });
    expect(clock.accepted()).toBe(0);
    expect(clock.jump()).toEqual({ acceptedOffsetMs: 0, measuredOffsetMs: DAY + 60 * MINUTE });
  });

  it('counts the whole change of the offset after a restart, where no monotonic reference survives', () => {
    const file = tmp.file('restart-reference');
    const first = open(file);
    gate(first).clock.record(0, { wallMs: 1_000_000, monoMs: 0 });
    first.close();
    const { clock } = gate(open(file));
    // The kiosk's clock may have been set while it was off: a technician looks at it.
    clock.record(-DAY, { wallMs: 1_000_000 + DAY, monoMs: 50 });
    expect(clock.accepted()).toBe(0);
    expect(clock.jump()).toMatchObject({ measuredOffsetMs: -DAY });
  });

  it('accepts an unchanged offset after the machine slept, though both wall clocks ran ahead of the monotonic one', () => {
    const store = open(tmp.file('suspend'));
    const { clock, jumps } = gate(store);
    clock.record(300, { wallMs: 1_000_000, monoMs: 0 });
    // Ten hours of suspend: the monotonic clock stood still, the offset did not move.
    clock.record(350, { wallMs: 1_000_000 + 10 * 60 * MINUTE, monoMs: 2_000 });
    expect(clock.jump()).toBeNull();
    expect(clock.accepted()).toBe(300);
    expect(jumps).toEqual([]);
  });
});
