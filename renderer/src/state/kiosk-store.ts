import { createStore, type StoreApi } from 'zustand/vanilla';
import type { HallInfo } from '../../../common/contract/catalog.js';
import {
  type CardRejectReason,
  type Connectivity,
  type DeviceKind,
  type DeviceStatus,
  type KioskApi,
  type KioskEventName,
  type KioskEventPayload,
  type PrinterStatus,
  ScanSource,
  type ScanResult,
  type ServiceView,
  type TicketView,
  type VisitorView,
} from '../../../common/contract/kiosk-api.js';
import { DEFAULT_LANGUAGE, Language } from '../i18n/index.js';
import { createCheckInActions, initialCheckIn, type CheckInActions, type CheckInState } from './journeys/check-in.js';
import { createGuideActions, initialGuide, type GuideActions, type GuideState } from './journeys/guide.js';
import type { JourneyContext, TicketNote } from './journeys/journey-context.js';
import { createProgressActions, initialProgress, type ProgressActions, type ProgressState } from './journeys/progress.js';
import { createRatingActions, initialRating, RatingPhase, type RatingActions, type RatingState } from './journeys/rating.js';
import { createVerifyActions, initialVerify, type VerifyActions, type VerifyState } from './journeys/verify.js';
import { routeScan, ScanRouteKind } from './scan-routing.js';
import { isJourneyScreen, Screen, type JourneyScreen } from './screen.js';
import { mergeTicketViews } from './ticket-merge.js';
import { toUiError, type UiError } from './ui-error.js';

export { Screen } from './screen.js';
export { TicketNote } from './journeys/journey-context.js';

/** After a ticket is shown the kiosk returns to the start screen by itself, for the next visitor. */
export const IDLE_RESET_MS = 20_000;
export const ERROR_TOAST_MS = 8_000;
export const SERVICES_RETRY_MS = 5_000;
/** How long a scan or card notice stays on the home screen. */
export const NOTICE_MS = 8_000;
/**
 * A journey screen nobody touches returns home (and to Chinese) by itself: long enough to read a
 * guide, short enough that the next visitor never finds the last one's cases.
 */
export const JOURNEY_IDLE_MS = 90_000;

export enum NoticeKind {
  Scan = 'scan',
  Card = 'card',
}

/** A short-lived message on the home screen about a scanned code or a refused card. */
export type HomeNotice = { kind: NoticeKind.Scan; scan: ScanResult } | { kind: NoticeKind.Card; reason: CardRejectReason };

export type KioskEventMessage = {
  [E in KioskEventName]: { event: E; payload: KioskEventPayload<E> };
}[KioskEventName];

export interface KioskState {
  hall: HallInfo | null;
  services: ServiceView[];
  servicesLoaded: boolean;
  language: Language;
  screen: Screen;
  ticket: TicketView | null;
  printer: PrinterStatus | null;
  connectivity: Connectivity | null;
  /** A ticket request is in flight: further taps are ignored. */
  busy: boolean;
  error: UiError | null;
  /** The visitor identified by an ID card, masked; null when none (or wiped). */
  visitor: VisitorView | null;
  notice: HomeNotice | null;
  /** The last status the core reported per device. */
  devices: Partial<Record<DeviceKind, DeviceStatus>>;
  /** Why the ticket on screen is shown, besides having just been issued. */
  ticketNote: TicketNote | null;
  checkIn: CheckInState;
  guide: GuideState;
  progress: ProgressState;
  verify: VerifyState;
  rating: RatingState;
}

export interface KioskActions {
  /** Loads hall and services; on failure shows the error and retries by itself. */
  loadServices(): Promise<void>;
  /**
   * Lists hall and services again after the core pulled a new catalog or new settings (the
   * `catalogChanged` event): quietly, a visitor at the screen sees no error for a background
   * refresh that failed (the list on screen stays until the next change).
   */
  reloadServices(): Promise<void>;
  /** Reads printer and connectivity; a failure keeps the last known state. */
  refreshStatus(): Promise<void>;
  takeTicket(serviceId: string): Promise<void>;
  /** Asks the core who is identified (after a reload). */
  loadVisitor(): Promise<void>;
  /** Done on the identity panel: the core wipes the card data. */
  endVisit(): Promise<void>;
  /** A keyboard-wedge scan, sent to the core to be validated. */
  submitScan(code: string): Promise<void>;
  backToHome(): void;
  toggleLanguage(): void;
  applyEvent(message: KioskEventMessage): void;
  dismissError(): void;
  /** The visitor touched a journey screen: the return home waits again. */
  touch(): void;
  /** Unsubscribes from events and stops every timer. */
  dispose(): void;
}

export type KioskStoreState = KioskState & KioskActions & CheckInActions & GuideActions & ProgressActions & VerifyActions & RatingActions;
export type KioskStore = StoreApi<KioskStoreState>;

export interface KioskStoreOptions {
  idleResetMs?: number;
  errorToastMs?: number;
  servicesRetryMs?: number;
  noticeMs?: number;
  journeyIdleMs?: number;
  /** One id per tap: a retried or doubled request issues one ticket. */
  newRequestId?: () => string;
}

const RECENT_TICKETS = 16;

/** Every journey back at its start: nothing of one visitor's journey survives leaving its screen. */
const journeyReset = {
  checkIn: initialCheckIn,
  guide: initialGuide,
  progress: initialProgress,
  verify: initialVerify,
  rating: initialRating,
} satisfies Partial<KioskState>;

export function createKioskStore(api: KioskApi, options: KioskStoreOptions = {}): KioskStore {
  const idleResetMs = options.idleResetMs ?? IDLE_RESET_MS;
  const errorToastMs = options.errorToastMs ?? ERROR_TOAST_MS;
  const servicesRetryMs = options.servicesRetryMs ?? SERVICES_RETRY_MS;
  const noticeMs = options.noticeMs ?? NOTICE_MS;
  const journeyIdleMs = options.journeyIdleMs ?? JOURNEY_IDLE_MS;
  const newRequestId = options.newRequestId ?? (() => crypto.randomUUID());

  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  // Bumped on every change of screen, and by a journey call that restarts (a new card's lookup):
  // a reply that arrives after either belongs to a screen the visitor has left.
  let navigation = 0;
  let restarts = 0;
  let errorTimer: ReturnType<typeof setTimeout> | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let noticeTimer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;
  // Ticket events can overtake the takeTicket reply: keep the latest few to merge with it.
  const recentTickets = new Map<string, TicketView>();

  function remember(view: TicketView): TicketView {
    const merged = mergeTicketViews(recentTickets.get(view.ticketId), view);
    recentTickets.delete(view.ticketId);
    recentTickets.set(view.ticketId, merged);
    if (recentTickets.size > RECENT_TICKETS) {
      const oldest = recentTickets.keys().next().value;
      if (oldest !== undefined) recentTickets.delete(oldest);
    }
    return merged;
  }

  const store = createStore<KioskStoreState>()((set, get) => {
    function showError(err: unknown): void {
      clearTimeout(errorTimer);
      set({ error: toUiError(err) });
      errorTimer = setTimeout(() => set({ error: null }), errorToastMs);
    }

    function showNotice(notice: HomeNotice): void {
      clearTimeout(noticeTimer);
      set({ notice });
      noticeTimer = setTimeout(() => set({ notice: null }), noticeMs);
    }

    function goHome(): void {
      clearTimeout(idleTimer);
      idleTimer = undefined;
      navigation += 1;
      set({ screen: Screen.Home, ticket: null, ticketNote: null, ...journeyReset });
      void get().refreshStatus();
    }

    /** Back home by itself, in the default language, for the next visitor. */
    function armIdleReturn(ms: number): void {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        set({ language: DEFAULT_LANGUAGE });
        goHome();
      }, ms);
    }

    function showTicket(view: TicketView, note: TicketNote | null): void {
      if (disposed) return;
      navigation += 1;
      set({ busy: false, screen: Screen.Ticket, ticket: remember(view), ticketNote: note, ...journeyReset });
      armIdleReturn(idleResetMs);
    }

    const context: JourneyContext = {
      api,
      get,
      set,
      newId: newRequestId,
      open(screen: JourneyScreen, partial) {
        navigation += 1;
        set({ screen, ticket: null, ticketNote: null, ...journeyReset, ...partial });
        armIdleReturn(journeyIdleMs);
      },
      stillCurrent(restart = false) {
        if (restart) restarts += 1;
        const [atNavigation, atRestart] = [navigation, restarts];
        return () => !disposed && navigation === atNavigation && restarts === atRestart;
      },
      showTicket,
      touch(ms) {
        if (isJourneyScreen(get().screen)) armIdleReturn(ms ?? journeyIdleMs);
      },
    };

    /** A classified scan: reported, and the journey its code belongs to started, wherever the visitor is. */
    function handleScan(scan: ScanResult, raw: string | null): void {
      showNotice({ kind: NoticeKind.Scan, scan });
      const route = routeScan(scan, raw);
      switch (route.kind) {
        case ScanRouteKind.CheckIn:
          void get().startCheckIn(route.reference);
          break;
        case ScanRouteKind.Verify:
          void get().verifyCertificate(route.code);
          break;
        case ScanRouteKind.Rate:
          void get().findRateableTickets({ ticketId: route.ticketId, number: route.number });
          break;
        case ScanRouteKind.Notice:
          break;
      }
    }

    /** A card read: the journey on screen that needs a card goes on with it ("don't ask twice"). */
    function onCard(visitor: VisitorView): void {
      const { screen, rating } = get();
      // A new card on someone's ticket starts at the home screen.
      if (screen === Screen.Ticket) goHome();
      set({ visitor, notice: null });
      context.touch();
      if (screen === Screen.CheckIn) void get().startCheckIn(null);
      else if (screen === Screen.Progress) void get().loadCases();
      else if (screen === Screen.Rating && !(rating.phase === RatingPhase.Form && rating.submitting)) void get().findRateableTickets();
    }

    return {
      hall: null,
      services: [],
      servicesLoaded: false,
      language: DEFAULT_LANGUAGE,
      screen: Screen.Home,
      ticket: null,
      printer: null,
      connectivity: null,
      busy: false,
      error: null,
      visitor: null,
      notice: null,
      devices: {},
      ticketNote: null,
      ...journeyReset,

      async loadServices() {
        clearTimeout(retryTimer);
        retryTimer = undefined;
        try {
          const { hall, services } = await api.listServices({});
          if (!disposed) set({ hall, services, servicesLoaded: true });
        } catch (err) {
          if (disposed) return;
          showError(err);
          retryTimer = setTimeout(() => void get().loadServices(), servicesRetryMs);
        }
      },

      async reloadServices() {
        try {
          const { hall, services } = await api.listServices({});
          if (!disposed) set({ hall, services, servicesLoaded: true });
        } catch (err) {
          console.warn('kiosk: services reload failed', toUiError(err).code);
        }
      },

      async refreshStatus() {
        try {
          const { printer, connectivity } = await api.getStatus({});
          if (!disposed) set({ printer, connectivity });
        } catch (err) {
          // Status is background information; events will bring it when the core is back.
          console.warn('kiosk: status refresh failed', toUiError(err).code);
        }
      },

      async takeTicket(serviceId) {
        if (get().busy || disposed) return;
        clearTimeout(errorTimer);
        set({ busy: true, error: null });
        try {
          const view = await api.takeTicket({ serviceId, requestId: newRequestId() });
          if (disposed) return;
          // The core wipes the card once the ticket is issued; the ticket carries the masked name.
          set({ visitor: null });
          // The idle reset also hands the next visitor the default language.
          showTicket(view, null);
        } catch (err) {
          if (disposed) return;
          set({ busy: false });
          showError(err);
        }
      },

      async loadVisitor() {
        try {
          const { visitor } = await api.getVisitor({});
          if (!disposed) set({ visitor });
        } catch (err) {
          console.warn('kiosk: visitor refresh failed', toUiError(err).code);
        }
      },

      async endVisit() {
        // Off the screen at once, whatever the core answers: the visitor pressed Done, and a
        // journey they were on (their cases, their tickets) ends with the visit.
        set({ visitor: null });
        if (isJourneyScreen(get().screen)) goHome();
        try {
          await api.endVisit({});
        } catch (err) {
          console.warn('kiosk: endVisit failed', toUiError(err).code);
        }
      },

      async submitScan(code) {
        try {
          const scan = await api.submitScan({ code });
          if (!disposed) handleScan(scan, code);
        } catch (err) {
          // A scan the core refused is noise (a stray burst of keys), not the visitor's error.
          console.warn('kiosk: scan refused', toUiError(err).code);
        }
      },

      backToHome: goHome,

      toggleLanguage() {
        set({ language: get().language === Language.Zh ? Language.En : Language.Zh });
      },

      applyEvent(message) {
        switch (message.event) {
          case 'ticketIssued':
          case 'ticketUpdated': {
            const view = remember(message.payload);
            const current = get().ticket;
            if (current && current.ticketId === view.ticketId) set({ ticket: mergeTicketViews(current, view) });
            break;
          }
          case 'printerStatus':
            set({ printer: message.payload });
            break;
          case 'connectivity':
            set({ connectivity: message.payload });
            break;
          case 'visitorIdentified':
            onCard(message.payload);
            break;
          case 'visitorCleared':
            set({ visitor: null });
            // The cases on screen are the visitor's own: they go with the card.
            if (get().screen === Screen.Progress) goHome();
            break;
          case 'cardRejected':
            showNotice({ kind: NoticeKind.Card, reason: message.payload.reason });
            break;
          case 'scanned':
            // A wedge scan comes back as the submitScan reply too, with its text: it is routed there.
            if (message.payload.source === ScanSource.KeyboardWedge) showNotice({ kind: NoticeKind.Scan, scan: message.payload });
            else handleScan(message.payload, null);
            break;
          case 'deviceStatus':
            set({ devices: { ...get().devices, [message.payload.device]: message.payload } });
            break;
          case 'catalogChanged':
            void get().reloadServices();
            break;
        }
      },

      dismissError() {
        clearTimeout(errorTimer);
        set({ error: null });
      },

      touch() {
        context.touch();
      },

      ...createCheckInActions(context),
      ...createGuideActions(context),
      ...createProgressActions(context),
      ...createVerifyActions(context),
      ...createRatingActions(context),

      dispose() {
        disposed = true;
        for (const unsubscribe of unsubscribers) unsubscribe();
        clearTimeout(idleTimer);
        clearTimeout(errorTimer);
        clearTimeout(retryTimer);
        clearTimeout(noticeTimer);
      },
    };
  });

  const apply = (message: KioskEventMessage) => store.getState().applyEvent(message);
  const unsubscribers = [
    api.on('ticketIssued', (payload) => apply({ event: 'ticketIssued', payload })),
    api.on('ticketUpdated', (payload) => apply({ event: 'ticketUpdated', payload })),
    api.on('printerStatus', (payload) => apply({ event: 'printerStatus', payload })),
    api.on('connectivity', (payload) => apply({ event: 'connectivity', payload })),
    api.on('visitorIdentified', (payload) => apply({ event: 'visitorIdentified', payload })),
    api.on('visitorCleared', (payload) => apply({ event: 'visitorCleared', payload })),
    api.on('cardRejected', (payload) => apply({ event: 'cardRejected', payload })),
    api.on('scanned', (payload) => apply({ event: 'scanned', payload })),
    api.on('deviceStatus', (payload) => apply({ event: 'deviceStatus', payload })),
    api.on('catalogChanged', (payload) => apply({ event: 'catalogChanged', payload })),
  ];

  return store;
}
