import { createStore, type StoreApi } from 'zustand/vanilla';
import type { z } from 'zod';
import type { ConsoleCatalogResponse } from '../../../../common/contract/console-api.js';
import type { PublicHall } from '../../../../common/contract/staff-api.js';
import { businessDayOf } from '../../../../common/domain/business-day.js';
import type { PortalClient } from '../../shared/api/portal-client.js';
import { toUiError } from '../../shared/api/ui-error.js';
import { clockOffsetMs } from '../../shared/format/time.js';
import { DEFAULT_LANGUAGE, Language, otherLanguage } from '../../shared/i18n/language.js';
import { citizenRoutes } from '../api/citizen-routes.js';
import { HALL_PAGES, type CitizenRoute } from '../routing/citizen-route.js';
import { LoadStatus, type Loadable } from './loadable.js';

export type HallCatalog = ConsoleCatalogResponse;
export type Hall = z.infer<typeof PublicHall>;

export interface CitizenShellState {
  language: Language;
  route: CitizenRoute;
  halls: Loadable<Hall[]>;
  /** Each hall's public catalog, loaded when a page of that hall is first shown. */
  catalogs: Readonly<Record<string, Loadable<HallCatalog>>>;
  /** Portal clock minus this phone's, from the last catalog: "today" is the hall's today. */
  clockOffsetMs: number;
}

export interface CitizenShellActions {
  start(): Promise<void>;
  /** Goes to a route: a new history entry (or the current one replaced). */
  navigate(route: CitizenRoute, options?: { replace?: boolean }): void;
  /** The browser went back or forward: the address already says where. */
  locationChanged(route: CitizenRoute): void;
  toggleLanguage(): void;
  loadHalls(): Promise<void>;
  loadCatalog(hallId: string, options?: { force?: boolean }): Promise<void>;
}

export type CitizenShellStoreState = CitizenShellState & CitizenShellActions;
export type CitizenShellStore = StoreApi<CitizenShellStoreState>;

export const LANGUAGE_STORAGE_KEY = 'citizen-language';

/** The browser's address bar, injected (tests record what would be pushed). */
export interface CitizenHistory {
  push(route: CitizenRoute): void;
  replace(route: CitizenRoute): void;
}

export interface CitizenShellOptions {
  client: PortalClient;
  route: CitizenRoute;
  history: CitizenHistory;
  /** `?lang=en` on the address first, then the citizen's last choice, else Chinese. */
  language?: Language | null;
  storage?: Pick<Storage, 'getItem' | 'setItem'> | null;
  now?: () => number;
}

function storedLanguage(storage: CitizenShellOptions['storage']): Language | null {
  try {
    const value = storage?.getItem(LANGUAGE_STORAGE_KEY);
    return value === Language.En || value === Language.Zh ? value : null;
  } catch {
    return null;
  }
}

export function createCitizenShellStore(options: CitizenShellOptions): CitizenShellStore {
  const { client, history } = options;
  const storage = options.storage ?? null;
  const now = options.now ?? (() => Date.now());

  return createStore<CitizenShellStoreState>()((set, get) => {
    /** A hall page without `?hall=`: the only hall is chosen for the citizen. */
    function pickOnlyHall(): void {
      const { route, halls } = get();
      if (!HALL_PAGES.has(route.page) || route.hallId !== null || halls.status !== LoadStatus.Ready) return;
      const [only, ...others] = halls.value;
      if (only && others.length === 0) get().navigate({ ...route, hallId: only.hallId }, { replace: true });
    }

    function ensureCatalog(): void {
      const { route, catalogs } = get();
      if (route.hallId && !catalogs[route.hallId]) void get().loadCatalog(route.hallId);
    }

    return {
      language: options.language ?? storedLanguage(storage) ?? DEFAULT_LANGUAGE,
      route: options.route,
      halls: { status: LoadStatus.Loading },
      catalogs: {},
      clockOffsetMs: 0,

      async start() {
        ensureCatalog();
        await get().loadHalls();
      },

      navigate(route, navigateOptions = {}) {
        if (navigateOptions.replace) history.replace(route);
        else history.push(route);
        set({ route });
        ensureCatalog();
        pickOnlyHall();
      },

      locationChanged(route) {
        set({ route });
        ensureCatalog();
        pickOnlyHall();
      },

      toggleLanguage() {
        const language = otherLanguage(get().language);
        set({ language });
        try {
          storage?.setItem(LANGUAGE_STORAGE_KEY, language);
        } catch {
          // Storage off: the choice lasts as long as the page.
        }
      },

      async loadHalls() {
        set({ halls: { status: LoadStatus.Loading } });
        try {
          const { halls } = await client.call(citizenRoutes.halls, {});
          set({ halls: { status: LoadStatus.Ready, value: halls } });
          pickOnlyHall();
        } catch (err) {
          set({ halls: { status: LoadStatus.Failed, error: toUiError(err) } });
        }
      },

      async loadCatalog(hallId, loadOptions = {}) {
        const existing = get().catalogs[hallId];
        if (existing && existing.status !== LoadStatus.Failed && !loadOptions.force) return;
        set({ catalogs: { ...get().catalogs, [hallId]: { status: LoadStatus.Loading } } });
        try {
          const catalog = await client.call(citizenRoutes.catalog, { params: { hallId } });
          set({ catalogs: { ...get().catalogs, [hallId]: { status: LoadStatus.Ready, value: catalog } }, clockOffsetMs: clockOffsetMs(catalog.serverTime, now()) });
        } catch (err) {
          set({ catalogs: { ...get().catalogs, [hallId]: { status: LoadStatus.Failed, error: toUiError(err) } } });
        }
      },
    };
  });
}

/** The catalog of the route's hall, when it has loaded. */
export function currentCatalog(state: CitizenShellState): HallCatalog | null {
  const entry = state.route.hallId ? state.catalogs[state.route.hallId] : undefined;
  return entry?.status === LoadStatus.Ready ? entry.value : null;
}

/** The hall's business day now, by the portal's clock (for the ID number's birth-date check). */
export function hallToday(catalog: HallCatalog | null, nowMs: number): string {
  const now = new Date(nowMs);
  if (!catalog) return businessDayOf(now, 'Asia/Shanghai');
  try {
    return businessDayOf(now, catalog.hall.timeZone, catalog.hall.businessDayStartHour ?? 0);
  } catch {
    return businessDayOf(now, 'Asia/Shanghai');
  }
}
