import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TicketStatus } from '../../../../common/contract/counter-api.js';
import { HallEventKind } from '../../../../common/contract/hall-events.js';
import { Priority } from '../../../../common/domain/priority.js';
import type { AnnouncedCall } from '../../../../common/browser/voice/announcement-queue.js';
import { FeedStatus, type HallEventFeedOptions } from '../../shared/live/hall-event-feed.js';
import { fakePortal, type FakeHandler } from '../../testing/fake-portal.js';
import { NOW, NOW_ISO, calledEvent, sampleDisplayState, sampleUuid } from '../../testing/fixtures.js';
import { ANNOUNCE_MAX_AGE_MS, BOARD_SIZE, createDisplayStore, DisplayPhase, FRESH_MS, type DisplayStore } from './display-store.js';

describe('display store', () => {
  let stores: DisplayStore[] = [];
  let feeds: HallEventFeedOptions[] = [];
  let said: AnnouncedCall[] = [];
  let restarts: number[] = [];

  function displayWith(handlers: Record<string, FakeHandler>, token: string | null = 'display-token') {
    const portal = fakePortal(handlers);
    const store = createDisplayStore({
      client: portal.client({ bearerToken: () => token }),
      token,
      openFeed: (options) => {
        feeds.push(options);
        return { restartFrom: (seq: number) => void restarts.push(seq), close: () => undefined };
      },
      announce: (call) => said.push(call),
      retryMs: 1_000,
    });
    stores.push(store);
    return { store, portal };
  }

  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(NOW);
  });
  afterEach(() => {
    for (const s of stores) s.getState().dispose();
    stores = [];
    feeds = [];
    said = [];
    restarts = [];
    vi.useRealTimers();
  });

  it('loads the snapshot, then follows the stream after its last event, with the bearer token', async () => {
    const { store, portal } = displayWith({ 'GET /v1/display/state': () => ({ body: sampleDisplayState({ lastEventSeq: 41 }) }) });
    await store.getState().start();
    expect(store.getState().phase).toBe(DisplayPhase.Showing);
    expect(store.getState().waiting).toEqual({ 'social-insurance': 4, 'housing-fund': 0 });
    expect(portal.requests[0]?.headers.authorization).toBe('Bearer display-token');
    expect(feeds).toHaveLength(1);
    expect(feeds[0]?.url).toBe('http://portal.test/v1/display/events');
    expect(feeds[0]?.lastEventId).toBe(41);
    expect(feeds[0]?.headers?.()).toEqual({ authorization: 'Bearer display-token' });
  });

  it('puts a call on top, blinking for a while, announces it, and shows a recall once', async () => {
    const { store } = displayWith({ 'GET /v1/display/state': () => ({ body: sampleDisplayState() }) });
    await store.getState().start();
    const ticketId = sampleUuid();
    store.getState().applyEvent(calledEvent(11, { ticketId, number: 'A051', counterNumber: 3 }));
    store.getState().applyEvent(calledEvent(12, { number: 'C007', counterNumber: 5 }));
    store.getState().applyEvent(calledEvent(13, { ticketId, number: 'A051', counterNumber: 3, recall: true }));
    const { calls, fresh } = store.getState();
    expect(calls.map((c) => `${c.number}>${c.counterNumber}${c.recall ? '+' : ''}`)).toEqual(['A051>3+', 'C007>5']);
    expect(fresh[ticketId]).toBe(true);
    expect(said.map((c) => `${c.number}${c.recall ? '+' : ''}`)).toEqual(['A051', 'C007', 'A051+']);
    await vi.advanceTimersByTimeAsync(FRESH_MS + 10);
    expect(store.getState().fresh).toEqual({});
  });

  it('applies each event once (a replay after a reconnect repeats some) and keeps the board short', async () => {
    const { store } = displayWith({ 'GET /v1/display/state': () => ({ body: sampleDisplayState({ lastEventSeq: 10 }) }) });
    await store.getState().start();
    store.getState().applyEvent(calledEvent(10, { number: 'Z999' }));
    expect(store.getState().calls).toEqual([]);
    for (let seq = 11; seq <= 11 + BOARD_SIZE; seq++) store.getState().applyEvent(calledEvent(seq, { number: `A${String(seq).padStart(3, '0')}` }));
    store.getState().applyEvent(calledEvent(15, { number: 'A015' }));
    expect(store.getState().calls).toHaveLength(BOARD_SIZE);
    expect(store.getState().calls[0]?.number).toBe(`A0${11 + BOARD_SIZE}`);
    expect(said).toHaveLength(BOARD_SIZE + 1);
  });

  it('shows but does not say a call replayed long after it was made', async () => {
    const { store } = displayWith({ 'GET /v1/display/state': () => ({ body: sampleDisplayState() }) });
    await store.getState().start();
    const old = new Date(NOW - ANNOUNCE_MAX_AGE_MS - 5_000).toISOString();
    store.getState().applyEvent(calledEvent(11, { number: 'A001', at: old }));
    store.getState().applyEvent(calledEvent(12, { number: 'A002', at: NOW_ISO }));
    expect(store.getState().calls.map((c) => c.number)).toEqual(['A002', 'A001']);
    expect(said.map((c) => c.number)).toEqual(['A002']);
  });

  it('marks what became of a called ticket, and follows waiting counts and settings', async () => {
    const { store } = displayWith({ 'GET /v1/display/state': () => ({ body: sampleDisplayState() }) });
    await store.getState().start();
    const ticketId = sampleUuid();
    store.getState().applyEvent(calledEvent(11, { ticketId, number: 'A051' }));
    store.getState().applyEvent({
      kind: HallEventKind.TicketUpdated,
      seq: 12,
      at: NOW_ISO,
      payload: { ticketId, number: 'A051', serviceId: 'social-insurance', status: TicketStatus.NoShow, priority: Priority.Normal, counterId: 'window-3' },
    });
    store.getState().applyEvent({ kind: HallEventKind.QueueWaiting, seq: 13, at: NOW_ISO, payload: { counts: [{ serviceId: 'housing-fund', waiting: 7 }] } });
    store.getState().applyEvent({ kind: HallEventKind.DisplaySettings, seq: 14, at: NOW_ISO, payload: { notice: null, voiceRepeat: 3, voiceEnglish: true } });
    expect(store.getState().calls[0]?.status).toBe(TicketStatus.NoShow);
    expect(store.getState().waiting).toEqual({ 'social-insurance': 4, 'housing-fund': 7 });
    expect(store.getState().settings).toEqual({ notice: null, voiceRepeat: 3, voiceEnglish: true });
  });

  it('reloads the snapshot when the stream cannot replay what was missed', async () => {
    let seq = 10;
    const { store, portal } = displayWith({ 'GET /v1/display/state': () => ({ body: sampleDisplayState({ lastEventSeq: seq }) }) });
    await store.getState().start();
    // A restored database: the hall's events start over below what the display saw.
    seq = 7;
    feeds[0]?.onResync(5);
    await vi.advanceTimersByTimeAsync(0);
    expect(portal.requests).toHaveLength(2);
    expect(store.getState().lastSeq).toBe(7);
    expect(restarts).toEqual([7]);
    store.getState().applyEvent(calledEvent(8, { number: 'B001' }));
    expect(store.getState().calls[0]?.number).toBe('B001');
  });

  it('says it is not set up without a token, and refused when the portal refuses it', async () => {
    const none = displayWith({}, null);
    await none.store.getState().start();
    expect(none.store.getState().phase).toBe(DisplayPhase.NoToken);
    expect(none.portal.requests).toEqual([]);

    const refused = displayWith({ 'GET /v1/display/state': () => ({ status: 401, body: { code: 'unauthorized', message: 'unknown token' } }) });
    await refused.store.getState().start();
    expect(refused.store.getState().phase).toBe(DisplayPhase.Refused);
    expect(feeds).toEqual([]);
  });

  it('retries the snapshot while the portal is down, and shows the feed state', async () => {
    let up = false;
    const { store } = displayWith({
      'GET /v1/display/state': () => (up ? { body: sampleDisplayState() } : { status: 503, body: { code: 'service-unavailable', message: 'database busy' } }),
    });
    await store.getState().start();
    expect(store.getState().phase).toBe(DisplayPhase.Loading);
    expect(store.getState().error?.code).toBe('service-unavailable');
    up = true;
    await vi.advanceTimersByTimeAsync(1_100);
    expect(store.getState().phase).toBe(DisplayPhase.Showing);
    feeds[0]?.onStatus(FeedStatus.Reconnecting);
    expect(store.getState().feed).toBe(FeedStatus.Reconnecting);
  });
});
