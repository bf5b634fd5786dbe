import type pg from 'pg';
import { z } from 'zod';
import type { LocalizedText } from '../../common/contract/localized-text.js';
import { RATING_SCORE, RatingLevel } from '../../common/contract/ratings-api.js';
import { StatsBy, type DurationStats, type StatsResponse, type StatsRow } from '../../common/contract/stats-api.js';
import { businessDayOf } from '../../common/domain/business-day.js';
import { withTransaction } from '../db/transaction.js';
import { loadHall } from '../queue/hall-day.js';
import { ensureStatsDays } from './stats-days.js';
import { readGroupFigures, readTotalFigures, type DurationFigures, type StatsFigures, type StatsRange } from './stats-store.js';

/**
 * A manager's statistics of their own hall (the principal's; nothing in the request names a
 * hall): the figures of stats-store.ts with names, in display order, durations in seconds, and
 * the range's total. Definitions: visit-legs.ts.
 */

/**
 * Memory for one statistics statement's sorts: a 90-day total merges a quarter of a million
 * durations, and the legs of days not built are sorted, in memory rather than spilled past the
 * default 4 MB.
 */
export const STATS_WORK_MEM = '64MB';

/** The labels of a grouping's keys, in the order the table shows them; keys absent sort last, by key. */
interface KeyNames {
  order: string[];
  names: Map<string, LocalizedText>;
}

const NameRow = z.object({ key: z.string(), zh: z.string(), en: z.string() });

/** Names of services (display order), counters (by number, disabled ones too) and clerks. */
const NAMES_SQL: Partial<Record<StatsBy, string>> = {
  [StatsBy.Service]: 'SELECT service_id AS key, name_zh AS zh, name_en AS en FROM services WHERE hall_id = $1 ORDER BY sort_order, service_id',
  [StatsBy.Counter]: 'SELECT counter_id AS key, name_zh AS zh, name_en AS en FROM counters WHERE hall_id = $1 ORDER BY number, counter_id',
  [StatsBy.Clerk]: 'SELECT staff_id AS key, display_name AS zh, display_name AS en FROM staff WHERE hall_id = $1 ORDER BY staff_id',
};

async function keyNames(client: pg.PoolClient, hallId: string, by: StatsBy, dayStartHour: number): Promise<KeyNames> {
  if (by === StatsBy.Hour) {
    // The business day's first hour first: with a 03:00 start, 00-02 end the day.
    return { order: Array.from({ length: 24 }, (_, i) => String((dayStartHour + i) % 24).padStart(2, '0')), names: new Map() };
  }
  const sql = NAMES_SQL[by];
  if (sql === undefined) return { order: [], names: new Map() };
  const rows = (await client.query(sql, [hallId])).rows.map((r) => NameRow.parse(r));
  return { order: rows.map((r) => r.key), names: new Map(rows.map((r) => [r.key, { zh: r.zh, en: r.en }])) };
}

/** Seconds to the millisecond. */
const seconds = (us: number): number => Math.round(us / 1000) / 1000;

function durationStats(d: DurationFigures): DurationStats {
  return {
    count: d.count,
    meanSeconds: d.count === 0 ? null : seconds(d.sumUs / d.count),
    medianSeconds: d.medianUs === null ? null : seconds(d.medianUs),
    p90Seconds: d.p90Us === null ? null : seconds(d.p90Us),
  };
}

/** 满意率: the levels scored 3 and up (基本满意 and better) over all ratings. */
export function satisfactionRate(levels: Readonly<Record<RatingLevel, number>>): number | null {
  const total = Object.values(levels).reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const good = Object.values(RatingLevel).filter((l) => RATING_SCORE[l] >= 3).reduce((a, l) => a + levels[l], 0);
  return good / total;
}

export function toStatsRow(f: StatsFigures, name: LocalizedText | null): StatsRow {
  return {
    key: f.key,
    name,
    arrivals: f.arrivals,
    walkIns: f.arrivals - f.appointments,
    appointments: f.appointments,
    served: f.served,
    noShows: f.noShows,
    transfers: f.transfers,
    cancelled: f.cancelled,
    waiting: durationStats(f.waiting),
    serving: durationStats(f.serving),
    ratings: {
      total: Object.values(f.ratings).reduce((a, b) => a + b, 0),
      levels: { ...f.ratings },
      satisfactionRate: satisfactionRate(f.ratings),
    },
    rectifications: { open: f.openOrders, overdue: f.overdueOrders },
  };
}

function ordered(groups: Map<string, StatsFigures>, order: readonly string[]): StatsFigures[] {
  const rank = new Map(order.map((key, i) => [key, i]));
  return [...groups.values()].sort((a, b) => {
    const ra = rank.get(a.key) ?? Number.MAX_SAFE_INTEGER;
    const rb = rank.get(b.key) ?? Number.MAX_SAFE_INTEGER;
    return ra - rb || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  });
}

/** How long a range's total is shared between requests: the tables of one page load come within it. */
export const TOTAL_SHARED_MS = 10_000;
const TOTALS_KEPT = 200;

/**
 * The range's total, computed once for the tables a page asks for together (they come at the
 * same moment, and each would sort the whole range again): a request joins the computation under
 * way for the same hall, range and today, or takes one finished less than TOTAL_SHARED_MS ago.
 * Per portal process; a total that failed is not kept.
 */
export class SharedTotals {
  private readonly entries = new Map<string, { at: number; total: Promise<StatsFigures> }>();

  constructor(
    private readonly ttlMs = TOTAL_SHARED_MS,
    private readonly clock: () => number = Date.now,
  ) {}

  get(key: string, compute: () => Promise<StatsFigures>): Promise<StatsFigures> {
    const now = this.clock();
    for (const [k, e] of this.entries) if (now - e.at > this.ttlMs) this.entries.delete(k);
    const kept = this.entries.get(key);
    if (kept) return kept.total;
    const total = compute();
    this.entries.set(key, { at: now, total });
    total.catch(() => this.entries.delete(key));
    // The oldest go first (a Map iterates in insertion order).
    while (this.entries.size > TOTALS_KEPT) this.entries.delete(this.entries.keys().next().value as string);
    return total;
  }
}

/** One read-only snapshot, with room for the statistics' sorts. */
function statsRead<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return withTransaction(
    pool,
    async (client) => {
      await client.query(`SET LOCAL work_mem = '${STATS_WORK_MEM}'`);
      return work(client);
    },
    { isolation: 'repeatable-read', readOnly: true },
  );
}

/**
 * The statistics of `hallId` over the range (the contract validated it: real days, `from` ≤ `to`,
 * at most STATS_MAX_DAYS), `overdue` as of the hall's business day at `now`. The grouping is one
 * snapshot; the total another, shared with the page's other tables (`totals`; none: computed here).
 */
export async function hallStats(pool: pg.Pool, hallId: string, range: StatsRange, now: Date, totals?: SharedTotals): Promise<StatsResponse> {
  const hall = await loadHall(pool, hallId);
  const today = businessDayOf(now, hall.time_zone, hall.business_day_start_hour);
  const facts = { today };
  // The closed days of the range not built yet (after a change, or never asked for before).
  await ensureStatsDays(pool, hallId, range, today);
  const computeTotal = () => statsRead(pool, (client) => readTotalFigures(client, hallId, range, facts));
  const [grouped, total] = await Promise.all([
    statsRead(pool, async (client) => ({
      groups: await readGroupFigures(client, hallId, range, facts),
      keys: await keyNames(client, hallId, range.by, hall.business_day_start_hour),
    })),
    totals ? totals.get(`${hallId}\n${range.from}\n${range.to}\n${today}`, computeTotal) : computeTotal(),
  ]);
  return {
    from: range.from,
    to: range.to,
    by: range.by,
    timeZone: hall.time_zone,
    today,
    rows: ordered(grouped.groups, grouped.keys.order).map((f) => toStatsRow(f, grouped.keys.names.get(f.key) ?? null)),
    total: toStatsRow(total, null),
  };
}
