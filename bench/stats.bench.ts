/**
 * stats: the manager's statistics page on a hall with 1,000,000 tickets over 400 business days,
 * generated straight into the embedded PostgreSQL (bench/stats/hall-history.ts: generate_series,
 * ten days per statement, through the real triggers that keep the visit legs). Then the page —
 * its five tables (by day, hour, service, counter, clerk), each the portal's `hallStats` as the
 * route calls it, with the range's total shared between them as the route shares it — is loaded
 * RUNS times (after WARMUP_RUNS) for the last 90 days and for today: the five requests together,
 * as the page sends them, and again one after another.
 * Prints one JSON line: tickets; p99 and p50 of the page (all five answers in) for 90 days and
 * for one day, and the same one request after another; the slowest request's p99; how long
 * generating took, and building the 399 closed days' figures (stats-days.ts; done once, as days
 * close). BENCH_STATS_EXPLAIN=1 prints the plans of the 90-day statements on stderr.
 * Targets (issue 10): 90-day p99 ≤ 1 s, 1-day p99 ≤ 100 ms.
 */
import path from 'node:path';
import { rmSync } from 'node:fs';
import type pg from 'pg';
import { StatsBy } from '../common/contract/stats-api.js';
import { addDays, businessDayOf } from '../common/domain/business-day.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../portal/db/embedded.js';
import { migrate } from '../portal/db/migrate.js';
import { createPortalPool } from '../portal/db/pool.js';
import { findFreePort } from '../portal/net/find-free-port.js';
import { DEMO_HALL_ID, seedDemoHall } from '../portal/seed/demo-hall.js';
import { SharedTotals, STATS_WORK_MEM, hallStats } from '../portal/stats/hall-stats.js';
import { ensureStatsDays } from '../portal/stats/stats-days.js';
import { groupingStatement, totalStatement } from '../portal/stats/stats-store.js';
import { makeReachableTempDir } from '../portal/test-support/test-postgres.js';
import { generateHallHistory } from './stats/hall-history.js';
import { emit, percentile, round } from './stats.js';

const TICKETS = Number(process.env.BENCH_STATS_TICKETS ?? 1_000_000);
const DAYS = Number(process.env.BENCH_STATS_DAYS ?? 400);
const RUNS = Number(process.env.BENCH_STATS_RUNS ?? 25);
/** Loads before the timed ones: every pooled connection has prepared the statements, as in a running portal. */
const WARMUP_RUNS = 5;
const HALL = DEMO_HALL_ID;
/** BENCH_STATS_EXPLAIN=1: the plans of the 90-day page's statements (EXPLAIN ANALYZE) on stderr. */
const EXPLAIN = process.env.BENCH_STATS_EXPLAIN === '1';
const PAGE: readonly StatsBy[] = [StatsBy.Day, StatsBy.Hour, StatsBy.Service, StatsBy.Counter, StatsBy.Clerk];

async function timed<T>(work: () => Promise<T>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const dir = await makeReachableTempDir('bench-stats-');
let postgres: EmbeddedPostgres | null = null;
let pool: pg.Pool | null = null;
try {
  // fsync off for the minutes of generating history; what is timed only reads.
  postgres = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: await findFreePort(), unsafeNoFsync: true });
  // The portal's own pool size: the page's five requests run side by side, as they would.
  pool = createPortalPool(postgres.url, { max: 10, statementTimeoutMillis: 600_000, onIdleError: () => undefined });
  await migrate(pool);
  await seedDemoHall(pool, { kioskTokens: [{ kioskId: 'bench-kiosk', token: 'bench-kiosk-token', kioskDigit: 1 }], staffToken: 'bench-staff-token' });
  const hall = (await pool.query<{ time_zone: string; business_day_start_hour: number }>('SELECT time_zone, business_day_start_hour FROM halls WHERE hall_id = $1', [HALL])).rows[0];
  if (!hall) throw new Error('no hall');
  const now = new Date();
  const today = businessDayOf(now, hall.time_zone, hall.business_day_start_hour);
  const perDay = Math.round(TICKETS / DAYS);

  const loadStart = process.hrtime.bigint();
  const client = await pool.connect();
  try {
    await generateHallHistory(client, { hallId: HALL, today, days: DAYS, ticketsPerDay: perDay, timeZone: hall.time_zone, dayStartHour: hall.business_day_start_hour });
  } finally {
    client.release();
  }
  const loadSeconds = Number(process.hrtime.bigint() - loadStart) / 1e9;
  // The closed days' built figures, as the statistics build them the first time a day is asked for.
  const buildStart = process.hrtime.bigint();
  const builtDays = await ensureStatsDays(pool, HALL, { from: addDays(today, -(DAYS - 1)), to: today }, today);
  const buildSeconds = Number(process.hrtime.bigint() - buildStart) / 1e9;
  if (builtDays !== DAYS - 1) throw new Error(`built ${builtDays} days, expected ${DAYS - 1}`);

  const counts = (
    await pool.query<{ tickets: number; segments: number; legs: number; ratings: number; orders: number }>(
      `SELECT (SELECT count(*) FROM tickets WHERE hall_id = $1)::int AS tickets,
              (SELECT count(*) FROM ticket_segments WHERE hall_id = $1)::int AS segments,
              (SELECT count(*) FROM ticket_legs WHERE hall_id = $1)::int AS legs,
              (SELECT count(*) FROM ratings WHERE hall_id = $1)::int AS ratings,
              (SELECT count(*) FROM rectification_orders WHERE hall_id = $1)::int AS orders`,
      [HALL],
    )
  ).rows[0];
  if (!counts || counts.tickets !== perDay * DAYS) throw new Error(`generated ${counts?.tickets} tickets, expected ${perDay * DAYS}`);

  const ranges = { '90d': { from: addDays(today, -89), to: today }, '1d': { from: today, to: today } } as const;
  type RangeName = keyof typeof ranges;
  /** One load of the page: its five tables, asked together (as the page does) or one after another. */
  const loadPage = async (range: { from: string; to: string }, together: boolean, perQuery?: (by: StatsBy, ms: number) => void): Promise<number> => {
    const totals = new SharedTotals();
    const ask = async (by: StatsBy): Promise<void> => {
      const ms = await timed(() => hallStats(pool as pg.Pool, HALL, { ...range, by }, now, totals));
      perQuery?.(by, ms);
    };
    return timed(async () => {
      if (together) await Promise.all(PAGE.map(ask));
      else for (const by of PAGE) await ask(by);
    });
  };
  const pageTimes: Record<string, number[]> = {};
  const queryTimes: Record<string, number[]> = {};
  for (const name of Object.keys(ranges) as RangeName[]) {
    for (const together of [true, false]) {
      const mode = `${name}${together ? '' : ':sequential'}`;
      for (let run = 0; run < WARMUP_RUNS + RUNS; run++) {
        const measured = run >= WARMUP_RUNS;
        const ms = await loadPage(ranges[name], together, (by, q) => {
          if (measured && together) (queryTimes[`${name}:${by}`] ??= []).push(q);
        });
        if (measured) (pageTimes[mode] ??= []).push(ms);
      }
    }
  }
  if (EXPLAIN) {
    const explainer = await pool.connect();
    try {
      await explainer.query('BEGIN');
      await explainer.query(`SET LOCAL work_mem = '${STATS_WORK_MEM}'`);
      const statements = [...PAGE.map((by) => groupingStatement(HALL, { ...ranges['90d'], by }, { today })), totalStatement(HALL, ranges['90d'], { today })];
      for (const statement of statements) {
        const plan = await explainer.query(`EXPLAIN (ANALYZE, BUFFERS) ${statement.text}`, statement.values);
        console.error(`-- ${statement.name}\n${plan.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n')}`);
      }
      await explainer.query('ROLLBACK');
    } finally {
      explainer.release();
    }
  }
  const p = (mode: string, q: number): number => round(percentile(pageTimes[mode] ?? [], q), 1);
  const slowest = (name: string): string => {
    const worst = PAGE.map((by) => ({ by, p99: percentile(queryTimes[`${name}:${by}`] ?? [], 99) })).reduce((a, b) => (b.p99 > a.p99 ? b : a));
    return `${worst.by} ${round(worst.p99, 1)} ms`;
  };
  emit({
    name: 'stats',
    unit: 'ms',
    tickets: counts.tickets,
    days: DAYS,
    p99_90d_ms: p('90d', 99),
    p99_1d_ms: p('1d', 99),
    p50_90d_ms: p('90d', 50),
    p50_1d_ms: p('1d', 50),
    target_met: p('90d', 99) <= 1000 && p('1d', 99) <= 100,
    p99_90d_sequential_ms: p('90d:sequential', 99),
    p99_1d_sequential_ms: p('1d:sequential', 99),
    slowest_query_90d: slowest('90d'),
    slowest_query_1d: slowest('1d'),
    runs: RUNS,
    queries_per_page: PAGE.length,
    segments: counts.segments,
    legs: counts.legs,
    ratings: counts.ratings,
    orders: counts.orders,
    load_s: round(loadSeconds, 1),
    build_days_s: round(buildSeconds, 1),
  });
} finally {
  await pool?.end();
  if (postgres) await postgres.stop();
  rmSync(dir, { recursive: true, force: true });
}
