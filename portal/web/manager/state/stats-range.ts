import { StatsBy, StatsQuery, statsRangeDays } from '../../../../common/contract/stats-api.js';
import { addDays, businessDayOf, isRealDay, type BusinessDay } from '../../../../common/domain/business-day.js';
import type { HallOfSession } from './session-store.js';

/** The range picker's quick choices: the hall's today, and the last 7, 30 and 90 business days up to it. */
export enum StatsPreset {
  Today = 'today',
  Last7 = 'last-7',
  Last30 = 'last-30',
  Last90 = 'last-90',
}

export const STATS_PRESETS: readonly StatsPreset[] = [StatsPreset.Today, StatsPreset.Last7, StatsPreset.Last30, StatsPreset.Last90];

const PRESET_DAYS: Readonly<Record<StatsPreset, number>> = {
  [StatsPreset.Today]: 1,
  [StatsPreset.Last7]: 7,
  [StatsPreset.Last30]: 30,
  [StatsPreset.Last90]: 90,
};

/** The five ways the tables group, in the order the console offers them. */
export const STATS_GROUPINGS: readonly StatsBy[] = [StatsBy.Day, StatsBy.Hour, StatsBy.Service, StatsBy.Counter, StatsBy.Clerk];

export interface StatsRange {
  from: BusinessDay;
  to: BusinessDay;
}

/** The hall's business day at `nowMs` (portal clock), in its zone and with its start hour. */
export function hallToday(hall: Pick<HallOfSession, 'timeZone' | 'businessDayStartHour'>, nowMs: number): BusinessDay {
  try {
    return businessDayOf(new Date(nowMs), hall.timeZone, hall.businessDayStartHour ?? 0);
  } catch {
    // A zone this browser does not know: its own day is the nearest guess; the portal decides anyway.
    return businessDayOf(new Date(nowMs), 'UTC', hall.businessDayStartHour ?? 0);
  }
}

/** `today` and the days before it, so the range holds the preset's number of days. */
export function presetRange(preset: StatsPreset, today: BusinessDay): StatsRange {
  return { from: addDays(today, 1 - PRESET_DAYS[preset]), to: today };
}

/** The preset a range is, if any (the picker marks it). */
export function presetOf(range: StatsRange, today: BusinessDay): StatsPreset | null {
  return STATS_PRESETS.find((p) => {
    const r = presetRange(p, today);
    return r.from === range.from && r.to === range.to;
  }) ?? null;
}

/** Why a range the manager typed cannot be asked for. */
export enum RangeProblem {
  /** Empty, or not a calendar day. */
  InvalidDay = 'invalid-day',
  ToBeforeFrom = 'to-before-from',
  /** Longer than the contract's STATS_MAX_DAYS. */
  TooLong = 'too-long',
}

export type RangeProblems = Partial<Record<keyof StatsRange, RangeProblem>>;

/**
 * The range checked with the contract's own schema (the portal checks the same), each problem on
 * the field it belongs to, so the picker can say it next to that field in the page's language.
 */
export function rangeProblems(range: StatsRange): RangeProblems {
  const checked = StatsQuery.safeParse({ ...range, by: StatsBy.Day });
  if (checked.success) return {};
  const problems: RangeProblems = {};
  for (const issue of checked.error.issues) {
    const field = issue.path[0];
    if (field !== 'from' && field !== 'to') continue;
    if (problems[field]) continue;
    if (!isRealDay(range[field])) problems[field] = RangeProblem.InvalidDay;
    else if (field === 'to' && isRealDay(range.from)) problems.to = statsRangeDays(range.from, range.to) < 1 ? RangeProblem.ToBeforeFrom : RangeProblem.TooLong;
    else problems[field] = RangeProblem.InvalidDay;
  }
  return problems;
}
