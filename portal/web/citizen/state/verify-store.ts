import { createStore, type StoreApi } from 'zustand/vanilla';
import type { z } from 'zod';
import type { VerifyCertificateResponse } from '../../../../common/contract/cases-api.js';
import type { PortalClient } from '../../shared/api/portal-client.js';
import { toUiError, type UiError } from '../../shared/api/ui-error.js';
import { citizenRoutes } from '../api/citizen-routes.js';

export type Verification = z.infer<typeof VerifyCertificateResponse>;

export interface VerifyState {
  busy: boolean;
  error: UiError | null;
  /** Nothing was pasted. */
  empty: boolean;
  /** The code the verdict is about. */
  code: string | null;
  result: Verification | null;
}

export interface VerifyActions {
  verify(code: string): Promise<boolean>;
  dismissError(): void;
}

export type VerifyStore = StoreApi<VerifyState & VerifyActions>;

/** Whitespace a paste or a line-wrapped slip adds; a code has none. */
export function normaliseCertificateCode(raw: string): string {
  return raw.replace(/\s+/g, '');
}

/**
 * Verifies a slip's code at the portal, which holds the hall's keys: the verdict (valid, forged or
 * altered, unknown key, not a code) comes from the signature, never from what the code claims.
 */
export function createVerifyStore(options: { client: PortalClient }): VerifyStore {
  return createStore<VerifyState & VerifyActions>()((set, get) => ({
    busy: false,
    error: null,
    empty: false,
    code: null,
    result: null,

    async verify(raw) {
      const code = normaliseCertificateCode(raw);
      if (code === '') {
        set({ empty: true, result: null, code: null, error: null });
        return false;
      }
      if (get().busy) return false;
      set({ busy: true, empty: false, error: null, result: null, code });
      try {
        const result = await options.client.call(citizenRoutes.verifyCertificate, { body: { code: code.slice(0, 2000) } });
        // A newer paste wins over an older answer.
        if (get().code === code) set({ busy: false, result });
        return true;
      } catch (err) {
        set({ busy: false, error: toUiError(err) });
        return false;
      }
    },

    dismissError() {
      set({ error: null });
    },
  }));
}
