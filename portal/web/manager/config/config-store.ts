import { createStore, type StoreApi } from 'zustand/vanilla';
import type { z } from 'zod';
import {
  configRoutes,
  type ConfigAuditEntry,
  type CounterConfigResponse,
  type CounterConfigView,
  type CounterSettings,
  type CreateCounterRequest,
  type CreateServiceRequest,
  type HallSettings,
  type HallSettingsView,
  type KioskConfigView,
  type RegisterKioskRequest,
  type ServiceConfigResponse,
  type ServiceConfigView,
  type ServiceSettings,
  type StaffMemberView,
  type UpdateKioskRequest,
} from '../../../../common/contract/config-api.js';
import { PortalErrorCode } from '../../../../common/contract/errors.js';
import type { PortalClient } from '../../shared/api/portal-client.js';
import { toUiError, type UiError } from '../../shared/api/ui-error.js';

/** The configuration's four pages. */
export enum ConfigTab {
  Services = 'services',
  Counters = 'counters',
  Kiosks = 'kiosks',
  Hall = 'hall',
  /** What changed, who changed it, when: the configuration's audit lines. */
  Audit = 'audit',
}

export const CONFIG_TABS: readonly ConfigTab[] = [ConfigTab.Services, ConfigTab.Counters, ConfigTab.Kiosks, ConfigTab.Hall, ConfigTab.Audit];

/** Audit lines the page shows, newest first. */
export const AUDIT_LINES = 100;

/** What is open in an editor: one service, counter or kiosk (id null: a new one). */
export type ConfigEditor =
  | { kind: ConfigTab.Services; id: string | null }
  | { kind: ConfigTab.Counters; id: string | null }
  | { kind: ConfigTab.Kiosks; id: string | null };

/** What the last write did, said once above the list. */
export enum ConfigNotice {
  Saved = 'saved',
  Revoked = 'revoked',
}

/**
 * A kiosk's token, just issued. Kept in this store's memory only (never in storage, never in the
 * URL) and dropped when the manager closes it or leaves the page: the portal keeps only its hash,
 * so this is the one time anyone sees it.
 */
export interface IssuedToken {
  kioskId: string;
  token: string;
}

export interface ConfigState {
  tab: ConfigTab;
  services: ServiceConfigView[] | null;
  catalogVersion: number | null;
  counters: CounterConfigView[] | null;
  kiosks: KioskConfigView[] | null;
  hall: HallSettingsView | null;
  staff: z.infer<typeof StaffMemberView>[] | null;
  audit: ConfigAuditEntry[] | null;
  editor: ConfigEditor | null;
  loading: boolean;
  saving: boolean;
  error: UiError | null;
  notice: ConfigNotice | null;
  issuedToken: IssuedToken | null;
}

export interface ConfigActions {
  /** Loads what the current tab shows (once; `reload` loads again). */
  open(): Promise<void>;
  showTab(tab: ConfigTab): Promise<void>;
  reload(): Promise<void>;
  edit(editor: ConfigEditor): void;
  closeEditor(): void;
  createService(request: CreateServiceRequest): Promise<boolean>;
  updateService(serviceId: string, settings: ServiceSettings, version: number): Promise<boolean>;
  createCounter(request: CreateCounterRequest): Promise<boolean>;
  updateCounter(counterId: string, settings: CounterSettings, version: number): Promise<boolean>;
  registerKiosk(request: RegisterKioskRequest): Promise<boolean>;
  updateKiosk(kioskId: string, request: UpdateKioskRequest): Promise<boolean>;
  revokeKiosk(kioskId: string, version: number): Promise<boolean>;
  newKioskToken(kioskId: string, version: number): Promise<boolean>;
  saveHall(settings: HallSettings, version: number): Promise<boolean>;
  dismissToken(): void;
  dismissError(): void;
  /** Forgets everything loaded, and a token not yet copied (the session ended). */
  reset(): void;
}

export type ConfigStoreState = ConfigState & ConfigActions;
export type ConfigStore = StoreApi<ConfigStoreState>;

export interface ConfigStoreOptions {
  client: PortalClient;
  onUnauthorized: () => void;
}

const EMPTY: ConfigState = {
  tab: ConfigTab.Services,
  services: null,
  catalogVersion: null,
  counters: null,
  kiosks: null,
  hall: null,
  staff: null,
  audit: null,
  editor: null,
  loading: false,
  saving: false,
  error: null,
  notice: null,
  issuedToken: null,
};

/** Refusals that mean the page's copy is old: it reloads, and the manager edits again. */
const STALE = new Set<string>([PortalErrorCode.StaleVersion]);

function replaced<T>(list: T[] | null, item: T, same: (a: T) => boolean): T[] {
  const items = list ?? [];
  return items.some(same) ? items.map((x) => (same(x) ? item : x)) : [...items, item];
}

/**
 * The hall's configuration as the console edits it. Every write names the version the page read;
 * a write over a newer one (409 `stale-version`) reloads the tab and says so, and the editor shows
 * the version now stored (its form is keyed by version, so it starts again from it).
 */
export function createConfigStore(options: ConfigStoreOptions): ConfigStore {
  const { client } = options;
  /** Bumped by reset: an answer to a request made before it belongs to another session and is dropped. */
  let generation = 0;

  return createStore<ConfigStoreState>()((set, get) => {
    /** What each tab shows, loaded: the state to apply. */
    const loaders: Record<ConfigTab, () => Promise<Partial<ConfigState>>> = {
      [ConfigTab.Services]: async () => {
        const answer = await client.call(configRoutes.listServiceConfig, {});
        return { services: answer.services, catalogVersion: answer.catalogVersion };
      },
      [ConfigTab.Counters]: async () => {
        const [counters, services, staff] = await Promise.all([
          client.call(configRoutes.listCounterConfig, {}),
          client.call(configRoutes.listServiceConfig, {}),
          client.call(configRoutes.listStaff, {}),
        ]);
        return { counters: counters.counters, services: services.services, catalogVersion: services.catalogVersion, staff: staff.staff };
      },
      [ConfigTab.Kiosks]: async () => {
        const [kiosks, services] = await Promise.all([client.call(configRoutes.listKioskConfig, {}), client.call(configRoutes.listServiceConfig, {})]);
        return { kiosks: kiosks.kiosks, services: services.services, catalogVersion: services.catalogVersion };
      },
      [ConfigTab.Hall]: async () => {
        const answer = await client.call(configRoutes.hallSettings, {});
        return { hall: answer.hall };
      },
      [ConfigTab.Audit]: async () => {
        // Always asked again: the lines are what changed since, including this page's own saves.
        const [audit, staff] = await Promise.all([client.call(configRoutes.configAudit, { query: { limit: AUDIT_LINES } }), client.call(configRoutes.listStaff, {})]);
        return { audit: audit.entries, staff: staff.staff };
      },
    };

    const loaded = (tab: ConfigTab): boolean => {
      const s = get();
      switch (tab) {
        case ConfigTab.Services:
          return s.services !== null;
        case ConfigTab.Counters:
          return s.counters !== null && s.staff !== null;
        case ConfigTab.Kiosks:
          return s.kiosks !== null;
        case ConfigTab.Hall:
          return s.hall !== null;
        case ConfigTab.Audit:
          return false;
      }
    };

    function failed(err: unknown): UiError {
      const error = toUiError(err);
      set({ error, loading: false, saving: false });
      if (error.code === PortalErrorCode.Unauthorized) options.onUnauthorized();
      return error;
    }

    async function load(tab: ConfigTab): Promise<void> {
      const asked = generation;
      set({ loading: true });
      try {
        const state = await loaders[tab]();
        if (asked === generation) set({ ...state, loading: false });
      } catch (err) {
        if (asked === generation) failed(err);
      }
    }

    /** One write: on success its answer is applied; a stale page reloads the tab and keeps the editor on the fresh copy. */
    async function write<T>(run: () => Promise<T>, apply: (answer: T) => Partial<ConfigState>, notice: ConfigNotice | null = ConfigNotice.Saved): Promise<boolean> {
      if (get().saving) return false;
      const asked = generation;
      set({ saving: true, error: null, notice: null });
      try {
        const answer = await run();
        if (asked !== generation) return false;
        set({ ...apply(answer), saving: false, notice });
        return true;
      } catch (err) {
        if (asked !== generation) return false;
        // Someone else saved first: the page shows theirs, then the error says so (reloaded, edit again).
        if (STALE.has(toUiError(err).code)) await load(get().tab);
        if (asked === generation) failed(err);
        return false;
      }
    }

    const serviceSaved = (answer: ServiceConfigResponse): Partial<ConfigState> => ({
      services: replaced(get().services, answer.service, (s) => s.id === answer.service.id),
      catalogVersion: answer.catalogVersion,
      editor: null,
    });
    const counterSaved = (answer: CounterConfigResponse): Partial<ConfigState> => ({
      counters: replaced(get().counters, answer.counter, (c) => c.counterId === answer.counter.counterId),
      editor: null,
    });
    const kioskSaved = (kiosk: KioskConfigView, token: string | null): Partial<ConfigState> => ({
      kiosks: replaced(get().kiosks, kiosk, (k) => k.kioskId === kiosk.kioskId),
      editor: null,
      issuedToken: token === null ? null : { kioskId: kiosk.kioskId, token },
    });

    return {
      ...EMPTY,

      async open() {
        if (!loaded(get().tab)) await load(get().tab);
      },

      async showTab(tab) {
        if (tab === get().tab) return;
        // A token not yet copied stays only while its page is shown.
        set({ tab, editor: null, error: null, notice: null, issuedToken: null });
        if (!loaded(tab)) await load(tab);
      },

      async reload() {
        set({ error: null, notice: null });
        await load(get().tab);
      },

      edit(editor) {
        set({ editor, error: null, notice: null, issuedToken: null });
      },

      closeEditor() {
        set({ editor: null, error: null });
      },

      createService(request) {
        return write(() => client.call(configRoutes.createService, { body: request }), serviceSaved);
      },

      updateService(serviceId, settings, version) {
        return write(() => client.call(configRoutes.updateService, { params: { serviceId }, body: { ...settings, version } }), serviceSaved);
      },

      createCounter(request) {
        return write(() => client.call(configRoutes.createCounter, { body: request }), counterSaved);
      },

      updateCounter(counterId, settings, version) {
        return write(() => client.call(configRoutes.updateCounter, { params: { counterId }, body: { ...settings, version } }), counterSaved);
      },

      registerKiosk(request) {
        // The token panel says what happened: no second notice beside it.
        return write(() => client.call(configRoutes.registerKiosk, { body: request }), (answer) => kioskSaved(answer.kiosk, answer.token), null);
      },

      updateKiosk(kioskId, request) {
        return write(() => client.call(configRoutes.updateKiosk, { params: { kioskId }, body: request }), (answer) => kioskSaved(answer.kiosk, null));
      },

      revokeKiosk(kioskId, version) {
        return write(
          () => client.call(configRoutes.revokeKiosk, { params: { kioskId }, body: { version } }),
          (answer) => kioskSaved(answer.kiosk, null),
          ConfigNotice.Revoked,
        );
      },

      newKioskToken(kioskId, version) {
        return write(() => client.call(configRoutes.issueKioskToken, { params: { kioskId }, body: { version } }), (answer) => kioskSaved(answer.kiosk, answer.token), null);
      },

      saveHall(settings, version) {
        return write(() => client.call(configRoutes.updateHallSettings, { body: { ...settings, version } }), (answer) => ({ hall: answer.hall }));
      },

      dismissToken() {
        set({ issuedToken: null });
      },

      dismissError() {
        set({ error: null });
      },

      reset() {
        generation += 1;
        set(EMPTY);
      },
    };
  });
}
