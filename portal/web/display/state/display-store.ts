import { createStore, type StoreApi } from 'zustand/vanilla';
import type { LocalizedText } from '../../../../common/contract/catalog.js';
import { TicketStatus } from '../../../../common/contract/counter-api.js';
import { displayRoutes, EVENT_STREAM_PATHS, type DisplayStateResponse } from '../../../../common/contract/display-api.js';
import { HallEventKind, type DisplaySettingsPayload, type HallEventEnvelope } from '../../../../common/contract/hall-events.js';
import type { AnnouncedCall } from '../../../../common/browser/voice/announcement-queue.js';
import { PortalErrorCode } from '../../../../common/contract/errors.js';
import type { PortalClient } from '../../shared/api/portal-client.js';
import { toUiError, type UiError } from '../../shared/api/ui-error.js';
import { clockOffsetMs } from '../../shared/format/time.js';
import { FeedStatus, type HallEventFeed, type OpenHallEventFeed } from '../../shared/live/hall-event-feed.js';

export enum DisplayPhase {
  /** No display token in the URL or in storage: the page says how to set one up. */
  NoToken = 'no-token',
  Loading = 'loading',
  Showing = 'showing',
  /** The portal refused the token (revoked, mistyped). */
  Refused = 'refused',
}

/** A call on the board: who, where, and what became of the ticket since. */
export interface BoardCall {
  ticketId: string;
  number: string;
  counterNumber: number;
  counterName: LocalizedText;
  recall: boolean;
  calledAt: string;
  /** Called until the ticket moves on (serving, held, no-show, done, transferred). */
  status: TicketStatus;
}

export interface DisplayState {
  phase: DisplayPhase;
  hall: DisplayStateResponse['hall'] | null;
  settings: DisplaySettingsPayload;
  services: DisplayStateResponse['services'];
  waiting: Readonly<Record<string, number>>;
  /** Newest first, one line per ticket. */
  calls: BoardCall[];
  /** Ticket ids whose call is new: they blink for a few seconds. */
  fresh: Readonly<Record<string, true>>;
  lastSeq: number;
  feed: FeedStatus;
  /** Portal clock minus this machine's: the clock on the wall shows the portal's time. */
  clockOffsetMs: number;
  error: UiError | null;
  /** The browser refuses to play sound (no autoplay permission): the wall says how to fix it. */
  audioBlocked: boolean;
}

export interface DisplayActions {
  start(): Promise<void>;
  applyEvent(event: HallEventEnvelope): void;
  dispose(): void;
}

export type DisplayStoreState = DisplayState & DisplayActions;
export type DisplayStore = StoreApi<DisplayStoreState>;

/** How many calls the board keeps. */
export const BOARD_SIZE = 8;
/** How long a new call blinks. */
export const FRESH_MS = 8_000;
/**
 * A call older than this when it reaches the display (replayed after a long outage) is shown but
 * not announced: the visitor it called is long gone to the counter or was recalled since.
 */
export const ANNOUNCE_MAX_AGE_MS = 60_000;
/** Pause before reloading the snapshot after a failure. */
export const RELOAD_RETRY_MS = 5_000;

export interface DisplayStoreOptions {
  client: PortalClient;
  openFeed: OpenHallEventFeed;
  /** The display token; null when the page has none. */
  token: string | null;
  /** Says a call aloud (the announcement queue); the store decides which calls to say. */
  announce: (call: AnnouncedCall) => void;
  now?: () => number;
  freshMs?: number;
  retryMs?: number;
}

const DEFAULT_SETTINGS: DisplaySettingsPayload = { notice: null, voiceRepeat: 2, voiceEnglish: false };

export function createDisplayStore(options: DisplayStoreOptions): DisplayStore {
  const now = options.now ?? (() => Date.now());
  const freshMs = options.freshMs ?? FRESH_MS;
  const retryMs = options.retryMs ?? RELOAD_RETRY_MS;
  const freshTimers = new Map<string, ReturnType<typeof setTimeout>>();
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let feed: HallEventFeed | null = null;
  let disposed = false;

  const store = createStore<DisplayStoreState>()((set, get) => {
    function markFresh(ticketId: string): void {
      clearTimeout(freshTimers.get(ticketId));
      set({ fresh: { ...get().fresh, [ticketId]: true } });
      freshTimers.set(
        ticketId,
        setTimeout(() => {
          freshTimers.delete(ticketId);
          const { [ticketId]: _gone, ...rest } = get().fresh;
          set({ fresh: rest });
        }, freshMs),
      );
    }

    function applySnapshot(state: DisplayStateResponse, receivedAt: number): void {
      // A call on the board that is still in the snapshot keeps the status events gave it.
      const known = new Map(get().calls.map((c) => [c.ticketId, c.status]));
      set({
        phase: DisplayPhase.Showing,
        hall: state.hall,
        settings: state.settings,
        services: state.services,
        waiting: Object.fromEntries(state.waiting.map((w) => [w.serviceId, w.waiting])),
        calls: state.recentCalls
          .slice(0, BOARD_SIZE)
          .map((c) => ({ ...c, status: known.get(c.ticketId) ?? TicketStatus.Called })),
        lastSeq: state.lastEventSeq,
        clockOffsetMs: clockOffsetMs(state.serverTime, receivedAt),
        error: null,
      });
    }

    async function loadSnapshot(): Promise<boolean> {
      try {
        const state = await options.client.call(displayRoutes.displayState, {});
        if (disposed) return false;
        applySnapshot(state, now());
        return true;
      } catch (err) {
        if (disposed) return false;
        const error = toUiError(err);
        if (error.code === PortalErrorCode.Unauthorized) {
          set({ phase: DisplayPhase.Refused, error });
          return false;
        }
        set({ error });
        clearTimeout(retryTimer);
        retryTimer = setTimeout(() => void get().start(), retryMs);
        return false;
      }
    }

    function openFeed(): void {
      feed?.close();
      feed = options.openFeed({
        url: options.client.url(EVENT_STREAM_PATHS.display),
        headers: (): Record<string, string> => (options.token ? { authorization: `Bearer ${options.token}` } : {}),
        lastEventId: get().lastSeq,
        onEvent: (event) => get().applyEvent(event),
        onResync: (seq) => {
          // The stream goes on after `seq` (lower than ours after a database restore): follow it,
          // reload what the wall shows, and go on from the new snapshot.
          set({ lastSeq: seq });
          void loadSnapshot().then((loaded) => {
            if (loaded) feed?.restartFrom(get().lastSeq);
          });
        },
        onStatus: (status) => {
          if (disposed) return;
          set({ feed: status });
          if (status === FeedStatus.Refused) set({ phase: DisplayPhase.Refused });
        },
      });
    }

    function onCalled(event: Extract<HallEventEnvelope, { kind: HallEventKind.TicketCalled }>): void {
      const p = event.payload;
      const call: BoardCall = {
        ticketId: p.ticketId,
        number: p.number,
        counterNumber: p.counterNumber,
        counterName: p.counterName,
        recall: p.recall,
        calledAt: event.at,
        status: TicketStatus.Called,
      };
      set({ calls: [call, ...get().calls.filter((c) => c.ticketId !== p.ticketId)].slice(0, BOARD_SIZE) });
      markFresh(p.ticketId);
      const age = now() + get().clockOffsetMs - Date.parse(event.at);
      if (age <= ANNOUNCE_MAX_AGE_MS) {
        options.announce({ ticketId: p.ticketId, number: p.number, counterNumber: p.counterNumber, recall: p.recall });
      }
    }

    return {
      phase: options.token ? DisplayPhase.Loading : DisplayPhase.NoToken,
      hall: null,
      settings: DEFAULT_SETTINGS,
      services: [],
      waiting: {},
      calls: [],
      fresh: {},
      lastSeq: 0,
      feed: FeedStatus.Connecting,
      clockOffsetMs: 0,
      error: null,
      audioBlocked: false,

      async start() {
        if (!options.token || disposed) return;
        if (await loadSnapshot()) openFeed();
      },

      applyEvent(event) {
        // Replayed twice (a reconnect racing the snapshot): once is enough.
        if (event.seq <= get().lastSeq) return;
        set({ lastSeq: event.seq });
        switch (event.kind) {
          case HallEventKind.TicketCalled:
            onCalled(event);
            break;
          case HallEventKind.TicketUpdated: {
            const p = event.payload;
            if (get().calls.some((c) => c.ticketId === p.ticketId)) {
              set({ calls: get().calls.map((c) => (c.ticketId === p.ticketId ? { ...c, status: p.status } : c)) });
            }
            break;
          }
          case HallEventKind.QueueWaiting:
            set({ waiting: { ...get().waiting, ...Object.fromEntries(event.payload.counts.map((w) => [w.serviceId, w.waiting])) } });
            break;
          case HallEventKind.DisplaySettings:
            set({ settings: event.payload });
            break;
          case HallEventKind.CounterUpdated:
            // The board shows calls, not counters.
            break;
        }
      },

      dispose() {
        disposed = true;
        feed?.close();
        feed = null;
        clearTimeout(retryTimer);
        for (const timer of freshTimers.values()) clearTimeout(timer);
        freshTimers.clear();
      },
    };
  });
  return store;
}
