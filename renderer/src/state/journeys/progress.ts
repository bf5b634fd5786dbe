import type { KioskCasesView } from '../../../../common/contract/kiosk-api.js';
import { Screen } from '../screen.js';
import { toUiError, type UiError } from '../ui-error.js';
import type { JourneyContext } from './journey-context.js';
import { PrintPhase } from './print-phase.js';

/** 办件进度: the identified visitor's cases, fresh or cached with their age. */
export enum ProgressPhase {
  /** Nobody identified yet: "please swipe your ID card". */
  NeedCard = 'need-card',
  Loading = 'loading',
  Loaded = 'loaded',
  Failed = 'failed',
}

export interface SlipPrint {
  caseNumber: string;
  phase: PrintPhase;
}

export type ProgressState =
  | { phase: ProgressPhase.NeedCard }
  | { phase: ProgressPhase.Loading }
  | { phase: ProgressPhase.Loaded; view: KioskCasesView; slip: SlipPrint | null }
  | { phase: ProgressPhase.Failed; error: UiError };

export const initialProgress: ProgressState = { phase: ProgressPhase.NeedCard };

export interface ProgressActions {
  /** The home button: the identified visitor's cases at once, else the card prompt. */
  openProgress(): void;
  /** (Re)loads the identified visitor's cases; a newer card's lookup wins over an older one's. */
  loadCases(): Promise<void>;
  /** The verification slip of a case's e-certificate. */
  printCertificateSlip(caseNumber: string): Promise<void>;
}

export function createProgressActions(ctx: JourneyContext): ProgressActions {
  return {
    openProgress() {
      ctx.open(Screen.Progress, { progress: initialProgress });
      if (ctx.get().visitor) void ctx.get().loadCases();
    },

    async loadCases() {
      if (ctx.get().screen !== Screen.Progress) return;
      ctx.touch();
      if (!ctx.get().visitor) {
        ctx.set({ progress: initialProgress });
        return;
      }
      const current = ctx.stillCurrent(true);
      ctx.set({ progress: { phase: ProgressPhase.Loading } });
      try {
        const view = await ctx.api.lookupCases({});
        if (current()) ctx.set({ progress: { phase: ProgressPhase.Loaded, view, slip: null } });
      } catch (err) {
        if (current()) ctx.set({ progress: { phase: ProgressPhase.Failed, error: toUiError(err) } });
      }
    },

    async printCertificateSlip(caseNumber) {
      const progress = ctx.get().progress;
      if (progress.phase !== ProgressPhase.Loaded || progress.slip?.phase === PrintPhase.Printing) return;
      const found = progress.view.cases.find((c) => c.caseNumber === caseNumber);
      if (!found?.certificate) return;
      ctx.touch();
      const current = ctx.stillCurrent();
      const withSlip = (slip: SlipPrint): void => {
        const now = ctx.get().progress;
        if (now.phase === ProgressPhase.Loaded) ctx.set({ progress: { ...now, slip } });
      };
      withSlip({ caseNumber, phase: PrintPhase.Printing });
      let phase: PrintPhase;
      try {
        phase = (await ctx.api.printCertificateSlip({ caseNumber })).printed ? PrintPhase.Printed : PrintPhase.Failed;
      } catch (err) {
        console.warn('kiosk: printCertificateSlip failed', toUiError(err).code);
        phase = PrintPhase.Failed;
      }
      if (current()) withSlip({ caseNumber, phase });
    },
  };
}
