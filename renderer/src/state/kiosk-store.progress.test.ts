import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KioskError, KioskErrorCode } from '../../../common/contract/errors.js';
import { VisitorClearReason, type KioskCasesView } from '../../../common/contract/kiosk-api.js';
import { deferred } from '../testing/fake-kiosk-api.js';
import { sampleCases, sampleRateable, sampleVisitor } from '../testing/fixtures.js';
import { journeyStore, settle, type KioskStore } from '../testing/journey-store.js';
import { PrintPhase } from './journeys/print-phase.js';
import { ProgressPhase } from './journeys/progress.js';
import { RatingPhase } from './journeys/rating.js';
import { Screen } from './kiosk-store.js';

describe('kiosk store: progress (办件进度) and card reuse', () => {
  let stores: KioskStore[] = [];
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    for (const s of stores) s.getState().dispose();
    stores = [];
    vi.useRealTimers();
  });

  function setup(methods = {}) {
    const made = journeyStore({ lookupCases: async () => sampleCases(), ...methods });
    stores.push(made.store);
    return made;
  }

  it('asks for the card, then shows the cases of the card read', async () => {
    const { store, kiosk, calls } = setup();
    store.getState().openProgress();
    expect(store.getState().progress).toEqual({ phase: ProgressPhase.NeedCard });
    expect(calls.lookupCases).toBeUndefined();
    kiosk.emit('visitorIdentified', sampleVisitor());
    expect(store.getState().progress.phase).toBe(ProgressPhase.Loading);
    await settle();
    expect(store.getState().progress).toEqual({ phase: ProgressPhase.Loaded, view: sampleCases(), slip: null });
  });

  it("don't ask twice: one card read serves progress and then rating, until Done ends the visit", async () => {
    const { store, kiosk, calls } = setup({ findRateableTickets: async () => ({ tickets: [sampleRateable()], offline: false }) });
    kiosk.emit('visitorIdentified', sampleVisitor());
    store.getState().openProgress();
    await settle();
    expect(calls.lookupCases).toEqual([{}]);
    store.getState().backToHome();
    store.getState().openRating();
    await settle();
    expect(calls.findRateableTickets).toEqual([{}]);
    expect(store.getState().rating.phase).toBe(RatingPhase.Form);

    await store.getState().endVisit();
    expect(calls.endVisit).toHaveLength(1);
    expect(store.getState()).toMatchObject({ screen: Screen.Home, visitor: null });
    store.getState().openProgress();
    expect(store.getState().progress.phase).toBe(ProgressPhase.NeedCard);
    expect(calls.lookupCases).toHaveLength(1);
  });

  it('a second card while the first lookup runs: only the second visitor\'s cases are shown', async () => {
    const first = deferred<KioskCasesView>();
    const second = deferred<KioskCasesView>();
    const replies = [first, second];
    const { store, kiosk } = setup({ lookupCases: () => replies.shift()?.promise });
    store.getState().openProgress();
    kiosk.emit('visitorIdentified', sampleVisitor());
    kiosk.emit('visitorIdentified', sampleVisitor({ maskedName: '王*' }));
    second.resolve(sampleCases({ cases: [] }));
    await settle();
    first.resolve(sampleCases());
    await settle();
    expect(store.getState().progress).toMatchObject({ phase: ProgressPhase.Loaded, view: { cases: [] } });
  });

  it('the cases leave the screen with the card (idle wipe in the core)', async () => {
    const { store, kiosk } = setup();
    kiosk.emit('visitorIdentified', sampleVisitor());
    store.getState().openProgress();
    await settle();
    kiosk.emit('visitorCleared', { reason: VisitorClearReason.Idle });
    expect(store.getState()).toMatchObject({ screen: Screen.Home, progress: { phase: ProgressPhase.NeedCard } });
  });

  it('keeps cached cases as the core gave them (age and all)', async () => {
    const cached = sampleCases({ fromCache: true, fetchedAt: '2025-03-04T05:55:00.000Z' });
    const { store, kiosk } = setup({ lookupCases: async () => cached });
    kiosk.emit('visitorIdentified', sampleVisitor());
    store.getState().openProgress();
    await settle();
    expect(store.getState().progress).toMatchObject({ phase: ProgressPhase.Loaded, view: { fromCache: true, fetchedAt: '2025-03-04T05:55:00.000Z' } });
  });

  it('a failed lookup says so and can be retried', async () => {
    let fail = true;
    const { store, kiosk } = setup({
      lookupCases: async () => {
        if (fail) throw new KioskError(KioskErrorCode.ServiceUnavailable, 'portal down, nothing cached');
        return sampleCases();
      },
    });
    kiosk.emit('visitorIdentified', sampleVisitor());
    store.getState().openProgress();
    await settle();
    expect(store.getState().progress).toMatchObject({ phase: ProgressPhase.Failed, error: { code: KioskErrorCode.ServiceUnavailable } });
    fail = false;
    await store.getState().loadCases();
    expect(store.getState().progress.phase).toBe(ProgressPhase.Loaded);
  });

  it('prints the verification slip of a case with a certificate, and only of such a case', async () => {
    const { store, kiosk, calls } = setup({ printCertificateSlip: async () => ({ printed: true }) });
    kiosk.emit('visitorIdentified', sampleVisitor());
    store.getState().openProgress();
    await settle();
    await store.getState().printCertificateSlip('SB-20250301-0007');
    expect(calls.printCertificateSlip).toBeUndefined();
    await store.getState().printCertificateSlip('SB-20250220-0003');
    expect(calls.printCertificateSlip).toEqual([{ caseNumber: 'SB-20250220-0003' }]);
    expect(store.getState().progress).toMatchObject({ slip: { caseNumber: 'SB-20250220-0003', phase: PrintPhase.Printed } });
  });
});
