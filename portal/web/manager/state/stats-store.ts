import { createStore, type StoreApi } from 'zustand/vanilla';
import { PortalErrorCode } from '../../../../common/contract/errors.js';
import { StatsBy, statsRoutes, type StatsResponse } from '../../../../common/contract/stats-api.js';
import type { BusinessDay } from '../../../../common/domain/business-day.js';
import type { PortalClient } from '../../shared/api/portal-client.js';
import { toUiError, type UiError } from '../../shared/api/ui-error.js';
import { Language } from '../../shared/i18n/language.js';
import { presetOf, presetRange, rangeProblems, StatsPreset, type RangeProblems, type StatsRange } from './stats-range.js';

export interface StatsState {
  /** The range as the picker holds it (what the manager typed, maybe not valid yet). */
  draft: StatsRange;
  /** The hall's business day when the picker was set up: the presets count back from it. */
  today: BusinessDay | null;
  by: StatsBy;
  /** The problems of the draft the last time it was applied. */
  problems: RangeProblems;
  /** The table shown, for `result.from`..`result.to` grouped by `result.by`. */
  result: StatsResponse | null;
  loading: boolean;
  error: UiError | null;
}

export interface StatsActions {
  /** Sets the picker to the default range (the last 7 days up to `today`) and loads, once. */
  open(today: BusinessDay): Promise<void>;
  /** A preset counted back from `today` (the hall's day now: a page left open past midnight moves on). */
  choosePreset(preset: StatsPreset, today: BusinessDay): Promise<void>;
  editRange(range: Partial<StatsRange>): void;
  /** Loads the draft range, if the contract accepts it. */
  apply(): Promise<void>;
  groupBy(by: StatsBy): Promise<void>;
  dismissError(): void;
  /** Forgets the range and the table (the session ended). */
  reset(): void;
}

export type StatsStoreState = StatsState & StatsActions;
export type StatsStore = StoreApi<StatsStoreState>;

export interface StatsStoreOptions {
  client: PortalClient;
  onUnauthorized: () => void;
}

export const DEFAULT_STATS_PRESET = StatsPreset.Last7;

/** The preset the draft range is, against the picker's today. */
export function activePreset(state: Pick<StatsState, 'draft' | 'today'>): StatsPreset | null {
  return state.today ? presetOf(state.draft, state.today) : null;
}

/** The CSV of one table: a plain link (GET with the session cookie), headers in the page's language. */
export function statsCsvUrl(client: PortalClient, result: Pick<StatsResponse, 'from' | 'to' | 'by'>, language: Language): string {
  const query = new URLSearchParams({ from: result.from, to: result.to, by: result.by, lang: language === Language.En ? 'en' : 'zh' });
  return `${client.url(statsRoutes.hallStatsCsv.path)}?${query.toString()}`;
}

/**
 * The statistics page: a range of the hall's business days and one grouping at a time (a 90-day
 * table is a heavy read, rate limited per caller: the other groupings load when chosen). An answer
 * that arrives after a newer request was made is dropped, so the table always matches the picker.
 */
export function createStatsStore(options: StatsStoreOptions): StatsStore {
  const { client } = options;
  let requestId = 0;

  return createStore<StatsStoreState>()((set, get) => {
    async function load(range: StatsRange, by: StatsBy): Promise<void> {
      const id = ++requestId;
      set({ loading: true, error: null });
      try {
        const result = await client.call(statsRoutes.hallStats, { query: { from: range.from, to: range.to, by } });
        if (id === requestId) set({ result, loading: false });
      } catch (err) {
        if (id !== requestId) return;
        const error = toUiError(err);
        set({ loading: false, error });
        if (error.code === PortalErrorCode.Unauthorized) options.onUnauthorized();
      }
    }

    return {
      draft: { from: '', to: '' },
      today: null,
      by: StatsBy.Day,
      problems: {},
      result: null,
      loading: false,
      error: null,

      async open(today) {
        if (get().today) return;
        const draft = presetRange(DEFAULT_STATS_PRESET, today);
        set({ today, draft, problems: {} });
        await load(draft, get().by);
      },

      async choosePreset(preset, today) {
        const draft = presetRange(preset, today);
        set({ today, draft, problems: {} });
        await load(draft, get().by);
      },

      editRange(range) {
        set({ draft: { ...get().draft, ...range } });
      },

      async apply() {
        const draft = get().draft;
        const problems = rangeProblems(draft);
        set({ problems });
        if (Object.keys(problems).length > 0) return;
        await load(draft, get().by);
      },

      async groupBy(by) {
        if (by === get().by && get().result?.by === by) return;
        set({ by });
        const shown = get().result;
        // The table's range, not a half-typed draft: switching the grouping changes only the grouping.
        await load(shown ? { from: shown.from, to: shown.to } : get().draft, by);
      },

      dismissError() {
        set({ error: null });
      },

      reset() {
        // An answer still on its way belongs to the session that asked: dropped.
        requestId += 1;
        set({ draft: { from: '', to: '' }, today: null, by: StatsBy.Day, problems: {}, result: null, loading: false, error: null });
      },
    };
  });
}
