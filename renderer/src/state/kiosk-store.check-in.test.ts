import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KioskError, KioskErrorCode } from '../../../common/contract/errors.js';
import { CheckInOutcome, ScanSource, type CheckInResult } from '../../../common/contract/kiosk-api.js';
import { Language } from '../i18n/index.js';
import { deferred } from '../testing/fake-kiosk-api.js';
import { sampleCheckIn, sampleScan, sampleTicket, sampleVisitor } from '../testing/fixtures.js';
import { journeyStore, settle, type KioskStore } from '../testing/journey-store.js';
import { CheckInMethod, CheckInPhase } from './journeys/check-in.js';
import { JOURNEY_IDLE_MS, Screen, TicketNote } from './kiosk-store.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const appointmentTicket = sampleTicket({ number: 'A024', appointmentStart: '2025-03-04T01:30:00.000Z' });

describe('kiosk store: check-in (预约签到)', () => {
  let stores: KioskStore[] = [];
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    for (const s of stores) s.getState().dispose();
    stores = [];
    vi.useRealTimers();
  });

  function setup(checkIn: (request: unknown) => Promise<CheckInResult>, extra = {}) {
    const made = journeyStore({ checkIn, ...extra });
    stores.push(made.store);
    return made;
  }

  it('asks for a scan or a card, then checks the card in when it is read, and shows the ticket with its slot', async () => {
    const { store, kiosk, calls } = setup(async () => sampleCheckIn(CheckInOutcome.Ticket, { ticket: appointmentTicket }));
    store.getState().openCheckIn();
    expect(store.getState()).toMatchObject({ screen: Screen.CheckIn, checkIn: { phase: CheckInPhase.Waiting } });
    expect(calls.checkIn).toBeUndefined();

    kiosk.emit('visitorIdentified', sampleVisitor());
    expect(store.getState().checkIn).toEqual({ phase: CheckInPhase.Checking, method: CheckInMethod.Card });
    await settle();
    expect(calls.checkIn).toHaveLength(1);
    expect(calls.checkIn?.[0]).toEqual({ requestId: expect.stringMatching(UUID) });
    expect(store.getState()).toMatchObject({ screen: Screen.Ticket, ticketNote: null, ticket: { number: 'A024', appointmentStart: '2025-03-04T01:30:00.000Z' } });
  });

  it('does not ask twice: a visitor who swiped already is checked in on the first tap', async () => {
    const { store, kiosk, calls } = setup(async () => sampleCheckIn(CheckInOutcome.Ticket, { ticket: appointmentTicket }));
    kiosk.emit('visitorIdentified', sampleVisitor());
    store.getState().openCheckIn();
    await settle();
    expect(calls.checkIn).toEqual([{ requestId: expect.stringMatching(UUID) }]);
    expect(store.getState().screen).toBe(Screen.Ticket);
  });

  it('a booking QR scanned anywhere starts the check-in with its reference, once, though the wedge scan also comes back as an event', async () => {
    const scan = sampleScan();
    const made = setup(async () => sampleCheckIn(CheckInOutcome.Ticket, { ticket: appointmentTicket }), {
      // The core reports every scan as an event too, before it answers.
      submitScan: async () => {
        made.kiosk.emit('scanned', scan);
        return scan;
      },
    });
    const { store, calls } = made;
    expect(store.getState().screen).toBe(Screen.Home);
    await store.getState().submitScan('HKA-7Q2M9XKD');
    await settle();
    expect(calls.checkIn).toEqual([{ requestId: expect.stringMatching(UUID), reference: 'HKA-7Q2M9XKD' }]);
    expect(store.getState().screen).toBe(Screen.Ticket);
  });

  it('a serial scan (core event) starts the check-in too, and a second scan while checking is ignored', async () => {
    const pending = deferred<CheckInResult>();
    const { store, kiosk, calls } = setup(() => pending.promise);
    kiosk.emit('scanned', sampleScan({ source: ScanSource.Serial }));
    kiosk.emit('scanned', sampleScan({ source: ScanSource.Serial }));
    expect(calls.checkIn).toHaveLength(1);
    expect(store.getState().notice).toMatchObject({ scan: { reference: 'HKA-7Q2M9XKD' } });
    pending.resolve(sampleCheckIn(CheckInOutcome.Early));
    await settle();
    expect(store.getState().checkIn).toMatchObject({ phase: CheckInPhase.Result, method: CheckInMethod.Reference, result: { outcome: CheckInOutcome.Early } });
  });

  it.each([CheckInOutcome.Early, CheckInOutcome.Late, CheckInOutcome.OtherDay, CheckInOutcome.Cancelled, CheckInOutcome.NotFound])(
    '%s stays on the check-in screen with the outcome',
    async (outcome) => {
      const { store } = setup(async () => sampleCheckIn(outcome));
      await store.getState().startCheckIn('HKA-7Q2M9XKD');
      expect(store.getState()).toMatchObject({ screen: Screen.CheckIn, checkIn: { phase: CheckInPhase.Result, result: { outcome } } });
    },
  );

  it('late: the walk-in button takes a regular ticket of the booked service', async () => {
    const { store, calls } = setup(async () => sampleCheckIn(CheckInOutcome.Late), { takeTicket: async () => sampleTicket({ number: 'A031' }) });
    await store.getState().startCheckIn('HKA-7Q2M9XKD');
    await store.getState().takeTicket('social-insurance');
    expect(calls.takeTicket?.[0]).toMatchObject({ serviceId: 'social-insurance' });
    expect(store.getState()).toMatchObject({ screen: Screen.Ticket, ticket: { number: 'A031', appointmentStart: null } });
  });

  it('already checked in: shows the ticket it got, saying so; without one, explains', async () => {
    const first = setup(async () => sampleCheckIn(CheckInOutcome.AlreadyCheckedIn, { ticket: appointmentTicket }));
    await first.store.getState().startCheckIn('HKA-7Q2M9XKD');
    expect(first.store.getState()).toMatchObject({ screen: Screen.Ticket, ticketNote: TicketNote.AlreadyCheckedIn, ticket: { number: 'A024' } });

    const second = setup(async () => sampleCheckIn(CheckInOutcome.AlreadyCheckedIn));
    await second.store.getState().startCheckIn('HKA-7Q2M9XKD');
    expect(second.store.getState()).toMatchObject({ screen: Screen.CheckIn, checkIn: { phase: CheckInPhase.Result } });
  });

  it('a failed check-in is shown with its code, and retried with the same reference', async () => {
    let fail = true;
    const { store, calls } = setup(async () => {
      if (fail) throw new KioskError(KioskErrorCode.StorageFailure, 'disk full');
      return sampleCheckIn(CheckInOutcome.Early);
    });
    await store.getState().startCheckIn('HKA-7Q2M9XKD');
    expect(store.getState().checkIn).toEqual({
      phase: CheckInPhase.Failed,
      method: CheckInMethod.Reference,
      reference: 'HKA-7Q2M9XKD',
      error: { code: KioskErrorCode.StorageFailure, detail: 'disk full' },
    });
    expect(store.getState().error).toBeNull();
    fail = false;
    await store.getState().startCheckIn('HKA-7Q2M9XKD');
    expect(calls.checkIn?.[1]).toMatchObject({ reference: 'HKA-7Q2M9XKD' });
    // Each attempt is a new request: a retry after a failure must not be answered from the failed one.
    expect(calls.checkIn?.[1]?.requestId).not.toBe(calls.checkIn?.[0]?.requestId);
    expect(store.getState().checkIn.phase).toBe(CheckInPhase.Result);
  });

  it('an outcome arriving after the visitor left is dropped, never shown to the next one', async () => {
    const pending = deferred<CheckInResult>();
    const { store } = setup(() => pending.promise);
    const checking = store.getState().startCheckIn('HKA-7Q2M9XKD');
    store.getState().backToHome();
    pending.resolve(sampleCheckIn(CheckInOutcome.Late));
    await checking;
    expect(store.getState()).toMatchObject({ screen: Screen.Home, checkIn: { phase: CheckInPhase.Waiting } });
  });

  it('a ticket the check-in issued is shown even if the visitor had left: no issued number goes unseen', async () => {
    const pending = deferred<CheckInResult>();
    const { store } = setup(() => pending.promise);
    const checking = store.getState().startCheckIn('HKA-7Q2M9XKD');
    store.getState().backToHome();
    pending.resolve(sampleCheckIn(CheckInOutcome.Ticket, { ticket: appointmentTicket }));
    await checking;
    expect(store.getState()).toMatchObject({ screen: Screen.Ticket, ticket: { number: 'A024' } });
  });

  it('returns home, in Chinese, when nobody touches the screen', async () => {
    const { store } = setup(async () => sampleCheckIn(CheckInOutcome.NotFound));
    store.getState().toggleLanguage();
    store.getState().openCheckIn();
    await vi.advanceTimersByTimeAsync(JOURNEY_IDLE_MS - 1_000);
    store.getState().touch();
    await vi.advanceTimersByTimeAsync(JOURNEY_IDLE_MS - 1_000);
    expect(store.getState().screen).toBe(Screen.CheckIn);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(store.getState()).toMatchObject({ screen: Screen.Home, language: Language.Zh });
  });
});
