import { z } from 'zod';
import { BusinessDay, isRealDay } from '../domain/business-day.js';
import { LocalizedText } from './localized-text.js';
import { RatingLevel } from './ratings-api.js';
import { RouteAuth, StaffRole, type RouteSpec } from './route-spec.js';

/**
 * The hall's statistics for its managers (issue 10 §3): arrivals, outcomes, waiting and serving
 * times, 好差评 and rectification orders over a range of the hall's business days, grouped one
 * way per request. What each figure counts is defined once, in portal/stats/visit-legs.ts.
 */

export enum StatsBy {
  /** The ticket's business day. */
  Day = 'day',
  /** The local hour (hall time zone) the ticket arrived in, 24 rows at most, the business day's first hour first. */
  Hour = 'hour',
  Service = 'service',
  Counter = 'counter',
  Clerk = 'clerk',
}

/** The longest range one request may ask for, in business days (both ends included). */
export const STATS_MAX_DAYS = 400;

/** Days from `from` to `to`, both included (0 or less when `to` is before `from`). */
export function statsRangeDays(from: string, to: string): number {
  const utc = (day: string): number => {
    const [y = 0, m = 0, d = 0] = day.split('-').map(Number);
    const date = new Date(0);
    date.setUTCFullYear(y, m - 1, d);
    return date.getTime();
  };
  return Math.round((utc(to) - utc(from)) / 86_400_000) + 1;
}

const RangeFields = { from: BusinessDay, to: BusinessDay, by: z.enum(StatsBy) };

function checkRange(range: { from: string; to: string }, ctx: z.RefinementCtx): void {
  for (const key of ['from', 'to'] as const) {
    if (!isRealDay(range[key])) ctx.addIssue({ code: 'custom', path: [key], message: `${range[key]} is not a calendar day` });
  }
  if (!isRealDay(range.from) || !isRealDay(range.to)) return;
  const days = statsRangeDays(range.from, range.to);
  if (days < 1) ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must not be before from' });
  else if (days > STATS_MAX_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: `at most ${STATS_MAX_DAYS} days at once` });
}

export const StatsQuery = z.object(RangeFields).superRefine(checkRange);
export type StatsQuery = z.infer<typeof StatsQuery>;

/** The CSV's header row and total row are in this language (default Chinese). */
export const StatsCsvQuery = z.object({ ...RangeFields, lang: z.enum(['zh', 'en']).default('zh') }).superRefine(checkRange);
export type StatsCsvQuery = z.infer<typeof StatsCsvQuery>;

/** A distribution of durations, in seconds (null when there is nothing to measure). */
export const DurationStats = z.object({
  /** How many waits (or servings) were measured. */
  count: z.number().int().nonnegative(),
  meanSeconds: z.number().nonnegative().nullable(),
  /** percentile_cont(0.5): linear interpolation between the two middle values. */
  medianSeconds: z.number().nonnegative().nullable(),
  /** percentile_cont(0.9). */
  p90Seconds: z.number().nonnegative().nullable(),
});
export type DurationStats = z.infer<typeof DurationStats>;

const Count = z.number().int().nonnegative();

export const StatsRow = z.object({
  /** `2025-03-10`, `09` (hour), a service, counter or staff id; `total` for the whole range. */
  key: z.string(),
  /** The service's or counter's name, the clerk's display name; null for days, hours, the total and unknown ids. */
  name: LocalizedText.nullable(),
  /** Tickets that came to this group: issued (day, hour), waited for the service, called at the counter or by the clerk. */
  arrivals: Count,
  walkIns: Count,
  appointments: Count,
  /** Tickets completed. */
  served: Count,
  /** Calls that ended in 弃号 (a later requeue does not undo the count). */
  noShows: Count,
  transfers: Count,
  /** Closed unserved: by staff, or by the end-of-day sweep. */
  cancelled: Count,
  waiting: DurationStats,
  serving: DurationStats,
  ratings: z.object({
    total: Count,
    levels: z.record(z.enum(RatingLevel), Count),
    /** 满意率: 非常满意, 满意 and 基本满意 over all ratings; null without ratings. */
    satisfactionRate: z.number().min(0).max(1).nullable(),
  }),
  rectifications: z.object({
    /** Orders not closed yet. */
    open: Count,
    /** Open or contacted orders past their due day (the hall's today). */
    overdue: Count,
  }),
});
export type StatsRow = z.infer<typeof StatsRow>;

export const StatsResponse = z.object({
  from: BusinessDay,
  to: BusinessDay,
  by: z.enum(StatsBy),
  /** The hall's zone: hours are local hours there. */
  timeZone: z.string(),
  /** The hall's business day now: what `overdue` is measured against. */
  today: BusinessDay,
  rows: z.array(StatsRow),
  total: StatsRow,
});
export type StatsResponse = z.infer<typeof StatsResponse>;

export const statsRoutes = {
  hallStats: {
    method: 'get', path: '/v1/manager/stats', auth: RouteAuth.Staff, minRole: StaffRole.Manager,
    summary: "The hall's statistics over a range of business days, by day, hour, service, counter or clerk",
    request: null, response: StatsResponse, query: StatsQuery,
  },
  hallStatsCsv: {
    method: 'get', path: '/v1/manager/stats.csv', auth: RouteAuth.Staff, minRole: StaffRole.Manager,
    summary: 'The same table as CSV (UTF-8 with BOM, for Excel), as an attachment',
    request: null, response: z.string(), query: StatsCsvQuery,
  },
} as const satisfies Record<string, RouteSpec>;
