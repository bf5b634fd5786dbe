import { createStore, type StoreApi } from 'zustand/vanilla';
import type { z } from 'zod';
import type { BookingConfirmation, HoldResponse, SlotsResponse, SlotView } from '../../../../common/contract/booking-api.js';
import { businessDayOf } from '../../../../common/domain/business-day.js';
import { checkIdNumber, type IdNumberErrorCode } from '../../../../common/domain/id-number.js';
import type { PortalClient } from '../../shared/api/portal-client.js';
import { toUiError, type UiError } from '../../shared/api/ui-error.js';
import { clockOffsetMs } from '../../shared/format/time.js';
import { citizenRoutes } from '../api/citizen-routes.js';
import { endsHold, refreshesSlots } from './booking-errors.js';

export type Slots = z.infer<typeof SlotsResponse>;
export type Hold = z.infer<typeof HoldResponse>;

/**
 * Where the citizen is in booking one service: choosing (day, slot, ID number), a place held
 * while they confirm, the hold run out, or booked. The ID number is checked here (GB 11643, so a
 * mistyped digit is caught before it is sent), sent once with the hold, and never kept.
 */
export enum BookingPhase {
  /** The slots are on their way. */
  Loading = 'loading',
  /** The slots could not be loaded: the error, and a retry. */
  Unavailable = 'unavailable',
  Choosing = 'choosing',
  Held = 'held',
  Expired = 'expired',
  Confirmed = 'confirmed',
}

export interface BookingState {
  hallId: string | null;
  serviceId: string | null;
  phase: BookingPhase;
  slots: Slots | null;
  day: string | null;
  /** The chosen slot's start instant, as listed. */
  slotStart: string | null;
  hold: Hold | null;
  confirmation: BookingConfirmation | null;
  /** Portal clock minus this phone's: the countdown runs on the portal's clock. */
  clockOffsetMs: number;
  busy: boolean;
  error: UiError | null;
  /** What is wrong with the ID number typed, found on the page before anything is sent. */
  idProblem: IdNumberErrorCode | null;
}

export interface BookingActions {
  /** Shows a service's booking: a new service starts afresh, the same one keeps where it was. */
  open(hallId: string, serviceId: string): Promise<void>;
  reloadSlots(): Promise<void>;
  chooseDay(day: string): void;
  chooseSlot(start: string): void;
  /** Checks the ID number, then holds the chosen slot. True when held. */
  holdSlot(idNumber: string): Promise<boolean>;
  /** The citizen is correcting the ID number: the old problem goes until the next try. */
  clearIdProblem(): void;
  confirm(): Promise<boolean>;
  /** The countdown reached zero: the place is gone, choose again. */
  expire(): void;
  /** Back to choosing (a hold is left to run out: the portal has no release). */
  chooseAgain(): void;
  /** After a confirmation: book another time of the same service. */
  startOver(): void;
  dismissError(): void;
}

export type BookingStoreState = BookingState & BookingActions;
export type BookingStore = StoreApi<BookingStoreState>;

export interface BookingStoreOptions {
  client: PortalClient;
  now?: () => number;
}

/** One day of the booking window with its slots and the places left in all of them. */
export interface BookableDay {
  day: string;
  available: number;
  slots: SlotView[];
}

/** The slots grouped by day, in order; days without a slot (closed) are left out. */
export function bookableDaysOf(slots: Slots | null): BookableDay[] {
  const days = new Map<string, BookableDay>();
  for (const slot of slots?.slots ?? []) {
    const entry = days.get(slot.day) ?? { day: slot.day, available: 0, slots: [] };
    entry.available += slot.available;
    entry.slots.push(slot);
    days.set(slot.day, entry);
  }
  return [...days.values()].sort((a, b) => a.day.localeCompare(b.day)).map((d) => ({ ...d, slots: [...d.slots].sort((a, b) => a.start.localeCompare(b.start)) }));
}

export function chosenSlot(state: Pick<BookingState, 'slots' | 'slotStart'>): SlotView | null {
  return state.slots?.slots.find((s) => s.start === state.slotStart) ?? null;
}

const initial = {
  phase: BookingPhase.Loading,
  slots: null,
  day: null,
  slotStart: null,
  hold: null,
  confirmation: null,
  busy: false,
  error: null,
  idProblem: null,
} satisfies Partial<BookingState>;

export function createBookingStore(options: BookingStoreOptions): BookingStore {
  const { client } = options;
  const now = options.now ?? (() => Date.now());
  /** Answers to an older `open` (another service) are dropped. */
  let generation = 0;

  return createStore<BookingStoreState>()((set, get) => {
    async function loadSlots(keepChoice: boolean): Promise<void> {
      const { hallId, serviceId } = get();
      if (!hallId || !serviceId) return;
      const mine = generation;
      try {
        const slots = await client.call(citizenRoutes.slots, { params: { hallId, serviceId } });
        if (mine !== generation) return;
        const state = get();
        const dayStillListed = slots.slots.some((s) => s.day === state.day);
        const slotStillFree = slots.slots.some((s) => s.start === state.slotStart && s.available > 0);
        set({
          slots,
          clockOffsetMs: clockOffsetMs(slots.serverTime, now()),
          phase: state.phase === BookingPhase.Loading || state.phase === BookingPhase.Unavailable ? BookingPhase.Choosing : state.phase,
          day: keepChoice && dayStillListed ? state.day : null,
          slotStart: keepChoice && slotStillFree ? state.slotStart : null,
        });
      } catch (err) {
        if (mine !== generation) return;
        const phase = get().phase;
        set({ error: toUiError(err), phase: phase === BookingPhase.Loading ? BookingPhase.Unavailable : phase });
      }
    }

    return {
      hallId: null,
      serviceId: null,
      clockOffsetMs: 0,
      ...initial,

      async open(hallId, serviceId) {
        const state = get();
        if (state.hallId === hallId && state.serviceId === serviceId && state.phase !== BookingPhase.Unavailable) return;
        generation += 1;
        set({ hallId, serviceId, ...initial });
        await loadSlots(false);
      },

      async reloadSlots() {
        if (get().phase === BookingPhase.Unavailable) set({ phase: BookingPhase.Loading, error: null });
        await loadSlots(true);
      },

      chooseDay(day) {
        if (get().phase !== BookingPhase.Choosing) return;
        set({ day, slotStart: get().day === day ? get().slotStart : null, error: null });
      },

      chooseSlot(start) {
        const state = get();
        const slot = state.slots?.slots.find((s) => s.start === start);
        if (state.phase !== BookingPhase.Choosing || !slot || slot.available === 0) return;
        set({ day: slot.day, slotStart: start, error: null });
      },

      async holdSlot(idNumber) {
        const state = get();
        const slot = chosenSlot(state);
        if (state.phase !== BookingPhase.Choosing || state.busy || !slot || !state.hallId || !state.serviceId || !state.slots) return false;
        const today = businessDayOf(new Date(now() + state.clockOffsetMs), state.slots.timeZone);
        const checked = checkIdNumber(idNumber, today);
        if (!checked.ok) {
          set({ idProblem: checked.code });
          return false;
        }
        set({ busy: true, error: null, idProblem: null });
        try {
          const hold = await client.call(citizenRoutes.hold, {
            body: { hallId: state.hallId, serviceId: state.serviceId, slotStart: slot.start, idNumber: checked.value.idNumber },
          });
          set({ hold, phase: BookingPhase.Held, busy: false });
          return true;
        } catch (err) {
          const error = toUiError(err);
          set({ busy: false, error });
          // Taken meanwhile or out of the window: the places shown must be the portal's.
          if (refreshesSlots(error.code)) await loadSlots(true);
          return false;
        }
      },

      clearIdProblem() {
        if (get().idProblem !== null) set({ idProblem: null });
      },

      async confirm() {
        const { hold, busy, phase } = get();
        if (phase !== BookingPhase.Held || busy || !hold) return false;
        set({ busy: true, error: null });
        try {
          const confirmation = await client.call(citizenRoutes.confirm, { params: { holdId: hold.holdId } });
          set({ confirmation, hold: null, phase: BookingPhase.Confirmed, busy: false });
          return true;
        } catch (err) {
          const error = toUiError(err);
          if (endsHold(error.code)) {
            set({ busy: false, error, hold: null, phase: BookingPhase.Expired, slotStart: null });
            await loadSlots(true);
          } else {
            set({ busy: false, error });
          }
          return false;
        }
      },

      expire() {
        if (get().phase !== BookingPhase.Held) return;
        set({ phase: BookingPhase.Expired, hold: null, slotStart: null });
        void loadSlots(true);
      },

      chooseAgain() {
        const phase = get().phase;
        if (phase !== BookingPhase.Held && phase !== BookingPhase.Expired) return;
        set({ phase: BookingPhase.Choosing, hold: null, error: null });
        void loadSlots(true);
      },

      startOver() {
        if (get().phase !== BookingPhase.Confirmed) return;
        set({ ...initial, phase: BookingPhase.Choosing, slots: get().slots });
        void loadSlots(false);
      },

      dismissError() {
        set({ error: null });
      },
    };
  });
}
