import { Screen } from '../screen.js';
import { toUiError } from '../ui-error.js';
import { PrintPhase } from './print-phase.js';
import type { JourneyContext } from './journey-context.js';

/** 办事指南: a searchable list of services, then one service's guide. */
export interface GuideState {
  /** Letters typed on the on-screen keyboard (pinyin initials or full pinyin), lowercase a–z. */
  query: string;
  /** The service whose guide is open; null: the list. */
  serviceId: string | null;
  print: { serviceId: string; phase: PrintPhase } | null;
}

export const initialGuide: GuideState = { query: '', serviceId: null, print: null };

/** Longer than any service's pinyin key needs. */
export const GUIDE_QUERY_MAX = 24;

export interface GuideActions {
  openGuide(): void;
  /** One key of the on-screen keyboard; anything but a–z is ignored. */
  typeGuideKey(letter: string): void;
  eraseGuideKey(): void;
  clearGuideQuery(): void;
  openGuideService(serviceId: string): void;
  /** Back from a guide page to the list, the search kept. */
  closeGuideService(): void;
  /** Prints the open guide's materials list ("bring these"). */
  printGuide(): Promise<void>;
}

export function createGuideActions(ctx: JourneyContext): GuideActions {
  const update = (partial: Partial<GuideState>): void => {
    ctx.touch();
    ctx.set({ guide: { ...ctx.get().guide, ...partial } });
  };
  return {
    openGuide() {
      ctx.open(Screen.Guide, { guide: initialGuide });
    },

    typeGuideKey(letter) {
      const key = letter.toLowerCase();
      const { query } = ctx.get().guide;
      if (!/^[a-z]$/.test(key) || query.length >= GUIDE_QUERY_MAX) return;
      update({ query: query + key });
    },

    eraseGuideKey() {
      update({ query: ctx.get().guide.query.slice(0, -1) });
    },

    clearGuideQuery() {
      update({ query: '' });
    },

    openGuideService(serviceId) {
      if (!ctx.get().services.some((s) => s.id === serviceId)) return;
      update({ serviceId, print: null });
    },

    closeGuideService() {
      update({ serviceId: null, print: null });
    },

    async printGuide() {
      const { serviceId, print } = ctx.get().guide;
      if (serviceId === null || print?.phase === PrintPhase.Printing) return;
      const current = ctx.stillCurrent();
      update({ print: { serviceId, phase: PrintPhase.Printing } });
      let phase: PrintPhase;
      try {
        phase = (await ctx.api.printGuide({ serviceId })).printed ? PrintPhase.Printed : PrintPhase.Failed;
      } catch (err) {
        console.warn('kiosk: printGuide failed', toUiError(err).code);
        phase = PrintPhase.Failed;
      }
      // The visitor may have opened another service meanwhile: the result belongs to the one printed.
      if (current() && ctx.get().guide.serviceId === serviceId) ctx.set({ guide: { ...ctx.get().guide, print: { serviceId, phase } } });
    },
  };
}
