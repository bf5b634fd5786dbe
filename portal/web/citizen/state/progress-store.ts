import { createStore, type StoreApi } from 'zustand/vanilla';
import type { CaseView } from '../../../../common/contract/cases-api.js';
import { CaseNumber } from '../../../../common/contract/counter-api.js';
import { checkIdNumber, type IdNumberErrorCode } from '../../../../common/domain/id-number.js';
import type { PortalClient } from '../../shared/api/portal-client.js';
import { toUiError, type UiError } from '../../shared/api/ui-error.js';
import { citizenRoutes } from '../api/citizen-routes.js';

export interface ProgressState {
  busy: boolean;
  error: UiError | null;
  caseNumberProblem: boolean;
  idProblem: IdNumberErrorCode | null;
  result: CaseView | null;
}

export interface ProgressActions {
  /** `today`: the hall's business day (an ID number born after it is refused on the page). */
  lookup(hallId: string, caseNumber: string, idNumber: string, today: string): Promise<boolean>;
  clear(): void;
  dismissError(): void;
}

export type ProgressStore = StoreApi<ProgressState & ProgressActions>;

/** A case by its number and the applicant's ID number (matched by the portal's HMAC; never kept here). */
export function createProgressStore(options: { client: PortalClient }): ProgressStore {
  return createStore<ProgressState & ProgressActions>()((set, get) => ({
    busy: false,
    error: null,
    caseNumberProblem: false,
    idProblem: null,
    result: null,

    async lookup(hallId, rawCaseNumber, idNumber, today) {
      if (get().busy) return false;
      const caseNumber = rawCaseNumber.trim().toUpperCase();
      const caseNumberProblem = !CaseNumber.safeParse(caseNumber).success;
      const checked = checkIdNumber(idNumber, today);
      set({ caseNumberProblem, idProblem: checked.ok ? null : checked.code, error: null });
      if (caseNumberProblem || !checked.ok) return false;
      set({ busy: true, result: null });
      try {
        const { case: found } = await options.client.call(citizenRoutes.caseLookup, { body: { hallId, caseNumber, idNumber: checked.value.idNumber } });
        set({ busy: false, result: found });
        return true;
      } catch (err) {
        set({ busy: false, error: toUiError(err) });
        return false;
      }
    },

    clear() {
      set({ result: null, error: null, caseNumberProblem: false, idProblem: null });
    },

    dismissError() {
      set({ error: null });
    },
  }));
}
