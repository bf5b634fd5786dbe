import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KioskError, KioskErrorCode } from '../../../common/contract/errors.js';
import { ScanKind, type KioskRequest } from '../../../common/contract/kiosk-api.js';
import { RatingLevel } from '../../../common/contract/ratings-api.js';
import { ticketQrPayload } from '../qr/ticket-qr.js';
import { sampleRateable, sampleScan, sampleVisitor } from '../testing/fixtures.js';
import { journeyStore, settle, type KioskStore } from '../testing/journey-store.js';
import { RATING_THANKS_MS, RatingPhase, RatingSource } from './journeys/rating.js';
import { RatingDimension, RatingPhrase } from './journeys/rating-draft.js';
import { Screen } from './kiosk-store.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const first = sampleRateable();
const second = sampleRateable({ ticketId: '0193a5e8-7f3c-7a4b-9c2d-1e2f3a4b5c70', number: 'B007', serviceId: 'business-license', counterNumber: null });

describe('kiosk store: rating (好差评)', () => {
  let stores: KioskStore[] = [];
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    for (const s of stores) s.getState().dispose();
    stores = [];
    vi.useRealTimers();
  });

  function setup(methods = {}) {
    const made = journeyStore({
      findRateableTickets: async () => ({ tickets: [first, second], offline: false }),
      submitRating: async () => ({ queued: true }),
      ...methods,
    });
    stores.push(made.store);
    return made;
  }

  it('by card: lists the served tickets, rates one, thanks, then the next one', async () => {
    const { store, kiosk, calls } = setup();
    store.getState().openRating();
    expect(store.getState().rating).toEqual({ phase: RatingPhase.Waiting });
    kiosk.emit('visitorIdentified', sampleVisitor());
    await settle();
    expect(calls.findRateableTickets).toEqual([{}]);
    expect(store.getState().rating).toMatchObject({ phase: RatingPhase.Choose, source: RatingSource.Card, tickets: [first, second] });

    store.getState().chooseRatingTicket(first.ticketId);
    store.getState().chooseRatingLevel(RatingDimension.Overall, RatingLevel.Satisfied);
    store.getState().chooseRatingLevel(RatingDimension.Attitude, RatingLevel.VerySatisfied);
    store.getState().toggleRatingPhrase(RatingPhrase.Patient);
    await store.getState().submitRating();
    const sent = calls.submitRating?.[0] as KioskRequest<'submitRating'>;
    expect(sent).toEqual({
      ratingId: expect.stringMatching(UUID),
      ticketId: first.ticketId,
      overall: RatingLevel.Satisfied,
      efficiency: RatingLevel.Satisfied,
      expertise: RatingLevel.Satisfied,
      attitude: RatingLevel.VerySatisfied,
      comment: '热情耐心',
    });
    expect(store.getState().rating).toMatchObject({ phase: RatingPhase.Thanks, number: 'A023', queued: true, tickets: [second] });

    // One ticket left: straight to its form.
    store.getState().rateNextTicket();
    expect(store.getState().rating).toMatchObject({ phase: RatingPhase.Form, ticket: second, submitting: false });
  });

  it('by a ticket QR scanned anywhere: that ticket, straight to its form', async () => {
    const scanned = sampleScan({ kind: ScanKind.Ticket, reference: 'A023' });
    const { store, calls } = setup({ submitScan: async () => scanned, findRateableTickets: async () => ({ tickets: [first], offline: false }) });
    await store.getState().submitScan(ticketQrPayload(first));
    await settle();
    expect(calls.findRateableTickets).toEqual([{ ticketId: first.ticketId, number: 'A023' }]);
    expect(store.getState()).toMatchObject({ screen: Screen.Rating, rating: { phase: RatingPhase.Form, source: RatingSource.Ticket, ticket: first } });
  });

  it('a ticket that cannot be rated (not served, or rated already) is said so', async () => {
    const { store } = setup({ findRateableTickets: async () => ({ tickets: [], offline: false }) });
    await store.getState().findRateableTickets({ ticketId: first.ticketId, number: 'A023' });
    expect(store.getState().rating).toMatchObject({ phase: RatingPhase.Choose, source: RatingSource.Ticket, tickets: [] });
  });

  it('needs every dimension before it submits', async () => {
    const { store, calls } = setup({ findRateableTickets: async () => ({ tickets: [first], offline: false }) });
    await store.getState().findRateableTickets({ ticketId: first.ticketId, number: 'A023' });
    store.getState().chooseRatingLevel(RatingDimension.Attitude, RatingLevel.Dissatisfied);
    await store.getState().submitRating();
    expect(calls.submitRating).toBeUndefined();
  });

  it('a failed submit keeps the draft, says so, and resends the same rating id', async () => {
    let fail = true;
    const { store, calls } = setup({
      findRateableTickets: async () => ({ tickets: [first], offline: false }),
      submitRating: async () => {
        if (fail) throw new KioskError(KioskErrorCode.StorageFailure, 'disk full');
        return { queued: true };
      },
    });
    await store.getState().findRateableTickets({ ticketId: first.ticketId, number: 'A023' });
    store.getState().chooseRatingLevel(RatingDimension.Overall, RatingLevel.VeryDissatisfied);
    await store.getState().submitRating();
    expect(store.getState().rating).toMatchObject({
      phase: RatingPhase.Form,
      submitting: false,
      error: { code: KioskErrorCode.StorageFailure },
      draft: { levels: { overall: RatingLevel.VeryDissatisfied } },
    });
    fail = false;
    await store.getState().submitRating();
    expect(calls.submitRating?.[1]?.ratingId).toBe(calls.submitRating?.[0]?.ratingId);
    expect(store.getState().rating.phase).toBe(RatingPhase.Thanks);
  });

  it('offline: says not every visit could be found, and still takes the rating (queued)', async () => {
    const { store, kiosk, calls } = setup({ findRateableTickets: async () => ({ tickets: [first], offline: true }) });
    kiosk.emit('visitorIdentified', sampleVisitor());
    store.getState().openRating();
    await settle();
    expect(store.getState().rating).toMatchObject({ phase: RatingPhase.Form, offline: true, ticket: first });
    store.getState().chooseRatingLevel(RatingDimension.Overall, RatingLevel.BasicallySatisfied);
    await store.getState().submitRating();
    expect(calls.submitRating).toHaveLength(1);
    expect(store.getState().rating).toMatchObject({ phase: RatingPhase.Thanks, queued: true, offline: true });
  });

  it('returns home soon after the thanks', async () => {
    const { store } = setup({ findRateableTickets: async () => ({ tickets: [first], offline: false }) });
    await store.getState().findRateableTickets({ ticketId: first.ticketId, number: 'A023' });
    store.getState().chooseRatingLevel(RatingDimension.Overall, RatingLevel.Satisfied);
    await store.getState().submitRating();
    await vi.advanceTimersByTimeAsync(RATING_THANKS_MS);
    expect(store.getState()).toMatchObject({ screen: Screen.Home, rating: { phase: RatingPhase.Waiting } });
  });

  it('a failed lookup by ticket is retried with that ticket', async () => {
    let fail = true;
    const { store, calls } = setup({
      findRateableTickets: async () => {
        if (fail) throw new KioskError(KioskErrorCode.ServiceUnavailable, 'down');
        return { tickets: [first], offline: false };
      },
    });
    await store.getState().findRateableTickets({ ticketId: first.ticketId, number: 'A023' });
    const failed = store.getState().rating;
    expect(failed).toMatchObject({ phase: RatingPhase.Failed, ticket: { ticketId: first.ticketId } });
    fail = false;
    await store.getState().findRateableTickets(failed.phase === RatingPhase.Failed ? failed.ticket : null);
    expect(calls.findRateableTickets?.[1]).toEqual({ ticketId: first.ticketId, number: 'A023' });
  });
});
