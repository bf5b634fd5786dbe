/**
 * Issue 10 "Must show": statistics computed by SQL match those computed in the test from the raw
 * segments of generated days. Each run generates two business days in a hall of its own on a real
 * PostgreSQL — random arrivals, and clerks driving the real counter operations (holds, transfers,
 * recalls into no-shows, requeues, cancellations), ratings, orders, the end-of-day sweep between
 * the days — from a seeded generator (STATS_TEST_SEED replays a failure; the seed is printed when
 * a test fails). Then:
 * - the trigger-kept rollup (ticket_legs) holds exactly the legs visit-legs.ts defines, computed
 *   here in TypeScript from the raw segments, and so does a rebuild of it from the segments alone;
 * - for every grouping, two ranges and two "todays", the portal's figures equal the reference's
 *   (stats-reference.ts) exactly: counts, exact microsecond sums, and percentiles — SQL's
 *   percentile_cont semantics (interpolated at p·(n−1)) on both sides — read from the legs, from
 *   the built days (stats_days: sorted runs merged), and after a change made a built day forget;
 * - a day built while tickets were still open on it is forgotten when the sweep closes them, and
 *   a late rating makes its day forget too;
 * - the halls live in one database: a figure leaking across halls would not match.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { StatsBy } from '../../common/contract/stats-api.js';
import { addDays } from '../../common/domain/business-day.js';
import { withTransaction } from '../db/transaction.js';
import { TEST_NOW } from '../test-support/portal-harness.js';
import { startTestPostgres, type TestPostgres } from '../test-support/test-postgres.js';
import { ensureStatsDays, buildStatsDay } from './stats-days.js';
import { readRawHall, referenceFigures, referenceLegs, type RawHall, type ReferenceLeg } from './stats-reference.js';
import { readGroupFigures, readTotalFigures, type StatsFigures } from './stats-store.js';
import { generateHallDays, lateRating, type GeneratedHall } from './stats-test-kit.js';

/**
 * A fixed seed by default: the coverage check below needs days that hold every case, and one
 * random draw in a few dozen misses a rare one (a closed order). `STATS_TEST_SEED=random` explores.
 */
const SEED_ENV = process.env.STATS_TEST_SEED;
const BASE_SEED = SEED_ENV === 'random' ? Math.floor(Math.random() * 2 ** 31) : Number(SEED_ENV ?? 628_880_657);
/** Each run its own hall, zone and seed: Shanghai from 03:00, and Kathmandu (+05:45) from midnight. */
const RUNS = [
  { timeZone: 'Asia/Shanghai', dayStartHour: 3 },
  { timeZone: 'Asia/Kathmandu', dayStartHour: 0 },
  { timeZone: 'Asia/Shanghai', dayStartHour: 3 },
] as const;
const STEPS_PER_DAY = Number(process.env.STATS_TEST_STEPS ?? 160);

let db: TestPostgres;

beforeAll(async () => {
  db = await startTestPostgres();
});

afterAll(async () => {
  await db?.close();
});

const LegRow = (r: Record<string, unknown>): ReferenceLeg => r as unknown as ReferenceLeg;

async function rollupLegs(hallId: string): Promise<ReferenceLeg[]> {
  const result = await db.pool.query(
    `SELECT ticket_id::text AS ticket_id, leg, business_day::text AS business_day,
            (extract(epoch FROM arrived_at) * 1000000)::bigint::float8 AS arrived_us, arrival_hour, appointment, service_id, counter_id, staff_id,
            outcome, first_of_service, first_at_counter, first_by_clerk, wait_us::float8 AS wait_us, serve_us::float8 AS serve_us
     FROM ticket_legs WHERE hall_id = $1 ORDER BY ticket_id, leg`,
    [hallId],
  );
  return result.rows.map(LegRow);
}

const byTicketLeg = (a: ReferenceLeg, b: ReferenceLeg): number => (a.ticket_id < b.ticket_id ? -1 : a.ticket_id > b.ticket_id ? 1 : a.leg - b.leg);
const byKey = (groups: Map<string, StatsFigures>): StatsFigures[] => [...groups.values()].sort((a, b) => (a.key < b.key ? -1 : 1));

/** What the generated days held in all runs together: every case must have happened. */
const seen: Record<string, number> = {};
const generated: GeneratedHall[] = [];

interface Case {
  from: string;
  to: string;
  /** The hall's today: what overdue is measured against. */
  today: string;
}

/** For every case and grouping, the portal's figures (groups and total) equal the reference's, exactly. */
async function expectSqlMatches(hall: GeneratedHall, raw: RawHall, cases: readonly Case[], how: string): Promise<void> {
  const legs = referenceLegs(raw, hall.timeZone);
  for (const { from, to, today } of cases) {
    for (const by of Object.values(StatsBy)) {
      const sql = await withTransaction(
        db.pool,
        async (client) => ({
          groups: await readGroupFigures(client, hall.hallId, { from, to, by }, { today }),
          total: await readTotalFigures(client, hall.hallId, { from, to }, { today }),
        }),
        { isolation: 'repeatable-read', readOnly: true },
      );
      const reference = referenceFigures(raw, legs, { from, to, by, timeZone: hall.timeZone, today });
      const what = `${by} over ${from}..${to} on ${today}, ${how}`;
      expect(byKey(sql.groups), what).toEqual(byKey(reference.groups));
      expect(sql.total, what).toEqual(reference.total);
      if (by === StatsBy.Day && from !== to) {
        seen.openOrders = (seen.openOrders ?? 0) + reference.total.openOrders;
        seen.overdueOrders = (seen.overdueOrders ?? 0) + reference.total.overdueOrders;
      }
    }
  }
}

describe.sequential('statistics from SQL equal statistics from the raw segments', () => {
  RUNS.forEach((run, i) => {
    const seed = BASE_SEED + i;
    it(`hall ${i + 1}: ${run.timeZone}, day from ${run.dayStartHour}:00 (seed ${seed})`, async () => {
      onTestFailed(() => {
        console.error(`stats equivalence failed: replay with STATS_TEST_SEED=${BASE_SEED} (this hall's seed ${seed})`);
      });
      const hallId = `stats-hall-${i + 1}`;
      const hall = await generateHallDays(db.pool, {
        hallId,
        seed,
        ...run,
        firstNow: TEST_NOW,
        days: 2,
        stepsPerDay: STEPS_PER_DAY,
        // The first day built while tickets are still open on it: the sweep must make it forget.
        beforeSweep: async (closedDay) => {
          expect(await buildStatsDay(db.pool, hallId, closedDay)).toBe(true);
        },
      });
      generated.push(hall);
      const [first = '', last = ''] = [hall.days[0], hall.days[hall.days.length - 1]];
      const builtDays = async (): Promise<string[]> =>
        (await db.pool.query<{ day: string }>(`SELECT DISTINCT business_day::text AS day FROM stats_days WHERE hall_id = $1 ORDER BY 1`, [hallId])).rows.map(
          (r) => r.day,
        );
      if ((hall.counts.swept ?? 0) > 0) expect(await builtDays(), 'the sweep changed the first day: its built figures must go').toEqual([]);

      const raw = await readRawHall(db.pool, hall.hallId);
      const legs = referenceLegs(raw, hall.timeZone);
      for (const l of legs) {
        for (const [what, yes] of Object.entries({
          legs: true,
          [`outcome:${l.outcome}`]: true,
          answeredWait: l.wait_us !== null,
          servingTime: l.serve_us !== null,
          laterLeg: l.leg > 1,
        })) {
          if (yes) seen[what] = (seen[what] ?? 0) + 1;
        }
      }
      for (const [what, n] of Object.entries(hall.counts)) seen[what] = (seen[what] ?? 0) + n;

      // The rollup the triggers kept is the definition applied to the segments…
      expect(await rollupLegs(hall.hallId)).toEqual([...legs].sort(byTicketLeg));
      // …and so is a rebuild from nothing but the segments (the migration's backfill).
      await db.pool.query('DELETE FROM ticket_legs WHERE hall_id = $1', [hall.hallId]);
      await db.pool.query('SELECT refresh_ticket_legs($1, ARRAY(SELECT ticket_id FROM tickets WHERE hall_id = $1))', [hall.hallId]);
      expect(await rollupLegs(hall.hallId)).toEqual([...legs].sort(byTicketLeg));

      // Orders past their due day: the latest due day as today makes the earlier ones overdue, the
      // day after it every order still pending.
      const dueDays = raw.ratings.flatMap((r) => (r.order ? [r.order.dueDay] : [])).sort();
      const latestDue = dueDays[dueDays.length - 1] ?? hall.days[hall.days.length - 1] ?? '';
      const cases: Case[] = [
        { from: first, to: last, today: latestDue },
        { from: first, to: last, today: addDays(latestDue, 1) },
        { from: last, to: last, today: latestDue },
      ];

      // Every day read from its legs; then both days built (their sorted runs merged).
      await expectSqlMatches(hall, raw, cases, 'from the legs');
      for (const day of hall.days) await buildStatsDay(db.pool, hallId, day);
      expect(await builtDays()).toEqual(hall.days);
      await expectSqlMatches(hall, raw, cases, 'built');

      // A late rating of the first day (the citizen page, the next day) makes the day forget its
      // figures; read from its legs again, the statistics still match.
      const late = await lateRating(db.pool, hallId, first, TEST_NOW);
      if (late) {
        seen.lateRating = (seen.lateRating ?? 0) + 1;
        expect(await builtDays()).toEqual([last]);
        const rawAfter = await readRawHall(db.pool, hall.hallId);
        await expectSqlMatches(hall, rawAfter, cases, 'after a late rating');
        expect(await ensureStatsDays(db.pool, hallId, { from: first, to: last }, addDays(last, 1))).toBe(1);
        await expectSqlMatches(hall, rawAfter, cases, 'rebuilt');
      }
    }, 180_000);
  });

  it('the generated days held every case the definitions distinguish', () => {
    expect(generated).toHaveLength(RUNS.length);
    for (const what of [
      'pushed', 'appointment', 'call', 'recall', 'start', 'hold', 'call-back', 'transfer', 'no-show', 'requeue', 'cancel',
      'complete', 'complete-from-called', 'rating', 'order:contacted', 'order:closed', 'swept',
      'outcome:served', 'outcome:no-show', 'outcome:transferred', 'outcome:cancelled', 'outcome:swept', 'outcome:open',
      'answeredWait', 'servingTime', 'laterLeg', 'openOrders', 'overdueOrders', 'lateRating',
    ]) {
      expect(seen[what] ?? 0, `${what} never happened (seed ${BASE_SEED}): ${JSON.stringify(seen)}`).toBeGreaterThan(0);
    }
  });
});
