import { createStore, type StoreApi } from 'zustand/vanilla';
import { KioskErrorCode } from '../../../common/contract/errors.js';
import type {
  DeviceKind,
  Diagnostics,
  ExportedLogs,
  KioskApi,
  SelfTestResult,
  TechnicianSession,
} from '../../../common/contract/kiosk-api.js';
import { PIN_MAX_LENGTH, PIN_MIN_LENGTH } from '../../../common/contract/kiosk-api.js';
import { toUiError, type UiError } from '../state/ui-error.js';

export enum TechnicianStage {
  Closed = 'closed',
  Pin = 'pin',
  Diagnostics = 'diagnostics',
}

/** The PIN pad closes by itself when nobody types: a visitor who found it is not stuck there. */
export const PIN_IDLE_MS = 60_000;
// The contract's bounds: the pad never submits a PIN the core would refuse as malformed.
export { PIN_MAX_LENGTH, PIN_MIN_LENGTH } from '../../../common/contract/kiosk-api.js';

export type TechnicianOutcome =
  | { kind: 'exported'; fileName: string }
  | { kind: 'reprinted'; number: string }
  | { kind: 'clock-confirmed'; offsetMs: number };

export interface TechnicianState {
  stage: TechnicianStage;
  /** Digits typed so far; never leaves the page except in technicianLogin. */
  pin: string;
  session: TechnicianSession | null;
  diagnostics: Diagnostics | null;
  selfTests: Partial<Record<DeviceKind, SelfTestResult>>;
  /** The device whose self-test is running. */
  testing: DeviceKind | null;
  busy: boolean;
  error: UiError | null;
  outcome: TechnicianOutcome | null;
}

export interface TechnicianActions {
  open(): void;
  /** Logs out (if logged in) and leaves the technician screen. */
  close(): void;
  pressDigit(digit: string): void;
  deleteDigit(): void;
  clearPin(): void;
  submitPin(): Promise<void>;
  refresh(): Promise<void>;
  runSelfTest(device: DeviceKind): Promise<void>;
  /** The masked log text to save as a file; null when the export failed (the error says why). */
  exportLogs(): Promise<ExportedLogs | null>;
  reprint(ticketId: string): Promise<void>;
  /** Adopts the held portal clock jump the screen shows (its measured offset). */
  confirmClockJump(measuredOffsetMs: number): Promise<void>;
  dispose(): void;
}

export type TechnicianStoreState = TechnicianState & TechnicianActions;
export type TechnicianStore = StoreApi<TechnicianStoreState>;

export interface TechnicianStoreOptions {
  pinIdleMs?: number;
  now?: () => number;
}

const closedState: TechnicianState = {
  stage: TechnicianStage.Closed,
  pin: '',
  session: null,
  diagnostics: null,
  selfTests: {},
  testing: null,
  busy: false,
  error: null,
  outcome: null,
};

/**
 * The technician screen's state: PIN entry, then diagnostics for as long as the core's session
 * lasts. The core enforces everything (PIN check, lockout, expiry, audit); this store only
 * follows it, and drops back to the PIN pad when the core says the session has expired.
 */
export function createTechnicianStore(api: KioskApi, options: TechnicianStoreOptions = {}): TechnicianStore {
  const pinIdleMs = options.pinIdleMs ?? PIN_IDLE_MS;
  const now = options.now ?? (() => Date.now());
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  let expiryTimer: ReturnType<typeof setTimeout> | undefined;

  return createStore<TechnicianStoreState>()((set, get) => {
    function armPinIdle(): void {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        if (get().stage === TechnicianStage.Pin) get().close();
      }, pinIdleMs);
    }

    function expire(): void {
      clearTimeout(expiryTimer);
      set({ ...closedState, stage: TechnicianStage.Pin, error: { code: KioskErrorCode.SessionExpired, detail: '' } });
      armPinIdle();
    }

    /** Runs a session call; an expired session sends the technician back to the PIN pad. */
    async function withSession<T>(call: (session: string) => Promise<T>): Promise<T | null> {
      const session = get().session;
      if (!session) {
        expire();
        return null;
      }
      try {
        return await call(session.session);
      } catch (err) {
        const error = toUiError(err);
        if (error.code === KioskErrorCode.SessionExpired) expire();
        else set({ error });
        return null;
      }
    }

    return {
      ...closedState,

      open() {
        if (get().stage !== TechnicianStage.Closed) return;
        set({ ...closedState, stage: TechnicianStage.Pin });
        armPinIdle();
      },

      close() {
        const session = get().session;
        clearTimeout(idleTimer);
        clearTimeout(expiryTimer);
        set({ ...closedState });
        if (session) {
          api.technicianLogout({ session: session.session }).catch((err: unknown) => {
            console.warn('technician: logout failed', toUiError(err).code);
          });
        }
      },

      pressDigit(digit) {
        if (!/^\d$/.test(digit) || get().stage !== TechnicianStage.Pin) return;
        armPinIdle();
        const pin = get().pin;
        if (pin.length < PIN_MAX_LENGTH) set({ pin: pin + digit, error: null });
      },

      deleteDigit() {
        armPinIdle();
        set({ pin: get().pin.slice(0, -1) });
      },

      clearPin() {
        armPinIdle();
        set({ pin: '' });
      },

      async submitPin() {
        const { pin, busy, stage } = get();
        if (busy || stage !== TechnicianStage.Pin || pin.length < PIN_MIN_LENGTH) return;
        armPinIdle();
        // The digits leave the screen at once, whatever the answer.
        set({ pin: '', busy: true, error: null });
        try {
          const session = await api.technicianLogin({ pin });
          clearTimeout(idleTimer);
          set({ busy: false, session, stage: TechnicianStage.Diagnostics });
          clearTimeout(expiryTimer);
          expiryTimer = setTimeout(expire, Math.max(0, Date.parse(session.expiresAt) - now()));
          await get().refresh();
        } catch (err) {
          set({ busy: false, error: toUiError(err) });
        }
      },

      async refresh() {
        set({ busy: true });
        const diagnostics = await withSession((session) => api.getDiagnostics({ session }));
        set({ busy: false });
        if (diagnostics) set({ diagnostics, error: null });
      },

      async runSelfTest(device) {
        if (get().testing !== null) return;
        set({ testing: device, outcome: null, error: null });
        const result = await withSession((session) => api.runSelfTest({ session, device }));
        set({ testing: null });
        if (result) set({ selfTests: { ...get().selfTests, [device]: result } });
        if (get().session) await get().refresh();
      },

      async exportLogs() {
        const exported = await withSession((session) => api.exportLogs({ session }));
        if (exported) set({ outcome: { kind: 'exported', fileName: exported.fileName } });
        return exported;
      },

      async reprint(ticketId) {
        set({ outcome: null, error: null });
        const ticket = await withSession((session) => api.reprintTicket({ session, ticketId }));
        if (ticket) set({ outcome: { kind: 'reprinted', number: ticket.number } });
        if (get().session) await get().refresh();
      },

      async confirmClockJump(measuredOffsetMs) {
        set({ outcome: null, error: null });
        const result = await withSession((session) => api.confirmClockJump({ session, measuredOffsetMs }));
        if (result) set({ outcome: { kind: 'clock-confirmed', offsetMs: result.acceptedOffsetMs } });
        if (get().session) await get().refresh();
      },

      dispose() {
        clearTimeout(idleTimer);
        clearTimeout(expiryTimer);
      },
    };
  });
}
