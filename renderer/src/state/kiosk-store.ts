import { createStore, type StoreApi } from 'zustand/vanilla';
import type { HallInfo } from '../../../common/contract/catalog.js';
import {
  type Connectivity,
  type KioskApi,
  type KioskEventName,
  type KioskEventPayload,
  type PrinterStatus,
  type ServiceView,
  type TicketView,
} from '../../../common/contract/kiosk-api.js';
import { DEFAULT_LANGUAGE, Language } from '../i18n/index.js';
import { mergeTicketViews } from './ticket-merge.js';
import { toUiError, type UiError } from './ui-error.js';

export enum Screen {
  Home = 'home',
  Ticket = 'ticket',
}

/** After a ticket is shown the kiosk returns to the start screen by itself, for the next visitor. */
export const IDLE_RESET_MS = 20_000;
export const ERROR_TOAST_MS = 8_000;
export const SERVICES_RETRY_MS = 5_000;

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
}

export interface KioskActions {
  /** Loads hall and services; on failure shows the error and retries by itself. */
  loadServices(): Promise<void>;
  /** Reads printer and connectivity; a failure keeps the last known state. */
  refreshStatus(): Promise<void>;
  takeTicket(serviceId: string): Promise<void>;
  backToHome(): void;
  toggleLanguage(): void;
  applyEvent(message: KioskEventMessage): void;
  dismissError(): void;
  /** Unsubscribes from events and stops every timer. */
  dispose(): void;
}

export type KioskStoreState = KioskState & KioskActions;
export type KioskStore = StoreApi<KioskStoreState>;

export interface KioskStoreOptions {
  idleResetMs?: number;
  errorToastMs?: number;
  servicesRetryMs?: number;
  /** One id per tap: a retried or doubled request issues one ticket. */
  newRequestId?: () => string;
}

const RECENT_TICKETS = 16;

export function createKioskStore(api: KioskApi, options: KioskStoreOptions = {}): KioskStore {
  const idleResetMs = options.idleResetMs ?? IDLE_RESET_MS;
  const errorToastMs = options.errorToastMs ?? ERROR_TOAST_MS;
  const servicesRetryMs = options.servicesRetryMs ?? SERVICES_RETRY_MS;
  const newRequestId = options.newRequestId ?? (() => crypto.randomUUID());

  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  let errorTimer: ReturnType<typeof setTimeout> | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
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

    function goHome(): void {
      clearTimeout(idleTimer);
      idleTimer = undefined;
      set({ screen: Screen.Home, ticket: null });
      void get().refreshStatus();
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
          const view = remember(await api.takeTicket({ serviceId, requestId: newRequestId() }));
          if (disposed) return;
          set({ busy: false, screen: Screen.Ticket, ticket: view });
          clearTimeout(idleTimer);
          // The idle reset also hands the next visitor the default language.
          idleTimer = setTimeout(() => {
            set({ language: DEFAULT_LANGUAGE });
            goHome();
          }, idleResetMs);
        } catch (err) {
          if (disposed) return;
          set({ busy: false });
          showError(err);
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
        }
      },

      dismissError() {
        clearTimeout(errorTimer);
        set({ error: null });
      },

      dispose() {
        disposed = true;
        for (const unsubscribe of unsubscribers) unsubscribe();
        clearTimeout(idleTimer);
        clearTimeout(errorTimer);
        clearTimeout(retryTimer);
      },
    };
  });

  const apply = (message: KioskEventMessage) => store.getState().applyEvent(message);
  const unsubscribers = [
    api.on('ticketIssued', (payload) => apply({ event: 'ticketIssued', payload })),
    api.on('ticketUpdated', (payload) => apply({ event: 'ticketUpdated', payload })),
    api.on('printerStatus', (payload) => apply({ event: 'printerStatus', payload })),
    api.on('connectivity', (payload) => apply({ event: 'connectivity', payload })),
  ];

  return store;
}
