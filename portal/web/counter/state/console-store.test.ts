import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CounterState, TicketStatus, type CounterView } from '../../../../common/contract/counter-api.js';
import { PortalErrorCode } from '../../../../common/contract/errors.js';
import { RatingLevel } from '../../../../common/contract/ratings-api.js';
import { HallEventKind, type HallEventEnvelope } from '../../../../common/contract/hall-events.js';
import { Priority } from '../../../../common/domain/priority.js';
import { FeedStatus, type HallEventFeedOptions } from '../../shared/live/hall-event-feed.js';
import { fakePortal, type FakeHandler } from '../../testing/fake-portal.js';
import { NOW, calledEvent, sampleCatalog, sampleCounter, sampleQueue, sampleSession, sampleTicket, waiting } from '../../testing/fixtures.js';
import { ConsoleAction } from './console-actions.js';
import { ConsolePhase, COUNTER_STORAGE_KEY, createConsoleStore, type ConsoleStore } from './console-store.js';

const unauthorized = { status: 401, body: { code: 'unauthorized', message: 'no session' } };

/** A hall with one counter (window-3) and the portal's answers a signed-in clerk gets. */
function hall(overrides: Record<string, FakeHandler> = {}) {
  let counter: CounterView = sampleCounter({ staffId: null, staffName: null, state: CounterState.SignedOut });
  const portal = fakePortal({
    'GET /v1/public/halls': () => ({ body: { halls: [{ hallId: 'demo-city-hall', name: sampleCatalog.hall.name }] } }),
    'GET /v1/staff/session': () => unauthorized,
    'POST /v1/staff/sign-in': () => ({ body: sampleSession }),
    'POST /v1/staff/sign-out': () => ({ body: { signedOut: true } }),
    'GET /v1/counter/counters': () => ({ body: { counters: [counter], serverTime: new Date(NOW + 60_000).toISOString() } }),
    'GET /v1/counter/catalog': () => ({ body: sampleCatalog }),
    'GET /v1/counter/queue': () => ({ body: sampleQueue({ waiting: [waiting(1, { number: 'A052' })] }) }),
    'POST /v1/counter/counters/window-3/sign-in': () => {
      counter = { ...counter, staffId: 'clerk1', staffName: '李娜', state: CounterState.Idle };
      return { body: { counter } };
    },
    'POST /v1/counter/counters/window-3/sign-out': () => {
      counter = { ...counter, staffId: null, staffName: null, state: CounterState.SignedOut };
      return { body: { counter } };
    },
    ...overrides,
  });
  return { portal, setCounter: (c: CounterView) => (counter = c), counter: () => counter };
}

function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
    removeItem: (k: string) => void items.delete(k),
    items,
  };
}

describe('console store', () => {
  let stores: ConsoleStore[] = [];
  let feeds: (HallEventFeedOptions & { closed: boolean })[] = [];

  function storeFor(h: ReturnType<typeof hall>, storage = memoryStorage()) {
    let csrf: string | null = null;
    const client = h.portal.client({ csrfToken: () => csrf });
    const store = createConsoleStore({
      client,
      storage,
      now: () => Date.now(),
      openFeed: (options) => {
        const feed = { ...options, closed: false };
        feeds.push(feed);
        return { restartFrom: () => undefined, close: () => void (feed.closed = true) };
      },
    });
    store.subscribe((s) => (csrf = s.session?.csrfToken ?? null));
    stores.push(store);
    return store;
  }

  async function signedInAtCounter(h = hall()) {
    const store = storeFor(h);
    await store.getState().start();
    await store.getState().signIn('demo-city-hall', 'clerk1', 'demo-password');
    await store.getState().chooseCounter('window-3', []);
    return store;
  }

  beforeEach(() => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    vi.setSystemTime(NOW);
  });
  afterEach(() => {
    for (const s of stores) s.getState().dispose();
    stores = [];
    feeds = [];
    vi.useRealTimers();
  });

  it('starts on the sign-in form with the halls when the browser has no session', async () => {
    const store = storeFor(hall());
    await store.getState().start();
    expect(store.getState().phase).toBe(ConsolePhase.SignIn);
    expect(store.getState().halls.map((h) => h.hallId)).toEqual(['demo-city-hall']);
    expect(store.getState().error).toBeNull();
  });

  it('signs in, keeps the CSRF token in memory and sends it on every write', async () => {
    const h = hall();
    const store = await signedInAtCounter(h);
    expect(store.getState().phase).toBe(ConsolePhase.Console);
    expect(store.getState().session?.csrfToken).toBe(sampleSession.csrfToken);
    const writes = h.portal.requests.filter((r) => r.method === 'POST');
    expect(writes.map((r) => r.path)).toEqual(['/v1/staff/sign-in', '/v1/counter/counters/window-3/sign-in']);
    // The sign-in itself goes before there is a token; every write after it carries it.
    expect(writes[0]?.headers['x-csrf-token']).toBeUndefined();
    expect(writes[1]?.headers['x-csrf-token']).toBe(sampleSession.csrfToken);
    expect(writes[0]?.body).toEqual({ hallId: 'demo-city-hall', username: 'clerk1', password: 'demo-password' });
    // Waited minutes count on the portal's clock.
    expect(store.getState().clockOffsetMs).toBeGreaterThanOrEqual(59_000);
  });

  it('follows the counter event stream and reloads the queue once per burst of events', async () => {
    const h = hall();
    await signedInAtCounter(h);
    expect(feeds).toHaveLength(1);
    expect(feeds[0]?.url).toBe('http://portal.test/v1/counter/events');
    const queueLoads = () => h.portal.requests.filter((r) => r.path === '/v1/counter/queue').length;
    const before = queueLoads();
    const updated: HallEventEnvelope = {
      kind: HallEventKind.TicketUpdated,
      seq: 12,
      at: new Date(NOW).toISOString(),
      payload: { ticketId: sampleTicket().ticketId, number: 'A052', serviceId: 'social-insurance', status: TicketStatus.Called, priority: Priority.Normal, counterId: 'window-4' },
    };
    feeds[0]?.onEvent(calledEvent(11));
    feeds[0]?.onEvent(updated);
    feeds[0]?.onEvent({ kind: HallEventKind.QueueWaiting, seq: 13, at: updated.at, payload: { counts: [] } });
    expect(queueLoads()).toBe(before);
    await vi.advanceTimersByTimeAsync(300);
    expect(queueLoads()).toBe(before + 1);
    // Back after an outage: reloaded even without an event.
    feeds[0]?.onStatus(FeedStatus.Reconnecting);
    feeds[0]?.onStatus(FeedStatus.Live);
    await vi.advanceTimersByTimeAsync(10);
    expect(queueLoads()).toBe(before + 2);
  });

  it('calls the next ticket and shows it as the current visitor at once, before the reload', async () => {
    const called = sampleTicket({ number: 'A052', status: TicketStatus.Called, counterId: 'window-3', callCount: 1, calledAt: new Date(NOW).toISOString() });
    const h = hall();
    let release: () => void = () => undefined;
    h.portal.handlers['POST /v1/counter/call-next'] = () => ({ body: { ticket: called } });
    const store = await signedInAtCounter(h);
    // The reload after the call hangs: the call's own answer is what the clerk sees meanwhile.
    h.portal.handlers['GET /v1/counter/counters'] = () => new Promise((resolve) => (release = () => resolve({ body: { counters: [h.counter()], serverTime: new Date(NOW).toISOString() } })));
    const pressing = store.getState().press(ConsoleAction.CallNext);
    await vi.waitFor(() => expect(store.getState().busy).toBe(false));
    const mine = () => store.getState().counters.find((c) => c.counterId === 'window-3');
    expect(mine()?.currentTicket?.number).toBe('A052');
    expect(h.portal.requests.find((r) => r.path === '/v1/counter/call-next')?.body).toEqual({ counterId: 'window-3', serviceIds: [] });
    release();
    await pressing;
  });

  it('says so when nobody is waiting', async () => {
    const store = await signedInAtCounter(hall({ 'POST /v1/counter/call-next': () => ({ body: { ticket: null } }) }));
    await store.getState().press(ConsoleAction.CallNext);
    expect(store.getState().nobodyWaiting).toBe(true);
  });

  it('opens a dialog for complete, call back and transfer, and sends what was chosen', async () => {
    const current = sampleTicket({ status: TicketStatus.Serving, counterId: 'window-3', callCount: 1 });
    const h = hall({
      [`POST /v1/counter/tickets/${current.ticketId}/complete`]: () => ({ body: { ticket: { ...current, status: TicketStatus.Done, caseNumber: 'SB-2025-0042' } } }),
      [`POST /v1/counter/tickets/${current.ticketId}/transfer`]: () => ({ body: { ticket: { ...current, status: TicketStatus.Waiting } } }),
    });
    const store = await signedInAtCounter(h);
    h.setCounter({ ...h.counter(), state: CounterState.Busy, currentTicket: current });
    await store.getState().refresh();

    await store.getState().press(ConsoleAction.Complete);
    expect(store.getState().dialog).toEqual({ kind: ConsoleAction.Complete });
    await store.getState().complete('  SB-2025-0042 ');
    expect(h.portal.requests.at(-3)?.body).toEqual({ caseNumber: 'SB-2025-0042' });
    expect(store.getState().dialog).toBeNull();

    h.setCounter({ ...h.counter(), state: CounterState.Busy, currentTicket: current });
    await store.getState().refresh();
    await store.getState().press(ConsoleAction.Transfer);
    await store.getState().transfer({ counterId: 'window-7', priority: Priority.GreenChannel });
    const transfer = h.portal.requests.find((r) => r.path.endsWith('/transfer'));
    expect(transfer?.body).toEqual({ counterId: 'window-7', priority: Priority.GreenChannel });
    expect(transfer?.headers['x-csrf-token']).toBe(sampleSession.csrfToken);
  });

  it('offers the visitor the rating prompt after a completion, posts the rating once, and lets it be skipped', async () => {
    const current = sampleTicket({ number: 'A051', status: TicketStatus.Serving, counterId: 'window-3', callCount: 1 });
    const ratingPath = `/v1/counter/tickets/${current.ticketId}/rating`;
    const h = hall({
      [`POST /v1/counter/tickets/${current.ticketId}/complete`]: () => ({ body: { ticket: { ...current, status: TicketStatus.Done } } }),
      [`POST ${ratingPath}`]: (request) => ({
        body: {
          rating: {
            ...(request.body as object),
            ratingId: '0f8fad5b-d9cb-469f-a165-70867728950e',
            ticketId: current.ticketId,
            number: 'A051',
            businessDay: '2025-03-10',
            serviceId: 'social-insurance',
            counterId: 'window-3',
            staffId: 'clerk1',
            channel: 'counter',
            ratedAt: new Date(NOW).toISOString(),
          },
        },
      }),
    });
    const store = await signedInAtCounter(h);
    const completeCurrent = async () => {
      h.setCounter({ ...h.counter(), state: CounterState.Busy, currentTicket: current });
      await store.getState().refresh();
      await store.getState().complete(null);
    };
    await completeCurrent();
    expect(store.getState().ratingPrompt).toEqual({ ticketId: current.ticketId, number: 'A051' });
    const rating = { overall: RatingLevel.Dissatisfied, efficiency: RatingLevel.Satisfied, expertise: RatingLevel.Dissatisfied, attitude: RatingLevel.Dissatisfied, comment: '等太久' };
    await store.getState().submitRating(rating);
    const posted = h.portal.requests.filter((r) => r.path === ratingPath);
    expect(posted.map((r) => [r.body, r.headers['x-csrf-token']])).toEqual([[rating, sampleSession.csrfToken]]);
    expect(store.getState()).toMatchObject({ ratingPrompt: null, ratingThanks: true, error: null });
    // Nothing left to post: a second submit sends nothing.
    await store.getState().submitRating(rating);
    expect(h.portal.requests.filter((r) => r.path === ratingPath)).toHaveLength(1);

    // Skipped by the clerk, or by moving on to the next visitor (F1).
    await completeCurrent();
    store.getState().skipRating();
    expect(store.getState().ratingPrompt).toBeNull();
    await completeCurrent();
    h.portal.handlers['POST /v1/counter/call-next'] = () => ({ body: { ticket: null } });
    await store.getState().press(ConsoleAction.CallNext);
    expect(store.getState()).toMatchObject({ ratingPrompt: null, ratingThanks: false });

    // Rated at the kiosk meanwhile: the clerk reads why, and the prompt goes.
    await completeCurrent();
    h.portal.handlers[`POST ${ratingPath}`] = () => ({ status: 409, body: { code: 'already-rated', message: 'rated already' } });
    await store.getState().submitRating(rating);
    expect(store.getState().error?.code).toBe(PortalErrorCode.AlreadyRated);
    expect(store.getState().ratingPrompt).toBeNull();
  });

  it('shows a refused transition in the clerk’s words and reloads what the ticket is now', async () => {
    const current = sampleTicket({ status: TicketStatus.Called, counterId: 'window-3', callCount: 1 });
    const h = hall({
      [`POST /v1/counter/tickets/${current.ticketId}/start`]: () => ({ status: 409, body: { code: 'invalid-transition', message: 'ticket is done' } }),
    });
    const store = await signedInAtCounter(h);
    h.setCounter({ ...h.counter(), state: CounterState.Busy, currentTicket: current });
    await store.getState().refresh();
    const loads = h.portal.requests.length;
    await store.getState().press(ConsoleAction.Start);
    expect(store.getState().error?.code).toBe(PortalErrorCode.InvalidTransition);
    expect(h.portal.requests.slice(loads + 1).map((r) => r.path).sort()).toEqual(['/v1/counter/counters', '/v1/counter/queue']);
  });

  it('goes back to sign-in when the session ends under it', async () => {
    const h = hall();
    const store = await signedInAtCounter(h);
    h.portal.handlers['POST /v1/counter/call-next'] = () => unauthorized;
    await store.getState().press(ConsoleAction.CallNext);
    expect(store.getState().phase).toBe(ConsolePhase.SignIn);
    expect(store.getState().session).toBeNull();
    expect(store.getState().error?.code).toBe(PortalErrorCode.Unauthorized);
    expect(feeds[0]?.closed).toBe(true);
  });

  it('comes back to its counter after a reload, with the session the cookie still holds', async () => {
    const h = hall({ 'GET /v1/staff/session': () => ({ body: sampleSession }) });
    h.setCounter(sampleCounter({ staffId: 'clerk1', state: CounterState.Idle }));
    const store = storeFor(h, memoryStorage({ [COUNTER_STORAGE_KEY]: 'window-3' }));
    await store.getState().start();
    expect(store.getState().phase).toBe(ConsolePhase.Console);
    expect(store.getState().counterId).toBe('window-3');
    expect(h.portal.requests.some((r) => r.path.endsWith('/sign-in'))).toBe(false);
  });

  it('frees the counter, then ends the session, on sign-out', async () => {
    const h = hall();
    const storage = memoryStorage();
    const store = storeFor(h, storage);
    await store.getState().start();
    await store.getState().signIn('demo-city-hall', 'clerk1', 'demo-password');
    await store.getState().chooseCounter('window-3', ['housing-fund']);
    expect(storage.items.get(COUNTER_STORAGE_KEY)).toBe('window-3');
    expect(h.portal.requests.find((r) => r.path === '/v1/counter/counters/window-3/sign-in')?.body).toEqual({ serviceIds: ['housing-fund'] });
    await store.getState().signOut();
    const posts = h.portal.requests.filter((r) => r.method === 'POST').map((r) => r.path);
    expect(posts.slice(-2)).toEqual(['/v1/counter/counters/window-3/sign-out', '/v1/staff/sign-out']);
    expect(store.getState().phase).toBe(ConsolePhase.SignIn);
    expect(storage.items.has(COUNTER_STORAGE_KEY)).toBe(false);
  });
});
