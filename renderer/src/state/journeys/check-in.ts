import { CheckInOutcome, type CheckInResult } from '../../../../common/contract/kiosk-api.js';
import { Screen } from '../screen.js';
import { toUiError, type UiError } from '../ui-error.js';
import { TicketNote, type JourneyContext } from './journey-context.js';

/** 预约签到: by the booking QR's reference, or by the identified visitor's ID card. */
export enum CheckInPhase {
  /** "Scan your booking QR or swipe your ID card". */
  Waiting = 'waiting',
  Checking = 'checking',
  /** An outcome without a ticket to show: early, late, another day, cancelled, not found... */
  Result = 'result',
  Failed = 'failed',
}

export enum CheckInMethod {
  Reference = 'reference',
  Card = 'card',
}

export type CheckInState =
  | { phase: CheckInPhase.Waiting }
  | { phase: CheckInPhase.Checking; method: CheckInMethod }
  | { phase: CheckInPhase.Result; method: CheckInMethod; result: CheckInResult }
  | { phase: CheckInPhase.Failed; method: CheckInMethod; reference: string | null; error: UiError };

export const initialCheckIn: CheckInState = { phase: CheckInPhase.Waiting };

export interface CheckInActions {
  /** The home button: checks the identified visitor in at once ("don't ask twice"), else asks for a scan or card. */
  openCheckIn(): void;
  /** Checks in by a scanned reference, or without one by the identified visitor's card; ignored while one is running. */
  startCheckIn(reference?: string | null): Promise<void>;
}

export function createCheckInActions(ctx: JourneyContext): CheckInActions {
  return {
    openCheckIn() {
      ctx.open(Screen.CheckIn, { checkIn: initialCheckIn });
      if (ctx.get().visitor) void ctx.get().startCheckIn(null);
    },

    async startCheckIn(reference = null) {
      const state = ctx.get();
      if (state.checkIn.phase === CheckInPhase.Checking && state.screen === Screen.CheckIn) return;
      if (state.screen !== Screen.CheckIn) ctx.open(Screen.CheckIn, { checkIn: initialCheckIn });
      else ctx.touch();
      const method = reference ? CheckInMethod.Reference : CheckInMethod.Card;
      const current = ctx.stillCurrent(true);
      ctx.set({ checkIn: { phase: CheckInPhase.Checking, method } });
      try {
        const request = reference ? { requestId: ctx.newId(), reference } : { requestId: ctx.newId() };
        const result = await ctx.api.checkIn(request);
        // A ticket this check-in issued is shown whatever happened meanwhile: every issued number
        // is printed or displayed, never lost with a screen the visitor left.
        if (result.outcome === CheckInOutcome.Ticket && result.ticket) {
          ctx.showTicket(result.ticket, null);
          return;
        }
        if (!current()) return;
        if (result.outcome === CheckInOutcome.AlreadyCheckedIn && result.ticket) {
          ctx.showTicket(result.ticket, TicketNote.AlreadyCheckedIn);
          return;
        }
        ctx.set({ checkIn: { phase: CheckInPhase.Result, method, result } });
      } catch (err) {
        if (!current()) return;
        ctx.set({ checkIn: { phase: CheckInPhase.Failed, method, reference, error: toUiError(err) } });
      }
    },
  };
}
