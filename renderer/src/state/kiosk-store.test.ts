import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KioskError, KioskErrorCode } from '../../../common/contract/errors.js';
import {
  ConnectivityState,
  PrinterState,
  PrintState,
  kioskEventNames,
  type KioskRequest,
  type TicketView,
} from '../../../common/contract/kiosk-api.js';
import { Language } from '../i18n/index.js';
import { deferred, fakeKioskApi } from '../testing/fake-kiosk-api.js';
import { sampleConnectivity, sampleHall, samplePrinter, sampleServices, sampleTicket } from '../testing/fixtures.js';
import { createKioskStore, ERROR_TOAST_MS, IDLE_RESET_MS, Screen, SERVICES_RETRY_MS, type KioskStore } from './kiosk-store.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('kiosk store', () => {
  let stores: KioskStore[] = [];
  const track = (store: KioskStore) => (stores.push(store), store);

  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    for (const s of stores) s.getState().dispose();
    stores = [];
    vi.useRealTimers();
  });

  /** A store whose takeTicket answers with `ticket` and records each request. */
  function ticketStore(ticket: TicketView = sampleTicket()) {
    const requests: KioskRequest<'takeTicket'>[] = [];
    let statusCalls = 0;
    const kiosk = fakeKioskApi({
      takeTicket: async (request) => (requests.push(request), ticket),
      getStatus: async () => (statusCalls++, { printer: samplePrinter(), connectivity: sampleConnectivity() }),
    });
    const store = track(createKioskStore(kiosk.api));
    return { store, kiosk, requests, statusCalls: () => statusCalls };
  }

  it('starts on the home screen in Chinese, idle', () => {
    const { store } = ticketStore();
    expect(store.getState()).toMatchObject({ screen: Screen.Home, language: Language.Zh, busy: false, ticket: null, error: null, servicesLoaded: false });
  });

  it('loads the hall and its services', async () => {
    const kiosk = fakeKioskApi({ listServices: async () => ({ hall: sampleHall, services: sampleServices }) });
    const store = track(createKioskStore(kiosk.api));
    await store.getState().loadServices();
    expect(store.getState()).toMatchObject({ hall: sampleHall, services: sampleServices, servicesLoaded: true });
  });

  it('shows a failed catalog load and retries it by itself', async () => {
    let attempts = 0;
    const kiosk = fakeKioskApi({
      listServices: async () => {
        attempts += 1;
        if (attempts === 1) throw new KioskError(KioskErrorCode.ServiceUnavailable, 'core down');
        return { hall: sampleHall, services: sampleServices };
      },
    });
    const store = track(createKioskStore(kiosk.api));
    await store.getState().loadServices();
    expect(store.getState().error).toEqual({ code: KioskErrorCode.ServiceUnavailable, detail: 'core down' });
    expect(store.getState().servicesLoaded).toBe(false);
    await vi.advanceTimersByTimeAsync(SERVICES_RETRY_MS);
    expect(attempts).toBe(2);
    expect(store.getState().services).toEqual(sampleServices);
  });

  it('lists its services again when the core pulled a new catalog (catalogChanged), and a failed reload shows no error', async () => {
    let answer: 'renamed' | 'fail' | 'first' = 'first';
    const renamed = sampleServices.map((s, i) => (i === 0 ? { ...s, name: { zh: '社保综合', en: 'Social Security' } } : s));
    const kiosk = fakeKioskApi({
      listServices: async () => {
        if (answer === 'fail') throw new KioskError(KioskErrorCode.ServiceUnavailable, 'core busy');
        return { hall: sampleHall, services: answer === 'renamed' ? renamed : sampleServices };
      },
    });
    const store = track(createKioskStore(kiosk.api));
    await store.getState().loadServices();
    answer = 'renamed';
    kiosk.emit('catalogChanged', { pulledAt: '2025-03-10T02:00:00.000Z' });
    await vi.waitFor(() => expect(store.getState().services[0]?.name.en).toBe('Social Security'));
    answer = 'fail';
    kiosk.emit('catalogChanged', { pulledAt: '2025-03-10T02:01:00.000Z' });
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getState().error).toBeNull();
    expect(store.getState().services).toEqual(renamed);
  });

  it('takes a ticket with a fresh requestId per tap and shows it', async () => {
    const { store, requests } = ticketStore();
    await store.getState().takeTicket('social-insurance');
    expect(store.getState()).toMatchObject({ screen: Screen.Ticket, ticket: sampleTicket(), busy: false });
    store.getState().backToHome();
    await store.getState().takeTicket('social-insurance');
    expect(requests).toHaveLength(2);
    for (const r of requests) {
      expect(r.serviceId).toBe('social-insurance');
      expect(r.requestId).toMatch(UUID);
    }
    expect(requests[0]?.requestId).not.toBe(requests[1]?.requestId);
  });

  it('ignores taps while a ticket request is in flight', async () => {
    const pending = deferred<TicketView>();
    let calls = 0;
    const kiosk = fakeKioskApi({ takeTicket: () => (calls++, pending.promise) });
    const store = track(createKioskStore(kiosk.api));
    const first = store.getState().takeTicket('social-insurance');
    expect(store.getState().busy).toBe(true);
    await store.getState().takeTicket('social-insurance');
    await store.getState().takeTicket('business-license');
    expect(calls).toBe(1);
    pending.resolve(sampleTicket());
    await first;
    expect(store.getState().busy).toBe(false);
    expect(store.getState().screen).toBe(Screen.Ticket);
  });

  it('stays home with a coded error when issuance fails, and the toast clears itself', async () => {
    const kiosk = fakeKioskApi({ takeTicket: () => Promise.reject(new KioskError(KioskErrorCode.StorageFailure, 'disk full')) });
    const store = track(createKioskStore(kiosk.api));
    await store.getState().takeTicket('social-insurance');
    expect(store.getState()).toMatchObject({ screen: Screen.Home, busy: false, error: { code: KioskErrorCode.StorageFailure, detail: 'disk full' } });
    await vi.advanceTimersByTimeAsync(ERROR_TOAST_MS);
    expect(store.getState().error).toBeNull();
  });

  it('maps errors without a known code to internal', async () => {
    const kiosk = fakeKioskApi({ takeTicket: () => Promise.reject(new TypeError('boom')) });
    const store = track(createKioskStore(kiosk.api));
    await store.getState().takeTicket('social-insurance');
    expect(store.getState().error?.code).toBe(KioskErrorCode.Internal);
    store.getState().dismissError();
    expect(store.getState().error).toBeNull();
  });

  it('updates the shown ticket from ticketUpdated events, and only that ticket', async () => {
    const { store, kiosk } = ticketStore(sampleTicket({ printState: PrintState.Printing }));
    await store.getState().takeTicket('social-insurance');
    kiosk.emit('ticketUpdated', sampleTicket({ ticketId: '0193a5e8-7f3c-7a4b-9c2d-000000000000', printState: PrintState.Failed }));
    expect(store.getState().ticket?.printState).toBe(PrintState.Printing);
    kiosk.emit('ticketUpdated', sampleTicket({ printState: PrintState.Printed }));
    expect(store.getState().ticket?.printState).toBe(PrintState.Printed);
  });

  it('keeps a print result that overtook the takeTicket reply', async () => {
    const pending = deferred<TicketView>();
    const kiosk = fakeKioskApi({ takeTicket: () => pending.promise });
    const store = track(createKioskStore(kiosk.api));
    const taking = store.getState().takeTicket('social-insurance');
    kiosk.emit('ticketUpdated', sampleTicket({ printState: PrintState.Failed }));
    pending.resolve(sampleTicket({ printState: PrintState.Printing }));
    await taking;
    expect(store.getState().ticket?.printState).toBe(PrintState.Failed);
  });

  it('never moves printing backwards on a late event', async () => {
    const { store, kiosk } = ticketStore(sampleTicket({ printState: PrintState.Printing }));
    await store.getState().takeTicket('social-insurance');
    kiosk.emit('ticketUpdated', sampleTicket({ printState: PrintState.Printed, peopleAhead: 3 }));
    kiosk.emit('ticketUpdated', sampleTicket({ printState: PrintState.Printing, peopleAhead: 2 }));
    expect(store.getState().ticket).toMatchObject({ printState: PrintState.Printed, peopleAhead: 2 });
  });

  it('returns home and to Chinese 20 s after a ticket is shown', async () => {
    const { store } = ticketStore();
    store.getState().toggleLanguage();
    await store.getState().takeTicket('social-insurance');
    await vi.advanceTimersByTimeAsync(IDLE_RESET_MS - 1);
    expect(store.getState().screen).toBe(Screen.Ticket);
    await vi.advanceTimersByTimeAsync(1);
    expect(store.getState()).toMatchObject({ screen: Screen.Home, ticket: null, language: Language.Zh });
  });

  it('honours a configured idle reset', async () => {
    const { kiosk } = ticketStore();
    const store = track(createKioskStore(kiosk.api, { idleResetMs: 1_000 }));
    await store.getState().takeTicket('social-insurance');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(store.getState().screen).toBe(Screen.Home);
  });

  it('Done goes home at once, keeps the language, refreshes status, and cancels the idle reset', async () => {
    const { store, statusCalls } = ticketStore();
    await store.getState().takeTicket('social-insurance');
    store.getState().toggleLanguage();
    store.getState().backToHome();
    expect(store.getState()).toMatchObject({ screen: Screen.Home, ticket: null, language: Language.En });
    await vi.advanceTimersByTimeAsync(0);
    expect(statusCalls()).toBe(1);
    expect(store.getState().connectivity).toEqual(sampleConnectivity());

    // A second ticket shown 19 s later must get its own full 20 s.
    await vi.advanceTimersByTimeAsync(IDLE_RESET_MS - 1_000);
    await store.getState().takeTicket('social-insurance');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(store.getState().screen).toBe(Screen.Ticket);
  });

  it('toggles the language both ways', () => {
    const { store } = ticketStore();
    store.getState().toggleLanguage();
    expect(store.getState().language).toBe(Language.En);
    store.getState().toggleLanguage();
    expect(store.getState().language).toBe(Language.Zh);
  });

  it('follows printer and connectivity events', () => {
    const { store, kiosk } = ticketStore();
    kiosk.emit('printerStatus', samplePrinter(PrinterState.PaperOut));
    kiosk.emit('connectivity', sampleConnectivity(ConnectivityState.Offline));
    expect(store.getState().printer?.state).toBe(PrinterState.PaperOut);
    expect(store.getState().connectivity?.state).toBe(ConnectivityState.Offline);
  });

  it('reads printer and connectivity on refresh, keeping them when the call fails', async () => {
    let fail = false;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const kiosk = fakeKioskApi({
      getStatus: async () => {
        if (fail) throw new KioskError(KioskErrorCode.ServiceUnavailable, 'down');
        return { printer: samplePrinter(PrinterState.CoverOpen), connectivity: sampleConnectivity() };
      },
    });
    const store = track(createKioskStore(kiosk.api));
    await store.getState().refreshStatus();
    fail = true;
    await store.getState().refreshStatus();
    expect(store.getState().printer?.state).toBe(PrinterState.CoverOpen);
    expect(store.getState().error).toBeNull();
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
  });

  it('dispose() unsubscribes from every event and stops timers', async () => {
    const { store, kiosk } = ticketStore();
    // One listener per contract event, so none is forgotten.
    expect(kiosk.listenerCount()).toBe(kioskEventNames.length);
    await store.getState().takeTicket('social-insurance');
    store.getState().dispose();
    expect(kiosk.listenerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(IDLE_RESET_MS);
    expect(store.getState().screen).toBe(Screen.Ticket);
    expect(vi.getTimerCount()).toBe(0);
  });
});
