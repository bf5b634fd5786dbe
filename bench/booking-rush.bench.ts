/**
 * booking-rush: the 08:00 rush on a popular service (issue 9 §2). 5,000 booking attempts in 10 s,
 * each a distinct citizen (a valid GB 11643 number) holding a place in one of tomorrow's 25 slots
 * of 4 places (100 places in all) and confirming it when the hold is granted, against a real
 * portal process (`portal/cli.ts`) on the embedded PostgreSQL with fsync on. Attempts start on a
 * fixed schedule (500 a second, open loop), each on a keep-alive connection of a pool, after an
 * untimed warm-up of the portal on another service (WARMUP_SERVICE).
 *
 * The per-address limit of the public booking routes is raised for this run through the portal's
 * configuration (PORTAL_LIMIT_BOOKING_REQUESTS_PER_WINDOW and PORTAL_LIMIT_CITIZEN_READS_PER_WINDOW):
 * every attempt comes from this one address, and what is measured is booking, not the limiter.
 *
 * Prints one JSON line: attempts, confirmed (answers and, independently, booked rows in the
 * database), p99 of an attempt (hold, and confirm when held) in ms, errors (5xx and transport
 * failures; a full slot is a coded 409, not an error), and the target: exactly 100 confirmed,
 * p99 <= 250 ms, 0 errors. Beside them, the CPU the portal, PostgreSQL, the bench and the
 * machine's other processes used during the rush, and how long the portal's and PostgreSQL's
 * threads waited for a core: on a shared machine that, not the code, may be what a latency says.
 * BENCH_DEBUG=1 adds the first failures and the latency of each second on stderr.
 */
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rm } from 'node:fs/promises';
import { cpus } from 'node:os';
import pg from 'pg';
import { Pool } from 'undici';
import { BookingConfirmation, HoldResponse, SlotsResponse, type SlotView } from '../common/contract/booking-api.js';
import { PortalErrorBody, PortalErrorCode } from '../common/contract/errors.js';
import { validIdNumber } from '../portal/booking/test-id-numbers.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../portal/db/embedded.js';
import { migrate } from '../portal/db/migrate.js';
import { createPortalPool } from '../portal/db/pool.js';
import { withTransaction } from '../portal/db/transaction.js';
import { readPostmasterPid } from '../portal/db/postmaster-lock.js';
import { findFreePort } from '../portal/net/find-free-port.js';
import { writeHallSettings, writeServiceConfig } from '../portal/queue/service-config.js';
import { DEMO_HALL_ID, seedDemoHall } from '../portal/seed/demo-hall.js';
import { DEMO_SERVICE_CONFIG } from '../portal/seed/demo-guides.js';
import { makeReachableTempDir } from '../portal/test-support/test-postgres.js';
import { startTsChild, stopGracefully } from '../scripts/support/child-process.js';
import { clusterCpuMs, clusterRunQueueWaitMs, machineBusyMs, processCpuMs, runQueueWaitMs } from './portal-load/proc-usage.js';
import { emit, percentile, round } from './stats.js';

const ATTEMPTS = Number(process.env.BENCH_ATTEMPTS ?? 5_000);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 10_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const SLOTS = 25;
const CAPACITY = 4;
const TARGET_P99_MS = 250;
const SERVICE = 'housing-fund';
/**
 * Warmed up first, untimed, on another service (its slots and citizens its own): at 08:00 the
 * portal has been running and serving (JIT compiled, its connection pool open, statements
 * prepared on each connection); a rush against a process started a second earlier would measure
 * its start instead. The warm-up's own p99 is reported (`warmup_p99`).
 */
const WARMUP_SERVICE = 'real-estate';
const WARMUP_ATTEMPTS = Number(process.env.BENCH_WARMUP_ATTEMPTS ?? 1_000);
const WARMUP_DURATION_MS = 2_000;
/** The warm-up's citizens come after the rush's in validIdNumber's run. */
const WARMUP_CITIZENS_FROM = 1_000_000;
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
/** 25 slots of 10 minutes, every day of the week: tomorrow is bookable whatever day the bench runs. */
const BENCH_HOURS = Object.fromEntries(['1', '2', '3', '4', '5', '6', '7'].map((d) => [d, [{ opens: '09:00', closes: '13:10' }]]));

interface Attempt {
  /** When it started, ms after the first. */
  at?: number;
  ms: number;
  /** Of a confirmed attempt: how long its hold took (the rest is the confirmation). */
  holdMs?: number;
  outcome: 'confirmed' | 'full' | 'refused' | 'error';
  detail?: string;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function call(http: Pool, method: 'GET' | 'POST', route: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await http.request({
    method,
    path: route,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await res.body.text();
  return { status: res.statusCode, json: text.length > 0 ? (JSON.parse(text) as unknown) : null };
}

async function attempt(http: Pool, serviceId: string, slotStart: string, idNumber: string): Promise<Attempt> {
  const t0 = performance.now();
  try {
    const hold = await call(http, 'POST', '/v1/citizen/bookings/hold', { hallId: DEMO_HALL_ID, serviceId, slotStart, idNumber });
    if (hold.status === 409 && PortalErrorBody.parse(hold.json).code === PortalErrorCode.SlotFull) {
      return { ms: performance.now() - t0, outcome: 'full' };
    }
    if (hold.status !== 200) {
      return { ms: performance.now() - t0, outcome: hold.status >= 500 ? 'error' : 'refused', detail: `hold ${hold.status} ${JSON.stringify(hold.json)}` };
    }
    const { holdId } = HoldResponse.parse(hold.json);
    const holdMs = performance.now() - t0;
    const confirmed = await call(http, 'POST', `/v1/citizen/bookings/${holdId}/confirm`);
    if (confirmed.status !== 200) {
      return { ms: performance.now() - t0, outcome: confirmed.status >= 500 ? 'error' : 'refused', detail: `confirm ${confirmed.status} ${JSON.stringify(confirmed.json)}` };
    }
    BookingConfirmation.parse(confirmed.json);
    return { ms: performance.now() - t0, holdMs, outcome: 'confirmed' };
  } catch (err) {
    return { ms: performance.now() - t0, outcome: 'error', detail: err instanceof Error ? err.message : String(err) };
  }
}

/** Tomorrow's free slots of a service, checked to be the bench's 25 of 4. */
async function freshSlots(http: Pool, serviceId: string): Promise<SlotView[]> {
  const listed = await call(http, 'GET', `/v1/citizen/halls/${DEMO_HALL_ID}/services/${serviceId}/slots`);
  if (listed.status !== 200) throw new Error(`slots: ${listed.status} ${JSON.stringify(listed.json)}`);
  const slots = SlotsResponse.parse(listed.json).slots;
  if (slots.length !== SLOTS || slots.some((s) => s.capacity !== CAPACITY || s.available !== CAPACITY)) {
    throw new Error(`expected ${SLOTS} free slots of ${CAPACITY} of ${serviceId}, got ${slots.length}`);
  }
  return slots;
}

/** `count` attempts on a fixed schedule over `durationMs` (open loop), the slots in turn, citizen `firstCitizen + i`. */
async function rush(http: Pool, serviceId: string, slots: readonly SlotView[], count: number, durationMs: number, firstCitizen: number): Promise<Attempt[]> {
  const pending: Promise<Attempt>[] = [];
  const t0 = performance.now();
  for (let i = 0; i < count; i += 1) {
    const due = t0 + (i * durationMs) / count;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    // Everyone wants a place: the slots in turn, so each is asked for count / 25 times.
    const slot = slots[i % slots.length];
    if (!slot) throw new Error('no slot');
    const startedAt = performance.now() - t0;
    pending.push(attempt(http, serviceId, slot.start, validIdNumber(firstCitizen + i)).then((a) => ({ ...a, at: startedAt })));
  }
  return Promise.all(pending);
}

/**
 * BENCH_DEBUG: what the portal's database connections are doing during the first `forMs` of the
 * rush, sampled from pg_stat_activity every few ms on a connection of its own: by state, wait
 * event and statement, how many samples found a connection so (a connection-sample is ~5 ms).
 */
function sampleActivity(databaseUrl: string, forMs: number): Promise<string[]> {
  return (async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const seen = new Map<string, number>();
    let samples = 0;
    try {
      const until = performance.now() + forMs;
      while (performance.now() < until) {
        const result = await client.query<{ what: string }>(
          `SELECT state || ' ' || coalesce(wait_event_type || ':' || wait_event, 'on-cpu') || ' ' || left(regexp_replace(query, '\\s+', ' ', 'g'), 60) AS what
           FROM pg_stat_activity WHERE application_name = 'hall-portal' AND pid <> pg_backend_pid()`,
        );
        samples += 1;
        for (const { what } of result.rows) seen.set(what, (seen.get(what) ?? 0) + 1);
        await sleep(5);
      }
    } finally {
      await client.end();
    }
    return [`${samples} samples of the portal's connections:`, ...[...seen].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([what, n]) => `  ${n} ${what}`)];
  })();
}

const dir = await makeReachableTempDir('bench-booking-rush-');
let postgres: EmbeddedPostgres | null = null;
let portal: ChildProcess | null = null;
let http: Pool | null = null;
try {
  postgres = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: await findFreePort(), unsafeNoFsync: false });
  const setup = createPortalPool(postgres.url, { max: 1 });
  try {
    await migrate(setup);
    await seedDemoHall(setup, { kioskTokens: [{ kioskId: 'bench-kiosk', token: 'bench-rush-kiosk-token', kioskDigit: 1 }], staffToken: 'bench-rush-staff-token' });
    await withTransaction(setup, async (client) => {
      for (const serviceId of [SERVICE, WARMUP_SERVICE]) {
        await writeServiceConfig(client, DEMO_HALL_ID, serviceId, {
          hours: BENCH_HOURS,
          guide: DEMO_SERVICE_CONFIG[serviceId]?.guide ?? null,
          booking: { slotMinutes: 10, capacity: CAPACITY, minDaysAhead: 1, maxDaysAhead: 1 },
        });
      }
      // No holiday tomorrow, whatever the date.
      await writeHallSettings(client, DEMO_HALL_ID, { calendar: [], checkInWindow: { beforeMinutes: 30, afterMinutes: 15 }, rectificationDays: 5 });
    });
  } finally {
    await setup.end();
  }
  // BENCH_PORTAL_NODE_OPTIONS goes to the portal process only, e.g. `--import <a preload that
  // starts node:inspector's Profiler>` (Node 20 refuses --cpu-prof in NODE_OPTIONS).
  const portalNodeOptions = process.env.BENCH_PORTAL_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_PORTAL_NODE_OPTIONS } : {};
  const started = await startTsChild(path.join(REPO_ROOT, 'portal/cli.ts'), ['--port', '0'], {
    DATABASE_URL: postgres.url,
    ...portalNodeOptions,
    PORTAL_LIMIT_BOOKING_REQUESTS_PER_WINDOW: String((ATTEMPTS + WARMUP_ATTEMPTS) * 4),
    PORTAL_LIMIT_CITIZEN_READS_PER_WINDOW: String((ATTEMPTS + WARMUP_ATTEMPTS) * 4),
    // Not in the repository's .data/: this run's folder.
    PORTAL_CERTIFICATE_KEK_FILE: path.join(dir, 'portal-certificate.kek'),
  });
  portal = started.child;
  const baseUrl = `http://127.0.0.1:${Number(started.ready.port)}`;
  http = new Pool(baseUrl, { connections: CONNECTIONS, keepAliveTimeout: 30_000 });

  const warmup = await rush(http, WARMUP_SERVICE, await freshSlots(http, WARMUP_SERVICE), WARMUP_ATTEMPTS, WARMUP_DURATION_MS, WARMUP_CITIZENS_FROM);
  const slots = await freshSlots(http, SERVICE);
  const day = slots[0]?.day ?? '';
  await sleep(1_000);

  const portalPid = portal.pid;
  const postmasterPid = await readPostmasterPid(postgres.dataDir);
  if (portalPid === undefined || postmasterPid === null) throw new Error('no portal or postmaster pid');
  // CPU beside latency: the portal is one Node process (one core at most), and on a shared
  // machine what the neighbours take moves every latency.
  const cpu0 = { portal: processCpuMs(portalPid), postgres: clusterCpuMs(postmasterPid), bench: process.cpuUsage(), machine: machineBusyMs() };
  const wait0 = { portal: runQueueWaitMs(portalPid), postgres: clusterRunQueueWaitMs(postmasterPid), bench: runQueueWaitMs(process.pid) };
  const activity = process.env.BENCH_DEBUG ? sampleActivity(postgres.url, 1_500) : null;
  const t0 = performance.now();
  const attempts = await rush(http, SERVICE, slots, ATTEMPTS, DURATION_MS, 0);
  const wallMs = performance.now() - t0;
  const seconds = wallMs / 1000;
  const benchCpu = process.cpuUsage(cpu0.bench);
  const cpuMs = {
    portal: processCpuMs(portalPid) - cpu0.portal,
    postgres: clusterCpuMs(postmasterPid) - cpu0.postgres,
    bench: (benchCpu.user + benchCpu.system) / 1000,
    machine: machineBusyMs() - cpu0.machine,
  };
  // Runnable but not running: time the portal's (and PostgreSQL's) threads waited for a core.
  const waitedMs = {
    portal: runQueueWaitMs(portalPid) - wait0.portal,
    postgres: clusterRunQueueWaitMs(postmasterPid) - wait0.postgres,
    bench: runQueueWaitMs(process.pid) - wait0.bench,
  };

  const check = createPortalPool(postgres.url, { max: 1 });
  let bookedRows = -1;
  let takenTotal = -1;
  try {
    const booked = await check.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM appointments WHERE hall_id = $1 AND service_id = $2 AND business_day = $3 AND status = 'booked'`,
      [DEMO_HALL_ID, SERVICE, day],
    );
    bookedRows = booked.rows[0]?.n ?? -1;
    const taken = await check.query<{ n: number }>(`SELECT coalesce(sum(taken), 0)::int AS n FROM booking_slots WHERE hall_id = $1 AND service_id = $2`, [
      DEMO_HALL_ID,
      SERVICE,
    ]);
    takenTotal = taken.rows[0]?.n ?? -1;
  } finally {
    await check.end();
  }

  const count = (outcome: Attempt['outcome']): number => attempts.filter((a) => a.outcome === outcome).length;
  const confirmed = count('confirmed');
  const errors = count('error');
  const p99 = percentile(attempts.map((a) => a.ms), 99);
  if (process.env.BENCH_DEBUG) {
    for (const a of attempts.filter((x) => x.detail !== undefined).slice(0, 10)) console.error(a.outcome, a.detail);
    // The slowest attempts, by when they started and what they came to.
    for (const a of [...attempts].sort((x, y) => y.ms - x.ms).slice(0, 15)) console.error(`slow: at ${Math.round(a.at ?? 0)} ms took ${Math.round(a.ms)} ms (${a.outcome})`);
    // Latency by the second the attempt started in: a climb says the portal falls behind the arrivals.
    for (let second = 0; second * 1000 < DURATION_MS; second += 1) {
      const inSecond = attempts.filter((a) => (a.at ?? 0) >= second * 1000 && (a.at ?? 0) < (second + 1) * 1000).map((a) => a.ms);
      console.error(`second ${second}: ${inSecond.length} attempts, p50 ${round(percentile(inSecond, 50), 1)} ms, p99 ${round(percentile(inSecond, 99), 1)} ms`);
    }
    if (activity) console.error((await activity).join('\n'));
    // The first second by 50 ms, where the places go: what the holds and confirmations cost.
    for (let from = 0; from < 1_000; from += 50) {
      const inBucket = attempts.filter((a) => (a.at ?? 0) >= from && (a.at ?? 0) < from + 50);
      const held = inBucket.filter((a) => a.outcome === 'confirmed');
      console.error(
        `${from}-${from + 50} ms: ${inBucket.length} attempts (${held.length} confirmed), p50 ${round(percentile(inBucket.map((a) => a.ms), 50), 1)} ms, ` +
          `max ${round(Math.max(...inBucket.map((a) => a.ms)), 1)} ms; confirmed: hold p50 ${round(percentile(held.map((a) => a.holdMs ?? 0), 50), 1)} ms, ` +
          `confirm p50 ${round(percentile(held.map((a) => a.ms - (a.holdMs ?? 0)), 50), 1)} ms`,
      );
    }
  }
  emit({
    name: 'booking-rush',
    attempts: attempts.length,
    confirmed,
    p99: round(p99, 1),
    errors,
    slotFull: count('full'),
    otherRefusals: count('refused'),
    p50: round(percentile(attempts.map((a) => a.ms), 50), 1),
    confirmedP99: round(percentile(attempts.filter((a) => a.outcome === 'confirmed').map((a) => a.ms), 99), 1),
    bookedRows,
    placesTaken: takenTotal,
    places: SLOTS * CAPACITY,
    seconds: round(seconds, 2),
    // Shares of one core during the rush: the portal's (one Node process: 1.0 is all it can
    // have), PostgreSQL's, this bench's, and what the machine's other processes used meanwhile.
    portal_cpu: round(cpuMs.portal / wallMs, 2),
    pg_cpu: round(cpuMs.postgres / wallMs, 2),
    bench_cpu: round(cpuMs.bench / wallMs, 2),
    neighbours_cpu: round(Math.max(0, cpuMs.machine - cpuMs.portal - cpuMs.postgres - cpuMs.bench) / wallMs, 2),
    cores: cpus().length,
    // Seconds spent waiting for a core during the rush (summed over each process's threads).
    portal_runqueue_wait_s: round(waitedMs.portal / 1000, 2),
    pg_runqueue_wait_s: round(waitedMs.postgres / 1000, 2),
    bench_runqueue_wait_s: round(waitedMs.bench / 1000, 2),
    warmup_attempts: warmup.length,
    warmup_confirmed: warmup.filter((a) => a.outcome === 'confirmed').length,
    warmup_errors: warmup.filter((a) => a.outcome === 'error').length,
    warmup_p99: round(percentile(warmup.map((a) => a.ms), 99), 1),
    target: { confirmed: SLOTS * CAPACITY, p99Ms: TARGET_P99_MS, errors: 0 },
    met: confirmed === SLOTS * CAPACITY && bookedRows === SLOTS * CAPACITY && p99 <= TARGET_P99_MS && errors === 0,
  });
} finally {
  await http?.close().catch(() => undefined);
  if (portal) await stopGracefully(portal);
  await postgres?.stop();
  await rm(dir, { recursive: true, force: true });
}
