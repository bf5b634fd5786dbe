import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KioskError, KioskErrorCode } from '../../../common/contract/errors.js';
import { deferred } from '../testing/fake-kiosk-api.js';
import { sampleTicket, sampleVisitor } from '../testing/fixtures.js';
import { journeyStore, settle, type KioskStore } from '../testing/journey-store.js';
import { GUIDE_QUERY_MAX } from './journeys/guide.js';
import { PrintPhase } from './journeys/print-phase.js';
import { Screen } from './kiosk-store.js';

describe('kiosk store: guide (办事指南)', () => {
  let stores: KioskStore[] = [];
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    for (const s of stores) s.getState().dispose();
    stores = [];
    vi.useRealTimers();
  });

  function setup(methods = {}) {
    const made = journeyStore(methods);
    stores.push(made.store);
    return made;
  }

  it('types letters on the on-screen keyboard: a–z only, delete, clear, bounded', () => {
    const { store } = setup();
    store.getState().openGuide();
    for (const key of ['g', 'J', '1', ' ', 'j']) store.getState().typeGuideKey(key);
    expect(store.getState().guide.query).toBe('gjj');
    store.getState().eraseGuideKey();
    expect(store.getState().guide.query).toBe('gj');
    store.getState().clearGuideQuery();
    expect(store.getState().guide.query).toBe('');
    for (let i = 0; i < GUIDE_QUERY_MAX + 5; i += 1) store.getState().typeGuideKey('a');
    expect(store.getState().guide.query).toHaveLength(GUIDE_QUERY_MAX);
  });

  it('opens a service guide, keeps the search when going back, and starts afresh next time', () => {
    const { store } = setup();
    store.getState().openGuide();
    store.getState().typeGuideKey('s');
    store.getState().openGuideService('no-such-service');
    expect(store.getState().guide.serviceId).toBeNull();
    store.getState().openGuideService('social-insurance');
    expect(store.getState().guide).toMatchObject({ serviceId: 'social-insurance', query: 's' });
    store.getState().closeGuideService();
    expect(store.getState().guide).toMatchObject({ serviceId: null, query: 's' });
    store.getState().backToHome();
    store.getState().openGuide();
    expect(store.getState().guide).toEqual({ query: '', serviceId: null, print: null });
  });

  it('prints the materials list once per tap, and says whether it printed', async () => {
    const pending = deferred<{ printed: boolean }>();
    const { store, calls } = setup({ printGuide: () => pending.promise });
    store.getState().openGuide();
    store.getState().openGuideService('social-insurance');
    const printing = store.getState().printGuide();
    await store.getState().printGuide();
    expect(calls.printGuide).toEqual([{ serviceId: 'social-insurance' }]);
    expect(store.getState().guide.print).toEqual({ serviceId: 'social-insurance', phase: PrintPhase.Printing });
    pending.resolve({ printed: true });
    await printing;
    expect(store.getState().guide.print).toEqual({ serviceId: 'social-insurance', phase: PrintPhase.Printed });
  });

  it('a print the printer refused, or a failed call, is a failed print', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    let answer: () => Promise<{ printed: boolean }> = async () => ({ printed: false });
    const { store } = setup({ printGuide: () => answer() });
    store.getState().openGuide();
    store.getState().openGuideService('social-insurance');
    await store.getState().printGuide();
    expect(store.getState().guide.print?.phase).toBe(PrintPhase.Failed);
    answer = () => Promise.reject(new KioskError(KioskErrorCode.PrinterUnavailable, 'paper out'));
    await store.getState().printGuide();
    expect(store.getState().guide.print?.phase).toBe(PrintPhase.Failed);
    expect(store.getState().error).toBeNull();
    warn.mockRestore();
  });

  it('a print result for a guide the visitor has left is not shown on another', async () => {
    const pending = deferred<{ printed: boolean }>();
    const { store } = setup({ printGuide: () => pending.promise });
    store.getState().openGuide();
    store.getState().openGuideService('social-insurance');
    const printing = store.getState().printGuide();
    store.getState().closeGuideService();
    store.getState().openGuideService('housing-fund');
    pending.resolve({ printed: true });
    await printing;
    expect(store.getState().guide.print).toBeNull();
  });

  it('a card read while reading a guide keeps the guide open (the visitor may take a ticket with it)', () => {
    const { store, kiosk } = setup();
    store.getState().openGuide();
    store.getState().openGuideService('social-insurance');
    kiosk.emit('visitorIdentified', sampleVisitor());
    expect(store.getState()).toMatchObject({ screen: Screen.Guide, guide: { serviceId: 'social-insurance' }, visitor: { maskedName: '刘*䶮' } });
  });

  it('takes a ticket for the service from its guide', async () => {
    const { store, calls } = setup({ takeTicket: async () => sampleTicket() });
    store.getState().openGuide();
    store.getState().openGuideService('social-insurance');
    await store.getState().takeTicket('social-insurance');
    await settle();
    expect(calls.takeTicket?.[0]).toMatchObject({ serviceId: 'social-insurance' });
    expect(store.getState()).toMatchObject({ screen: Screen.Ticket, guide: { serviceId: null } });
  });
});
