import { createStore, type StoreApi } from 'zustand/vanilla';
import { PortalErrorCode } from '../../../../common/contract/errors.js';
import {
  KioskHealthState,
  kioskHealthRoutes,
  type HealthFinding,
  type KioskHealthReason,
  type KioskHealthView,
} from '../../../../common/contract/kiosk-health-api.js';
import type { PortalClient } from '../../shared/api/portal-client.js';
import { toUiError, type UiError } from '../../shared/api/ui-error.js';

/**
 * How often the wall asks for every kiosk's health. A kiosk reports once per sync interval and is
 * red once two pass in silence; a few seconds here keep the wall well inside that.
 */
export const WALL_POLL_MS = 5_000;

export interface WallState {
  kiosks: KioskHealthView[];
  /** The portal's clock at the last answer; null until the first. */
  serverTime: string | null;
  /** The last poll failed (the wall keeps what it showed, marked stale). */
  error: UiError | null;
  polling: boolean;
}

export interface WallActions {
  /** Loads now, then every `intervalMs` until stopped. */
  start(): void;
  stop(): void;
  refresh(): Promise<void>;
  /** Stops and forgets every kiosk (the session ended). */
  reset(): void;
}

export type WallStoreState = WallState & WallActions;
export type WallStore = StoreApi<WallStoreState>;

export interface WallStoreOptions {
  client: PortalClient;
  intervalMs?: number;
  /** The session ended (401): the console goes back to sign-in. */
  onUnauthorized: () => void;
  onServerTime?: (serverTimeIso: string) => void;
}

/** One alert of the wall: a kiosk and one reason it is not green. */
export interface WallAlert {
  kioskId: string;
  kioskDigit: number;
  reason: KioskHealthReason;
  severity: HealthFinding['severity'];
}

const SEVERITY_RANK: Readonly<Record<KioskHealthState, number>> = {
  [KioskHealthState.Red]: 0,
  [KioskHealthState.Amber]: 1,
  [KioskHealthState.Green]: 2,
};

/** Tiles in the hall's own order (by kiosk digit, then id): a tile never jumps when its colour changes. */
export function wallOrder(kiosks: readonly KioskHealthView[]): KioskHealthView[] {
  return [...kiosks].sort((a, b) => a.kioskDigit - b.kioskDigit || a.kioskId.localeCompare(b.kioskId));
}

/** Every finding of every kiosk, red before amber, then in the wall's order. */
export function wallAlerts(kiosks: readonly KioskHealthView[]): WallAlert[] {
  const alerts = wallOrder(kiosks).flatMap((k) =>
    k.findings.map((f) => ({ kioskId: k.kioskId, kioskDigit: k.kioskDigit, reason: f.reason, severity: f.severity })),
  );
  // Array.prototype.sort is stable: within a severity the wall's order stays.
  return alerts.sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
}

/** How many kiosks are in each state. */
export function wallCounts(kiosks: readonly KioskHealthView[]): Record<KioskHealthState, number> {
  const counts = { [KioskHealthState.Green]: 0, [KioskHealthState.Amber]: 0, [KioskHealthState.Red]: 0 };
  for (const k of kiosks) counts[k.state] += 1;
  return counts;
}

/**
 * The kiosk wall: every kiosk's health, polled. (The hall event stream carries the queue, not
 * kiosk health, and a silent kiosk sends nothing at all: only asking finds it.) One request at a
 * time: the next poll is timed from the end of the last, so a slow portal is never queued up.
 */
export function createWallStore(options: WallStoreOptions): WallStore {
  const intervalMs = options.intervalMs ?? WALL_POLL_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<void> | null = null;
  /** Bumped by reset: an answer to a request made before it is dropped. */
  let generation = 0;

  return createStore<WallStoreState>()((set, get) => {
    function schedule(): void {
      clearTimeout(timer);
      if (!get().polling) return;
      timer = setTimeout(() => void poll(), intervalMs);
    }

    async function load(): Promise<void> {
      const asked = generation;
      try {
        const answer = await options.client.call(kioskHealthRoutes.listKioskHealth, {});
        if (asked !== generation) return;
        set({ kiosks: answer.kiosks, serverTime: answer.serverTime, error: null });
        options.onServerTime?.(answer.serverTime);
      } catch (err) {
        if (asked !== generation) return;
        const error = toUiError(err);
        if (error.code === PortalErrorCode.Unauthorized) {
          set({ polling: false, error });
          clearTimeout(timer);
          options.onUnauthorized();
          return;
        }
        set({ error });
      }
    }

    async function poll(): Promise<void> {
      if (!inFlight) inFlight = load().finally(() => (inFlight = null));
      await inFlight;
      schedule();
    }

    return {
      kiosks: [],
      serverTime: null,
      error: null,
      polling: false,
      start() {
        if (get().polling) return;
        set({ polling: true });
        void poll();
      },
      stop() {
        clearTimeout(timer);
        set({ polling: false });
      },
      async refresh() {
        await poll();
      },
      reset() {
        generation += 1;
        clearTimeout(timer);
        set({ kiosks: [], serverTime: null, error: null, polling: false });
      },
    };
  });
}
