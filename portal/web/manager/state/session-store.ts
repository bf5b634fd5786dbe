import type { z } from 'zod';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { consoleRoutes, type ConsoleCatalogResponse } from '../../../../common/contract/console-api.js';
import { PortalErrorCode } from '../../../../common/contract/errors.js';
import { roleAtLeast, StaffRole } from '../../../../common/contract/route-spec.js';
import { staffRoutes, type PublicHall, type SessionResponse } from '../../../../common/contract/staff-api.js';
import type { PortalClient } from '../../shared/api/portal-client.js';
import { toUiError, type UiError } from '../../shared/api/ui-error.js';
import { clockOffsetMs } from '../../shared/format/time.js';
import { DEFAULT_LANGUAGE, otherLanguage, type Language } from '../../shared/i18n/language.js';

export enum ManagerPhase {
  /** Asking the portal whether the browser already has a session. */
  Starting = 'starting',
  SignIn = 'sign-in',
  /** Signed in, but as a clerk: the console is for managers and admins. */
  Forbidden = 'forbidden',
  Console = 'console',
}

/** The console's three parts, each at its own `#hash` so a reload stays where the manager was. */
export enum ManagerSection {
  Wall = 'wall',
  Stats = 'stats',
  Config = 'config',
}

export const MANAGER_SECTIONS: readonly ManagerSection[] = [ManagerSection.Wall, ManagerSection.Stats, ManagerSection.Config];

/** The least role the console is for (the manager routes' own `minRole`). */
export const MANAGER_ROLE = StaffRole.Manager;

export type HallOfSession = ConsoleCatalogResponse['hall'];

export interface SessionState {
  phase: ManagerPhase;
  language: Language;
  halls: z.infer<typeof PublicHall>[];
  /** The signed-in member of staff and the session's CSRF token (never the session id: httpOnly cookie). */
  session: SessionResponse | null;
  /** The hall signed in to: its name, time zone and business-day start. */
  hall: HallOfSession | null;
  /** Portal clock minus this machine's: "last seen" and "today" are on the portal's clock. */
  clockOffsetMs: number;
  section: ManagerSection;
  busy: boolean;
  error: UiError | null;
}

export interface SessionActions {
  start(): Promise<void>;
  signIn(hallId: string, username: string, password: string): Promise<boolean>;
  signOut(): Promise<void>;
  /** A section's call answered 401: the session is gone, back to the sign-in form. */
  sessionLost(): Promise<void>;
  /** A section's call brought the portal's clock along. */
  noteServerTime(serverTimeIso: string): void;
  showSection(section: ManagerSection): void;
  toggleLanguage(): void;
  dismissError(): void;
}

export type SessionStoreState = SessionState & SessionActions;
export type SessionStore = StoreApi<SessionStoreState>;

export interface SessionStoreOptions {
  client: PortalClient;
  now?: () => number;
  section?: ManagerSection;
}

/** Whether a member of staff may use the manager console. */
export function mayManage(session: SessionResponse): boolean {
  return roleAtLeast(session.staff.role, MANAGER_ROLE);
}

/**
 * Who is signed in to the manager console: the same staff sign-in as the counter console (session
 * cookie, CSRF token on every write), for managers and admins only. A clerk who signs in here is
 * told the account lacks the right, and the session this form just made is ended at once.
 */
export function createSessionStore(options: SessionStoreOptions): SessionStore {
  const { client } = options;
  const now = options.now ?? (() => Date.now());

  return createStore<SessionStoreState>()((set, get) => {
    async function toSignIn(error: UiError | null): Promise<void> {
      set({ phase: ManagerPhase.SignIn, session: null, hall: null, busy: false, error });
      try {
        const { halls } = await client.call(staffRoutes.halls, {});
        set({ halls });
      } catch (err) {
        if (!error) set({ error: toUiError(err) });
      }
    }

    async function afterSession(session: SessionResponse): Promise<void> {
      if (!mayManage(session)) {
        set({ phase: ManagerPhase.Forbidden, session, hall: null, busy: false, error: null });
        return;
      }
      set({ session, error: null });
      try {
        const catalog = await client.call(consoleRoutes.catalog, {});
        set({ hall: catalog.hall, clockOffsetMs: clockOffsetMs(catalog.serverTime, now()) });
      } catch (err) {
        const error = toUiError(err);
        if (error.code === PortalErrorCode.Unauthorized) return toSignIn(error);
        set({ error });
      }
      set({ phase: ManagerPhase.Console, busy: false });
    }

    return {
      phase: ManagerPhase.Starting,
      language: DEFAULT_LANGUAGE,
      halls: [],
      session: null,
      hall: null,
      clockOffsetMs: 0,
      section: options.section ?? ManagerSection.Wall,
      busy: false,
      error: null,

      async start() {
        try {
          const session = await client.call(staffRoutes.session, {});
          await afterSession(session);
        } catch (err) {
          const error = toUiError(err);
          await toSignIn(error.code === PortalErrorCode.Unauthorized ? null : error);
        }
      },

      async signIn(hallId, username, password) {
        if (get().busy) return false;
        set({ busy: true, error: null });
        try {
          const session = await client.call(staffRoutes.signIn, { body: { hallId, username, password } });
          if (!mayManage(session)) {
            // The session this form made is no use here: end it rather than leave it open.
            await client.call(staffRoutes.signOut, {}).catch(() => undefined);
            await toSignIn({ code: PortalErrorCode.Forbidden, status: 403, detail: 'the manager console is for managers and admins' });
            return false;
          }
          await afterSession(session);
          return true;
        } catch (err) {
          set({ busy: false, error: toUiError(err) });
          return false;
        }
      },

      async signOut() {
        set({ busy: true, error: null });
        await client.call(staffRoutes.signOut, {}).catch(() => undefined);
        await toSignIn(null);
      },

      async sessionLost() {
        if (get().phase === ManagerPhase.SignIn) return;
        await toSignIn({ code: PortalErrorCode.Unauthorized, status: 401, detail: 'session ended' });
      },

      noteServerTime(serverTimeIso) {
        set({ clockOffsetMs: clockOffsetMs(serverTimeIso, now()) });
      },

      showSection(section) {
        if (get().section !== section) set({ section });
      },

      toggleLanguage() {
        set({ language: otherLanguage(get().language) });
      },

      dismissError() {
        set({ error: null });
      },
    };
  });
}
