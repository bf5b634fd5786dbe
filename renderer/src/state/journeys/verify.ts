import type { KioskResponse } from '../../../../common/contract/kiosk-api.js';
import { Screen } from '../screen.js';
import { toUiError, type UiError } from '../ui-error.js';
import type { JourneyContext } from './journey-context.js';

/** 证照核验: a scanned e-certificate slip, verified by the core offline with the hall's public keys. */
export enum VerifyPhase {
  /** "Scan the QR code of the verification slip". */
  Waiting = 'waiting',
  Verifying = 'verifying',
  Result = 'result',
  /** A certificate was scanned but its code did not reach the screen: scan again. */
  Unreadable = 'unreadable',
  Failed = 'failed',
}

export type VerifyResult = KioskResponse<'verifyCertificate'>;

export type VerifyState =
  | { phase: VerifyPhase.Waiting }
  | { phase: VerifyPhase.Verifying }
  | { phase: VerifyPhase.Result; result: VerifyResult }
  | { phase: VerifyPhase.Unreadable }
  | { phase: VerifyPhase.Failed; error: UiError };

export const initialVerify: VerifyState = { phase: VerifyPhase.Waiting };

export interface VerifyActions {
  openVerify(): void;
  /** Verifies a scanned slip's code (opening the screen if need be); null: the scan carried no code. */
  verifyCertificate(code: string | null): Promise<void>;
}

export function createVerifyActions(ctx: JourneyContext): VerifyActions {
  return {
    openVerify() {
      ctx.open(Screen.Verify, { verify: initialVerify });
    },

    async verifyCertificate(code) {
      if (ctx.get().screen !== Screen.Verify) ctx.open(Screen.Verify, { verify: initialVerify });
      else ctx.touch();
      if (code === null) {
        ctx.set({ verify: { phase: VerifyPhase.Unreadable } });
        return;
      }
      const current = ctx.stillCurrent(true);
      ctx.set({ verify: { phase: VerifyPhase.Verifying } });
      try {
        const result = await ctx.api.verifyCertificate({ code });
        if (current()) ctx.set({ verify: { phase: VerifyPhase.Result, result } });
      } catch (err) {
        if (current()) ctx.set({ verify: { phase: VerifyPhase.Failed, error: toUiError(err) } });
      }
    },
  };
}
