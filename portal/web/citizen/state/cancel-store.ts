import { createStore, type StoreApi } from 'zustand/vanilla';
import { AppointmentReference, CancelCode } from '../../../../common/contract/booking-api.js';
import type { PortalClient } from '../../shared/api/portal-client.js';
import { toUiError, type UiError } from '../../shared/api/ui-error.js';
import { citizenRoutes } from '../api/citizen-routes.js';

/** Which field of the cancel form is wrong, found on the page before anything is sent. */
export enum CancelProblem {
  Reference = 'reference',
  Code = 'code',
}

export interface CancelState {
  busy: boolean;
  error: UiError | null;
  problem: CancelProblem | null;
  /** The reference cancelled, once the portal said so. */
  cancelled: string | null;
}

export interface CancelActions {
  cancel(hallId: string, reference: string, cancelCode: string): Promise<boolean>;
  reset(): void;
  dismissError(): void;
}

export type CancelStore = StoreApi<CancelState & CancelActions>;

/** `hka-7q2m 9xkd` typed on a phone is `HKA-7Q2M9XKD`. */
export function normaliseReference(raw: string): string {
  return raw.toUpperCase().replace(/\s+/g, '');
}

export function createCancelStore(options: { client: PortalClient }): CancelStore {
  return createStore<CancelState & CancelActions>()((set, get) => ({
    busy: false,
    error: null,
    problem: null,
    cancelled: null,

    async cancel(hallId, rawReference, rawCode) {
      if (get().busy) return false;
      const reference = normaliseReference(rawReference);
      const cancelCode = rawCode.replace(/\s+/g, '');
      const problem = !AppointmentReference.safeParse(reference).success ? CancelProblem.Reference : !CancelCode.safeParse(cancelCode).success ? CancelProblem.Code : null;
      if (problem) {
        set({ problem, error: null });
        return false;
      }
      set({ busy: true, error: null, problem: null });
      try {
        await options.client.call(citizenRoutes.cancel, { body: { hallId, reference, cancelCode } });
        set({ busy: false, cancelled: reference });
        return true;
      } catch (err) {
        set({ busy: false, error: toUiError(err) });
        return false;
      }
    },

    reset() {
      set({ busy: false, error: null, problem: null, cancelled: null });
    },

    dismissError() {
      set({ error: null });
    },
  }));
}
