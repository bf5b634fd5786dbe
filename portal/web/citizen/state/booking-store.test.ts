import { describe, expect, it } from 'vitest';
import { PortalErrorCode } from '../../../../common/contract/errors.js';
import { IdNumberErrorCode } from '../../../../common/domain/id-number.js';
import { fakePortal, type FakeHandler } from '../../testing/fake-portal.js';
import { HALL_ID, HOLD_ID, MISTYPED_ID, NOW, sampleConfirmation, sampleHold, sampleSlots, VALID_ID } from '../testing/citizen-fixtures.js';
import { BookingPhase, bookableDaysOf, createBookingStore } from './booking-store.js';

const SLOTS = `GET /v1/citizen/halls/${HALL_ID}/services/social-insurance/slots`;
const HOLD = 'POST /v1/citizen/bookings/hold';
const CONFIRM = `POST /v1/citizen/bookings/${HOLD_ID}/confirm`;
const FREE_SLOT = '2025-03-11T01:30:00.000Z';

function setup(handlers: Record<string, FakeHandler> = {}) {
  const portal = fakePortal({ [SLOTS]: () => ({ body: sampleSlots }), [HOLD]: () => ({ body: sampleHold }), [CONFIRM]: () => ({ body: sampleConfirmation }), ...handlers });
  // The phone's clock is 2 minutes behind the portal's.
  const store = createBookingStore({ client: portal.client(), now: () => NOW - 120_000 });
  const count = (key: string) => portal.requests.filter((r) => `${r.method} ${r.path}` === key).length;
  return { portal, store, count };
}

async function chosen(handlers: Record<string, FakeHandler> = {}) {
  const s = setup(handlers);
  await s.store.getState().open(HALL_ID, 'social-insurance');
  s.store.getState().chooseDay('2025-03-11');
  s.store.getState().chooseSlot(FREE_SLOT);
  return s;
}

describe('booking store', () => {
  it('lists the days with their places left, and lets only a slot with places be chosen', async () => {
    const { store } = setup();
    const opening = store.getState().open(HALL_ID, 'social-insurance');
    expect(store.getState().phase).toBe(BookingPhase.Loading);
    await opening;
    expect(store.getState().phase).toBe(BookingPhase.Choosing);
    expect(store.getState().clockOffsetMs).toBe(120_000);
    expect(bookableDaysOf(store.getState().slots).map((d) => [d.day, d.available, d.slots.length])).toEqual([
      ['2025-03-11', 3, 2],
      ['2025-03-12', 0, 1],
    ]);
    store.getState().chooseSlot('2025-03-11T01:00:00.000Z');
    expect(store.getState().slotStart).toBeNull();
    store.getState().chooseSlot(FREE_SLOT);
    expect(store.getState()).toMatchObject({ slotStart: FREE_SLOT, day: '2025-03-11' });
    // Another day drops the slot chosen on the first.
    store.getState().chooseDay('2025-03-12');
    expect(store.getState().slotStart).toBeNull();
  });

  it('catches a mistyped ID number on the page: nothing is sent', async () => {
    const { store, count } = await chosen();
    expect(await store.getState().holdSlot(MISTYPED_ID)).toBe(false);
    expect(store.getState().idProblem).toBe(IdNumberErrorCode.CheckChar);
    expect(await store.getState().holdSlot('12345')).toBe(false);
    expect(store.getState().idProblem).toBe(IdNumberErrorCode.Format);
    expect(count(HOLD)).toBe(0);
    // Typing again takes the old problem away.
    store.getState().clearIdProblem();
    expect(store.getState().idProblem).toBeNull();
  });

  it('holds the chosen slot with the ID number sent once, upper-cased, and keeps no copy of it', async () => {
    const { store, portal } = await chosen();
    expect(await store.getState().holdSlot(VALID_ID.toLowerCase())).toBe(true);
    const hold = portal.requests.find((r) => r.method === 'POST');
    expect(hold?.body).toEqual({ hallId: HALL_ID, serviceId: 'social-insurance', slotStart: FREE_SLOT, idNumber: VALID_ID });
    expect(store.getState()).toMatchObject({ phase: BookingPhase.Held, hold: sampleHold, idProblem: null, error: null });
    expect(JSON.stringify(store.getState()).toUpperCase()).not.toContain(VALID_ID);
  });

  it('confirms the hold into a booking with its reference and cancel code', async () => {
    const { store, count } = await chosen();
    await store.getState().holdSlot(VALID_ID);
    expect(await store.getState().confirm()).toBe(true);
    expect(count(CONFIRM)).toBe(1);
    expect(store.getState()).toMatchObject({ phase: BookingPhase.Confirmed, confirmation: sampleConfirmation, hold: null });
    // Showing the same service again keeps the confirmation on screen.
    await store.getState().open(HALL_ID, 'social-insurance');
    expect(store.getState().phase).toBe(BookingPhase.Confirmed);
  });

  it('on a full slot says so, reloads the places and drops the choice the portal no longer offers', async () => {
    let full = false;
    const { store, count } = await chosen({
      [HOLD]: () => {
        full = true;
        return { status: 409, body: { code: 'slot-full', message: 'no place left' } };
      },
      [SLOTS]: () => ({ body: full ? { ...sampleSlots, slots: sampleSlots.slots.map((s) => ({ ...s, available: 0 })) } : sampleSlots }),
    });
    expect(await store.getState().holdSlot(VALID_ID)).toBe(false);
    expect(store.getState().error?.code).toBe(PortalErrorCode.SlotFull);
    expect(count(SLOTS)).toBe(2);
    expect(store.getState()).toMatchObject({ phase: BookingPhase.Choosing, day: '2025-03-11', slotStart: null });
  });

  it('on "already booked that day" keeps the choice and does not reload', async () => {
    const { store, count } = await chosen({ [HOLD]: () => ({ status: 409, body: { code: 'already-booked', message: 'one per day' } }) });
    await store.getState().holdSlot(VALID_ID);
    expect(store.getState()).toMatchObject({ phase: BookingPhase.Choosing, slotStart: FREE_SLOT });
    expect(store.getState().error?.code).toBe(PortalErrorCode.AlreadyBooked);
    expect(count(SLOTS)).toBe(1);
  });

  it('a day outside the window reloads the slots too', async () => {
    const { store, count } = await chosen({ [HOLD]: () => ({ status: 409, body: { code: 'outside-booking-window', message: 'too late' } }) });
    await store.getState().holdSlot(VALID_ID);
    expect(store.getState().error?.code).toBe(PortalErrorCode.OutsideBookingWindow);
    expect(count(SLOTS)).toBe(2);
  });

  it('a confirmation refused as expired ends the hold: choose again, with fresh places', async () => {
    const { store, count } = await chosen({ [CONFIRM]: () => ({ status: 410, body: { code: 'hold-expired', message: 'too late' } }) });
    await store.getState().holdSlot(VALID_ID);
    expect(await store.getState().confirm()).toBe(false);
    expect(store.getState()).toMatchObject({ phase: BookingPhase.Expired, hold: null, slotStart: null });
    expect(store.getState().error?.code).toBe(PortalErrorCode.HoldExpired);
    expect(count(SLOTS)).toBe(2);
    store.getState().chooseAgain();
    expect(store.getState()).toMatchObject({ phase: BookingPhase.Choosing, error: null });
  });

  it('a confirmation that fails on the network keeps the hold (try again)', async () => {
    const { store } = await chosen({
      [CONFIRM]: () => {
        throw new TypeError('fetch failed');
      },
    });
    await store.getState().holdSlot(VALID_ID);
    await store.getState().confirm();
    expect(store.getState().phase).toBe(BookingPhase.Held);
    expect(store.getState().hold).toEqual(sampleHold);
  });

  it('the countdown running out releases the hold locally and reloads the places', async () => {
    const { store, count } = await chosen();
    await store.getState().holdSlot(VALID_ID);
    store.getState().expire();
    expect(store.getState()).toMatchObject({ phase: BookingPhase.Expired, hold: null });
    await Promise.resolve();
    expect(count(SLOTS)).toBe(2);
  });

  it('shows the slots as unavailable with a coded error when they cannot be loaded, and retries', async () => {
    let fail = true;
    const { store } = setup({ [SLOTS]: () => (fail ? { status: 503, body: { code: 'service-unavailable', message: 'busy' } } : { body: sampleSlots }) });
    await store.getState().open(HALL_ID, 'social-insurance');
    expect(store.getState().phase).toBe(BookingPhase.Unavailable);
    expect(store.getState().error?.code).toBe(PortalErrorCode.ServiceUnavailable);
    fail = false;
    await store.getState().reloadSlots();
    expect(store.getState()).toMatchObject({ phase: BookingPhase.Choosing, error: null });
  });

  it('drops the answer for a service the citizen already left', async () => {
    let release: () => void = () => undefined;
    const { store } = setup({
      [SLOTS]: () => new Promise((resolve) => (release = () => resolve({ body: sampleSlots }))),
      [`GET /v1/citizen/halls/${HALL_ID}/services/housing-fund/slots`]: () => ({ body: { ...sampleSlots, serviceId: 'housing-fund', slots: [] } }),
    });
    const first = store.getState().open(HALL_ID, 'social-insurance');
    await store.getState().open(HALL_ID, 'housing-fund');
    release();
    await first;
    expect(store.getState().serviceId).toBe('housing-fund');
    expect(store.getState().slots?.serviceId).toBe('housing-fund');
  });
});
