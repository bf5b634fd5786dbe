import { createStore, type StoreApi } from 'zustand/vanilla';
import type { z } from 'zod';
import { consoleRoutes, type ConsoleCatalogResponse } from '../../../../common/contract/console-api.js';
import {
  counterRoutes,
  TicketStatus,
  type CounterView,
  type QueueListResponse,
  type QueueTicket,
  type TransferRequest,
} from '../../../../common/contract/counter-api.js';
import { EVENT_STREAM_PATHS } from '../../../../common/contract/display-api.js';
import { PortalErrorCode } from '../../../../common/contract/errors.js';
import { HallEventKind, type HallEventEnvelope } from '../../../../common/contract/hall-events.js';
import { ratingsRoutes, type RatingInput } from '../../../../common/contract/ratings-api.js';
import { staffRoutes, type PublicHall, type SessionResponse } from '../../../../common/contract/staff-api.js';
import type { PortalClient } from '../../shared/api/portal-client.js';
import { toUiError, type UiError } from '../../shared/api/ui-error.js';
import { clockOffsetMs } from '../../shared/format/time.js';
import { DEFAULT_LANGUAGE, Language } from '../../shared/i18n/language.js';
import { FeedStatus, type HallEventFeed, type OpenHallEventFeed } from '../../shared/live/hall-event-feed.js';
import { ConsoleAction } from './console-actions.js';
import type { RatingPrompt } from './rating-prompt.js';

export enum ConsolePhase {
  /** Asking the portal whether the browser already has a session. */
  Starting = 'starting',
  SignIn = 'sign-in',
  ChooseCounter = 'choose-counter',
  Console = 'console',
}

/** The console's one open dialog, if any: the three keys that need a choice. */
export type ConsoleDialog = { kind: ConsoleAction.Complete } | { kind: ConsoleAction.CallBack } | { kind: ConsoleAction.Transfer };

/** What the clerk chose in the transfer dialog. */
export type TransferChoice = TransferRequest;

export interface ConsoleState {
  phase: ConsolePhase;
  language: Language;
  halls: z.infer<typeof PublicHall>[];
  /** The signed-in member of staff and the CSRF token of the session (never the session id). */
  session: SessionResponse | null;
  counters: CounterView[];
  catalog: ConsoleCatalogResponse | null;
  /** The counter this console works at. */
  counterId: string | null;
  queue: QueueListResponse | null;
  /** Portal clock minus this machine's: waited minutes are counted on the portal's clock. */
  clockOffsetMs: number;
  /** A request is in flight: the keys wait for it. */
  busy: boolean;
  error: UiError | null;
  /** Call-next found nobody (a notice, not an error). */
  nobodyWaiting: boolean;
  dialog: ConsoleDialog | null;
  feed: FeedStatus;
  /** The ticket just completed, offered to the visitor for rating (好差评) until rated, skipped or the clerk moves on. */
  ratingPrompt: RatingPrompt | null;
  /** The last prompt was answered: a thank-you until the next counter action. */
  ratingThanks: boolean;
}

export interface ConsoleActions {
  start(): Promise<void>;
  signIn(hallId: string, username: string, password: string): Promise<boolean>;
  chooseCounter(counterId: string, serviceIds: string[]): Promise<void>;
  leaveCounter(): Promise<void>;
  signOut(): Promise<void>;
  /** A counter key (button or F-key). Keys that need a choice open their dialog. */
  press(action: ConsoleAction): Promise<void>;
  complete(caseNumber: string | null): Promise<void>;
  callBack(ticketId: string): Promise<void>;
  transfer(choice: TransferChoice): Promise<void>;
  requeue(ticketId: string): Promise<void>;
  /** Posts the visitor's rating of the prompted ticket. */
  submitRating(rating: RatingInput): Promise<void>;
  skipRating(): void;
  pause(): Promise<void>;
  resume(): Promise<void>;
  /** Reloads the counters and the queue now. */
  refresh(): Promise<void>;
  closeDialog(): void;
  toggleLanguage(): void;
  dismissError(): void;
  applyEvent(event: HallEventEnvelope): void;
  dispose(): void;
}

export type ConsoleStoreState = ConsoleState & ConsoleActions;
export type ConsoleStore = StoreApi<ConsoleStoreState>;

/** Events come in bursts (a call is a ticket, a queue and a counter event): one reload per burst. */
export const REFRESH_DEBOUNCE_MS = 250;
export const COUNTER_STORAGE_KEY = 'hall-console-counter';

export interface ConsoleStoreOptions {
  client: PortalClient;
  openFeed: OpenHallEventFeed;
  /** Keeps the counter chosen across a reload of the page (sessionStorage in the browser). */
  storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
  now?: () => number;
  debounceMs?: number;
}

export function createConsoleStore(options: ConsoleStoreOptions): ConsoleStore {
  const { client } = options;
  const now = options.now ?? (() => Date.now());
  const debounceMs = options.debounceMs ?? REFRESH_DEBOUNCE_MS;
  const storage = options.storage ?? null;
  let feed: HallEventFeed | null = null;
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;

  const remember = (counterId: string | null) => {
    try {
      if (counterId) storage?.setItem(COUNTER_STORAGE_KEY, counterId);
      else storage?.removeItem(COUNTER_STORAGE_KEY);
    } catch {
      // Storage off: the clerk chooses the counter again after a reload.
    }
  };
  const remembered = (): string | null => {
    try {
      return storage?.getItem(COUNTER_STORAGE_KEY) ?? null;
    } catch {
      return null;
    }
  };

  const store = createStore<ConsoleStoreState>()((set, get) => {
    /** Back to the sign-in form (session ended or refused): nothing of the last session stays. */
    async function toSignIn(error: UiError | null): Promise<void> {
      feed?.close();
      feed = null;
      set({ phase: ConsolePhase.SignIn, session: null, counters: [], queue: null, counterId: null, dialog: null, busy: false, error, ratingPrompt: null });
      try {
        const { halls } = await client.call(staffRoutes.halls, {});
        if (!disposed) set({ halls });
      } catch (err) {
        if (!disposed && !error) set({ error: toUiError(err) });
      }
    }

    /** A failed call: a lost session goes back to sign-in, anything else is shown. */
    async function failed(err: unknown): Promise<void> {
      if (disposed) return;
      const error = toUiError(err);
      if (error.code === PortalErrorCode.Unauthorized && get().session) {
        await toSignIn(error);
        return;
      }
      set({ error, busy: false });
    }

    async function loadCounters(): Promise<CounterView[]> {
      const answer = await client.call(counterRoutes.counters, {});
      set({ counters: answer.counters, clockOffsetMs: clockOffsetMs(answer.serverTime, now()) });
      return answer.counters;
    }

    async function loadQueue(): Promise<void> {
      const counterId = get().counterId;
      const queue = await client.call(counterRoutes.queue, { query: counterId ? { counterId } : {} });
      if (!disposed) set({ queue });
    }

    async function refreshNow(): Promise<void> {
      clearTimeout(refreshTimer);
      refreshTimer = undefined;
      try {
        await Promise.all([loadCounters(), loadQueue()]);
      } catch (err) {
        await failed(err);
      }
    }

    function scheduleRefresh(): void {
      if (refreshTimer !== undefined) return;
      refreshTimer = setTimeout(() => {
        refreshTimer = undefined;
        void refreshNow();
      }, debounceMs);
    }

    function openFeed(): void {
      feed?.close();
      feed = options.openFeed({
        url: client.url(EVENT_STREAM_PATHS.counter),
        lastEventId: null,
        onEvent: (event) => get().applyEvent(event),
        onResync: () => void refreshNow(),
        onStatus: (status) => {
          if (disposed) return;
          const was = get().feed;
          set({ feed: status });
          // Back after an outage: events were replayed, but the queue is reloaded to be sure.
          if (status === FeedStatus.Live && was === FeedStatus.Reconnecting) void refreshNow();
          if (status === FeedStatus.Refused) void toSignIn({ code: PortalErrorCode.Unauthorized, status: 401, detail: 'event stream refused' });
        },
      });
    }

    async function enterConsole(counterId: string): Promise<void> {
      set({ phase: ConsolePhase.Console, counterId, error: null, dialog: null });
      remember(counterId);
      openFeed();
      await refreshNow();
    }

    async function loadCatalog(): Promise<void> {
      try {
        const catalog = await client.call(consoleRoutes.catalog, {});
        if (!disposed) set({ catalog });
      } catch (err) {
        await failed(err);
      }
    }

    /** After sign-in (or a reload with a live session): straight back to the counter this clerk holds. */
    async function afterSession(session: SessionResponse): Promise<void> {
      set({ session, error: null });
      let counters: CounterView[];
      try {
        [counters] = await Promise.all([loadCounters(), loadCatalog()]);
      } catch (err) {
        set({ phase: ConsolePhase.ChooseCounter });
        await failed(err);
        return;
      }
      const mine = counters.filter((c) => c.staffId === session.staff.staffId);
      const again = mine.find((c) => c.counterId === remembered()) ?? (mine.length === 1 ? mine[0] : undefined);
      if (again) await enterConsole(again.counterId);
      else set({ phase: ConsolePhase.ChooseCounter });
    }

    /** The counter this console works at, as last loaded. */
    const counterOf = (): CounterView | null => get().counters.find((c) => c.counterId === get().counterId) ?? null;

    /** Runs one counter request; its answer updates the counter at once, then everything reloads. */
    async function act(run: () => Promise<{ ticket: QueueTicket | null } | { counter: CounterView }>): Promise<void> {
      if (get().busy || disposed) return;
      // Any counter action moves on from the last visitor: an unanswered rating prompt is skipped.
      set({ busy: true, error: null, nobodyWaiting: false, ratingPrompt: null, ratingThanks: false });
      try {
        const answer = await run();
        if (disposed) return;
        if ('counter' in answer) {
          set({ counters: get().counters.map((c) => (c.counterId === answer.counter.counterId ? answer.counter : c)) });
        } else {
          const ticket = answer.ticket;
          if (ticket === null) set({ nobodyWaiting: true });
          else set({ counters: get().counters.map((c) => (c.counterId === get().counterId ? withTicket(c, ticket) : c)) });
        }
        set({ busy: false, dialog: null });
      } catch (err) {
        await failed(err);
        // The ticket moved under us (another counter, the sweep): show what it is now.
        if (toUiError(err).code === PortalErrorCode.InvalidTransition) set({ dialog: null });
      }
      if (get().phase === ConsolePhase.Console) await refreshNow();
    }

    /** The counter with `ticket` as its current one, or without it once it has left the counter. */
    function withTicket(counter: CounterView, ticket: QueueTicket): CounterView {
      const active = ticket.status === TicketStatus.Called || ticket.status === TicketStatus.Serving;
      if (active && ticket.counterId === counter.counterId) return { ...counter, currentTicket: ticket };
      if (counter.currentTicket?.ticketId === ticket.ticketId) return { ...counter, currentTicket: null };
      return counter;
    }

    function current(): QueueTicket | null {
      return counterOf()?.currentTicket ?? null;
    }

    function ticketCall(route: typeof counterRoutes.recall | typeof counterRoutes.start | typeof counterRoutes.noShow | typeof counterRoutes.hold) {
      const ticket = current();
      if (!ticket) return Promise.resolve();
      return act(() => client.call(route, { params: { ticketId: ticket.ticketId } }));
    }

    return {
      phase: ConsolePhase.Starting,
      language: DEFAULT_LANGUAGE,
      halls: [],
      session: null,
      counters: [],
      catalog: null,
      counterId: null,
      queue: null,
      clockOffsetMs: 0,
      busy: false,
      error: null,
      nobodyWaiting: false,
      dialog: null,
      feed: FeedStatus.Connecting,
      ratingPrompt: null,
      ratingThanks: false,

      async start() {
        try {
          const session = await client.call(staffRoutes.session, {});
          if (!disposed) await afterSession(session);
        } catch (err) {
          if (disposed) return;
          const error = toUiError(err);
          await toSignIn(error.code === PortalErrorCode.Unauthorized ? null : error);
        }
      },

      async signIn(hallId, username, password) {
        if (get().busy) return false;
        set({ busy: true, error: null });
        try {
          const session = await client.call(staffRoutes.signIn, { body: { hallId, username, password } });
          if (disposed) return false;
          set({ busy: false });
          await afterSession(session);
          return true;
        } catch (err) {
          if (!disposed) set({ busy: false, error: toUiError(err) });
          return false;
        }
      },

      async chooseCounter(counterId, serviceIds) {
        if (get().busy) return;
        set({ busy: true, error: null });
        try {
          const { counter } = await client.call(counterRoutes.signInCounter, { params: { counterId }, body: { serviceIds } });
          if (disposed) return;
          set({ busy: false, counters: get().counters.map((c) => (c.counterId === counter.counterId ? counter : c)) });
          await enterConsole(counterId);
        } catch (err) {
          await failed(err);
        }
      },

      async leaveCounter() {
        const counterId = get().counterId;
        if (!counterId || get().busy) return;
        set({ busy: true, error: null });
        try {
          await client.call(counterRoutes.signOutCounter, { params: { counterId } });
          feed?.close();
          feed = null;
          remember(null);
          set({ busy: false, phase: ConsolePhase.ChooseCounter, counterId: null, queue: null, dialog: null, feed: FeedStatus.Connecting, ratingPrompt: null, ratingThanks: false });
          await loadCounters().catch((err: unknown) => failed(err));
        } catch (err) {
          await failed(err);
        }
      },

      async signOut() {
        const counterId = get().counterId;
        set({ busy: true, error: null });
        // Free the counter first, so the hall sees it signed out; a failure here must not keep the clerk signed in.
        if (counterId) await client.call(counterRoutes.signOutCounter, { params: { counterId } }).catch(() => undefined);
        await client.call(staffRoutes.signOut, {}).catch(() => undefined);
        remember(null);
        await toSignIn(null);
      },

      async press(action) {
        if (get().busy || get().phase !== ConsolePhase.Console) return;
        const counterId = get().counterId;
        if (!counterId) return;
        switch (action) {
          case ConsoleAction.CallNext:
            return act(() => client.call(counterRoutes.callNext, { body: { counterId, serviceIds: [] } }));
          case ConsoleAction.Recall:
            return ticketCall(counterRoutes.recall);
          case ConsoleAction.Start:
            return ticketCall(counterRoutes.start);
          case ConsoleAction.NoShow:
            return ticketCall(counterRoutes.noShow);
          case ConsoleAction.Hold:
            return ticketCall(counterRoutes.hold);
          case ConsoleAction.Complete:
          case ConsoleAction.CallBack:
          case ConsoleAction.Transfer:
            set({ dialog: { kind: action }, error: null });
            return;
        }
      },

      async complete(caseNumber) {
        const ticket = current();
        if (!ticket) return;
        const trimmed = caseNumber?.trim() ?? '';
        const served: { prompt: RatingPrompt | null } = { prompt: null };
        await act(() =>
          client.call(counterRoutes.complete, { params: { ticketId: ticket.ticketId }, body: { caseNumber: trimmed === '' ? null : trimmed } }).then((answer) => {
            if (answer.ticket.status === TicketStatus.Done) served.prompt = { ticketId: answer.ticket.ticketId, number: answer.ticket.number };
            return answer;
          }),
        );
        // Served: the visitor is offered the rating prompt (好差评), once the dialog has closed and
        // given the focus back, so the prompt can take it.
        if (served.prompt && !disposed && get().phase === ConsolePhase.Console) set({ ratingPrompt: served.prompt });
      },

      async callBack(ticketId) {
        const counterId = get().counterId;
        if (!counterId) return;
        await act(() => client.call(counterRoutes.callBack, { params: { ticketId }, body: { counterId } }));
      },

      async transfer(choice) {
        const ticket = current();
        if (!ticket) return;
        await act(() => client.call(counterRoutes.transfer, { params: { ticketId: ticket.ticketId }, body: choice }));
      },

      async requeue(ticketId) {
        await act(() => client.call(counterRoutes.requeue, { params: { ticketId } }));
      },

      async submitRating(rating) {
        const prompt = get().ratingPrompt;
        if (!prompt || get().busy || disposed) return;
        set({ busy: true, error: null });
        try {
          await client.call(ratingsRoutes.counterRate, { params: { ticketId: prompt.ticketId }, body: rating });
          if (!disposed) set({ busy: false, ratingPrompt: null, ratingThanks: true });
        } catch (err) {
          await failed(err);
          // Rated already (at the kiosk meanwhile), or not this counter's to rate: nothing left to ask.
          const code = toUiError(err).code;
          if (code === PortalErrorCode.AlreadyRated || code === PortalErrorCode.NotRateable || code === PortalErrorCode.Forbidden) set({ ratingPrompt: null });
        }
      },

      skipRating() {
        set({ ratingPrompt: null });
      },

      async pause() {
        const counterId = get().counterId;
        if (counterId) await act(() => client.call(counterRoutes.pauseCounter, { params: { counterId } }));
      },

      async resume() {
        const counterId = get().counterId;
        if (counterId) await act(() => client.call(counterRoutes.resumeCounter, { params: { counterId } }));
      },

      refresh: refreshNow,

      closeDialog() {
        set({ dialog: null });
      },

      toggleLanguage() {
        set({ language: get().language === Language.Zh ? Language.En : Language.Zh });
      },

      dismissError() {
        set({ error: null });
      },

      applyEvent(event) {
        if (get().phase !== ConsolePhase.Console) return;
        switch (event.kind) {
          case HallEventKind.TicketCalled:
          case HallEventKind.TicketUpdated:
          case HallEventKind.QueueWaiting:
          case HallEventKind.CounterUpdated:
            scheduleRefresh();
            break;
          case HallEventKind.DisplaySettings:
            break;
        }
      },

      dispose() {
        disposed = true;
        feed?.close();
        feed = null;
        clearTimeout(refreshTimer);
      },
    };
  });
  return store;
}
