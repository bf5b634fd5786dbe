/**
 * portal-load: one portal process (`portal/cli.ts`, a child, default limits) on the embedded
 * PostgreSQL (fsync on, as in production) under a city's load for 60 s after a 10 s warm-up:
 * - 1,000 kiosks (100 halls of ten, each kiosk its own token; a worker thread, kiosk-fleet.ts):
 *   a visitor every 30 s on average, numbered online, the ticket pushed as the sync engine pushes
 *   it; a push-then-pull round every 5 s;
 * - 100 clerks (portal-load/clerks.ts), ten per hall in the first ten halls, each signed in with
 *   a password at its own counter, all calling from their hall's one line: call next, the visitor
 *   walks up (0.5 s), start, serve (2 s), complete; each hall's line is filled before the clock
 *   starts so no clerk runs dry;
 * - 20 displays (portal-load/displays.ts), two per staffed hall, on the hall's event stream.
 * Prints one JSON line: p50/p99 of every route, the display latency, double calls, errors, and
 * the CPU and memory of the portal and of PostgreSQL. Targets (2 cores): call-next p99 <= 50 ms,
 * display latency p99 <= 500 ms, no double call, no 5xx. The sizes are env-tunable (layout.ts).
 *
 * Display latency is the time from the call's commit to the frame read by a display. The start is
 * the event's `at`: PostgreSQL's clock_timestamp() when the portal wrote the event, the last
 * statement before COMMIT, so the commit itself is counted in (an upper bound, never flattering);
 * the end is Date.now() when the display's socket delivered the frame, in this process. Both are
 * this machine's wall clock, so they compare. Only calls written during the measured minute count.
 */
import type { ChildProcess } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import { rmSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../portal/db/embedded.js';
import { migrate } from '../portal/db/migrate.js';
import { createPortalPool } from '../portal/db/pool.js';
import { readPostmasterPid } from '../portal/db/postmaster-lock.js';
import { limitEnvName } from '../portal/http/limits-from-env.js';
import { findFreePort } from '../portal/net/find-free-port.js';
import { makeReachableTempDir } from '../portal/test-support/test-postgres.js';
import { startTsChild, stopGracefully } from '../scripts/support/child-process.js';
import { Clerk, type ClerkCall } from './portal-load/clerks.js';
import { followDisplay, type FollowingDisplay, type ReceivedCall } from './portal-load/displays.js';
import { RouteSamples, sleep, type SamplesSnapshot } from './portal-load/http-samples.js';
import type { FleetCommand, FleetData, FleetReport } from './portal-load/kiosk-fleet.js';
import { clerksOf, displaysOf, hallCount, kiosksOf, loadLayoutFromEnv } from './portal-load/layout.js';
import { clusterCpuMs, clusterMemoryMb, clusterRunQueueWaitMs, machineBusyMs, peakRssMb, processCpuMs, runQueueWaitMs } from './portal-load/proc-usage.js';
import { fillBacklog, seedLoadHalls } from './portal-load/seed-load-halls.js';
import { preloadStatementStats, resetStatementStats, topStatements } from './portal-load/statement-stats.js';
import { emit, percentile, round } from './stats.js';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const TARGETS = { callNextP99Ms: 50, displayLatencyP99Ms: 500 };
/** How long the displays get, after the last call, to receive it. */
const DISPLAY_GRACE_MS = 2_000;

/** A worker thread running a TypeScript module under tsx (workers do not inherit `--import tsx`'s hooks). */
function tsWorker(entry: URL, data: unknown): Worker {
  const api = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(code, { eval: true, workerData: data });
}

function waitForReport(worker: Worker): Promise<FleetReport> {
  return new Promise((resolve, reject) => {
    worker.on('message', (message: FleetReport | { type: 'failed'; message: string }) => {
      if (message.type === 'report') resolve(message);
      else reject(new Error(`kiosk fleet failed: ${message.message}`));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`kiosk fleet exited (${code}) without a report`)));
  });
}

/** The portal's warnings and errors (pino JSON on stderr), one short line each, the last few. */
function portalProblems(log: string): string[] {
  const lines: string[] = [];
  for (const line of log.split('\n')) {
    try {
      const entry = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string } };
      if ((entry.level ?? 0) >= 40) lines.push(`portal: ${entry.msg ?? ''} ${(entry.err?.message ?? '').split('\n')[0]?.slice(0, 200) ?? ''}`);
    } catch {
      // Not a log entry.
    }
  }
  return lines.slice(-10);
}

/** Everyone who calls the portal in this bench, all from one address. */
const callersOf = (l: { kiosks: number; clerks: number; displays: number }): number => l.kiosks + l.clerks + l.displays;

const p = (samples: number[] | undefined, pct: number): number | null => (samples && samples.length > 0 ? round(percentile(samples, pct), 1) : null);

function merge(a: SamplesSnapshot, b: SamplesSnapshot): SamplesSnapshot {
  const answers: Record<string, Record<string, number>> = structuredClone(a.answers);
  for (const [route, byStatus] of Object.entries(b.answers)) {
    const into = (answers[route] ??= {});
    for (const [status, n] of Object.entries(byStatus)) into[status] = (into[status] ?? 0) + n;
  }
  return { latencies: { ...a.latencies, ...b.latencies }, answers, firstFailures: [...a.firstFailures, ...b.firstFailures] };
}

function countWhere(answers: SamplesSnapshot['answers'], accept: (status: string) => boolean): number {
  return Object.values(answers).reduce((sum, byStatus) => sum + Object.entries(byStatus).reduce((n, [s, c]) => n + (accept(s) ? c : 0), 0), 0);
}

const layout = loadLayoutFromEnv();
/** BENCH_PROFILE=1: PostgreSQL's busiest statements of the measured minute, on stderr. */
const profile = process.env.BENCH_PROFILE === '1';
const dir = await makeReachableTempDir('bench-portal-load-');
let postgres: EmbeddedPostgres | null = null;
let portal: ChildProcess | null = null;
let fleet: Worker | null = null;
const clerks: Clerk[] = [];
const displays: FollowingDisplay[] = [];
const stopClerks = new AbortController();
// Every clerk waits on it.
setMaxListeners(layout.clerks + 10, stopClerks.signal);
try {
  const pgOptions = { dataDir: path.join(dir, 'pg'), port: await findFreePort(), unsafeNoFsync: false };
  postgres = await startEmbeddedPostgres(pgOptions);
  if (profile) {
    await preloadStatementStats(postgres.url);
    await postgres.stop();
    postgres = await startEmbeddedPostgres(pgOptions);
  }
  const db = createPortalPool(postgres.url, { max: 4, statementTimeoutMillis: 0 });
  try {
    await migrate(db);
    await seedLoadHalls(db, layout);
  } finally {
    await db.end();
  }
  // BENCH_PORTAL_NODE_OPTIONS goes to the portal process only, e.g. `--import <a preload that
  // starts node:inspector's Profiler>` (Node 20 refuses --cpu-prof in NODE_OPTIONS).
  const portalNodeOptions = process.env.BENCH_PORTAL_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_PORTAL_NODE_OPTIONS } : {};
  const started = await startTsChild(path.join(REPO_ROOT, 'portal/cli.ts'), ['--port', '0'], {
    DATABASE_URL: postgres.url,
    ...portalNodeOptions,
    // Every caller comes from 127.0.0.1, as a city's kiosks behind one NAT address would. The
    // failed-authentication budget per address counts lookups still running as possible failures
    // (a burst of bad tokens must not all reach the database), so a fleet of valid tokens seen for
    // the first time at once would be throttled at the default 20. Such a portal's operator sets
    // the budget to at least the number of callers behind the address; the defaults stay as they are.
    [limitEnvName('authFailuresPerWindow')]: String(process.env.BENCH_AUTH_FAILURES_PER_WINDOW ?? callersOf(layout)),
  });
  portal = started.child;
  const portalPid = portal.pid;
  if (portalPid === undefined) throw new Error('portal has no pid');
  const baseUrl = `http://127.0.0.1:${Number(started.ready.port)}`;
  const postmasterPid = await readPostmasterPid(postgres.dataDir);
  if (postmasterPid === null) throw new Error('no postmaster pid');

  const backlog = await fillBacklog(baseUrl, layout);
  const samples = new RouteSamples();
  const calls: ClerkCall[] = [];
  // Sign-ins are password checks (scrypt): before the clock, two at a time.
  const staff = clerksOf(layout).map((c) => new Clerk(baseUrl, c, layout, samples, calls));
  clerks.push(...staff);
  for (let i = 0; i < staff.length; i += 2) await Promise.all(staff.slice(i, i + 2).map((c) => c.signIn()));

  const received: ReceivedCall[] = [];
  for (const display of displaysOf(layout)) displays.push(followDisplay(baseUrl, display, (call) => received.push(call)));
  await Promise.all(displays.map((d) => d.opened));

  const fleetData: FleetData = { baseUrl, kiosks: kiosksOf(layout), layout };
  fleet = tsWorker(new URL('./portal-load/kiosk-fleet.ts', import.meta.url), fleetData);
  const fleetReport = waitForReport(fleet);
  const working = staff.map((c) => c.work(stopClerks.signal));
  await sleep(layout.warmupSeconds * 1000);

  // The measured minute.
  const cpu0 = { portal: processCpuMs(portalPid), postgres: clusterCpuMs(postmasterPid), bench: process.cpuUsage(), machine: machineBusyMs() };
  const wait0 = { portal: runQueueWaitMs(portalPid), postgres: clusterRunQueueWaitMs(postmasterPid) };
  let pgMemoryPeakMb = clusterMemoryMb(postmasterPid);
  const memoryProbe = setInterval(() => (pgMemoryPeakMb = Math.max(pgMemoryPeakMb, clusterMemoryMb(postmasterPid))), 1_000);
  if (profile) await resetStatementStats(postgres.url);
  const measureStart = Date.now();
  const t0 = performance.now();
  samples.startMeasuring();
  fleet.postMessage({ type: 'measure' } satisfies FleetCommand);
  await sleep(layout.seconds * 1000);
  samples.stopMeasuring();
  fleet.postMessage({ type: 'stop' } satisfies FleetCommand);
  const measureEnd = Date.now();
  const wallMs = performance.now() - t0;
  clearInterval(memoryProbe);
  const benchCpu = process.cpuUsage(cpu0.bench);
  const cpuMs = {
    portal: processCpuMs(portalPid) - cpu0.portal,
    postgres: clusterCpuMs(postmasterPid) - cpu0.postgres,
    bench: (benchCpu.user + benchCpu.system) / 1000,
    machine: machineBusyMs() - cpu0.machine,
  };
  const waitedMs = { portal: runQueueWaitMs(portalPid) - wait0.portal, postgres: clusterRunQueueWaitMs(postmasterPid) - wait0.postgres };

  stopClerks.abort();
  await Promise.all(working);
  const kiosksDone = await fleetReport;
  await sleep(DISPLAY_GRACE_MS);
  if (profile) console.error((await topStatements(postgres.url)).join('\n'));
  const dropped = displays.filter((d) => d.dropped).length;
  for (const display of displays) display.close();

  // What the database says: a ticket called twice has two `called` segments or two call events.
  const check = createPortalPool(postgres.url, { max: 1, statementTimeoutMillis: 0 });
  let twiceInDb: Set<string>;
  let callsInWindow: { hall_id: string; seq: string }[];
  try {
    const segments = await check.query<{ key: string }>(
      `SELECT hall_id || '/' || ticket_id AS key FROM ticket_segments WHERE state = 'called'
       GROUP BY hall_id, ticket_id HAVING count(*) > 1`,
    );
    const events = await check.query<{ key: string }>(
      `SELECT hall_id || '/' || (payload->>'ticketId') AS key FROM hall_events WHERE kind = 'ticket.called'
       GROUP BY hall_id, payload->>'ticketId' HAVING count(*) > 1`,
    );
    twiceInDb = new Set([...segments.rows, ...events.rows].map((r) => r.key));
    callsInWindow = (
      await check.query<{ hall_id: string; seq: string }>(
        `SELECT hall_id, seq::text AS seq FROM hall_events WHERE kind = 'ticket.called' AND at >= $1 AND at < $2`,
        [new Date(measureStart), new Date(measureEnd)],
      )
    ).rows;
  } finally {
    await check.end();
  }
  // And what the clerks were told: one ticket handed to two counters.
  const byTicket = new Map<string, number>();
  for (const call of calls) byTicket.set(`${call.hallId}/${call.ticketId}`, (byTicket.get(`${call.hallId}/${call.ticketId}`) ?? 0) + 1);
  const twiceToClerks = [...byTicket].filter(([, n]) => n > 1).map(([key]) => key);
  const doubleCalls = new Set([...twiceInDb, ...twiceToClerks]).size;

  // Display latency: calls written during the measured minute, as each display received them.
  const latencies = received.filter((r) => r.at >= measureStart && r.at < measureEnd).map((r) => r.receivedAt - r.at);
  const seen = new Set(received.map((r) => `${r.hallId}/${r.displayId}/${r.seq}`));
  let missed = 0;
  for (const display of displaysOf(layout)) {
    for (const call of callsInWindow) if (call.hall_id === display.hallId && !seen.has(`${display.hallId}/${display.displayId}/${call.seq}`)) missed += 1;
  }

  const all = merge(samples.snapshot(), kiosksDone.samples);
  const errors5xx = countWhere(all.answers, (s) => /^5\d\d$/.test(s));
  const errorsOther = countWhere(all.answers, (s) => s === 'network' || /^4\d\d$/.test(s));
  if (process.env.BENCH_DEBUG || errors5xx + errorsOther > 0) {
    console.error(JSON.stringify({ answers: all.answers, firstFailures: all.firstFailures }));
    if (errors5xx > 0) console.error(portalProblems(started.output()).join('\n'));
  }
  const callNextP99 = p(all.latencies['call-next'], 99);
  const displayP99 = p(latencies, 99);
  const seconds = wallMs / 1000;
  emit({
    name: 'portal-load',
    unit: 'ms',
    call_next_p99_ms: callNextP99,
    push_p99_ms: p(all.latencies.push, 99),
    pull_p99_ms: p(all.latencies.pull, 99),
    display_latency_p99_ms: displayP99,
    double_calls: doubleCalls,
    errors_5xx: errors5xx,
    target_met:
      callNextP99 !== null && callNextP99 <= TARGETS.callNextP99Ms && displayP99 !== null && displayP99 <= TARGETS.displayLatencyP99Ms && doubleCalls === 0 && errors5xx === 0,
    call_next_p50_ms: p(all.latencies['call-next'], 50),
    start_p99_ms: p(all.latencies.start, 99),
    complete_p99_ms: p(all.latencies.complete, 99),
    allocate_p99_ms: p(all.latencies.allocate, 99),
    push_p50_ms: p(all.latencies.push, 50),
    pull_p50_ms: p(all.latencies.pull, 50),
    display_latency_p50_ms: p(latencies, 50),
    display_latency_max_ms: latencies.length > 0 ? Math.max(...latencies) : null,
    display_calls_missed: missed,
    displays_dropped: dropped,
    errors_other: errorsOther,
    seconds: round(seconds, 1),
    halls: hallCount(layout),
    kiosks: layout.kiosks,
    clerks: layout.clerks,
    displays: layout.displays,
    calls: all.latencies['call-next']?.length ?? 0,
    calls_per_s: round((all.latencies['call-next']?.length ?? 0) / seconds, 1),
    pushes: all.latencies.push?.length ?? 0,
    pulls: all.latencies.pull?.length ?? 0,
    allocations: all.latencies.allocate?.length ?? 0,
    requests_per_s: round(Object.values(all.latencies).reduce((n, xs) => n + xs.length, 0) / seconds, 1),
    display_frames: latencies.length,
    tickets_issued: kiosksDone.ticketsIssued,
    events_acked: kiosksDone.eventsAcked,
    events_rejected: kiosksDone.eventsRejected,
    backlog_prefilled: backlog,
    // Shares of one core over the measured minute, and memory: the portal's peak resident set,
    // PostgreSQL's peak proportional set (shared buffers counted once).
    portal_cpu: round(cpuMs.portal / wallMs, 2),
    pg_cpu: round(cpuMs.postgres / wallMs, 2),
    bench_cpu: round(cpuMs.bench / wallMs, 2),
    // What other processes of this machine used meanwhile (its cores: os.cpus()), in the same unit.
    neighbours_cpu: round(Math.max(0, cpuMs.machine - cpuMs.portal - cpuMs.postgres - cpuMs.bench) / wallMs, 2),
    cores: cpus().length,
    // Seconds the portal's and PostgreSQL's threads spent runnable but waiting for a core during
    // the measured minute: a portal starved by its neighbours, not one slow by itself.
    portal_runqueue_wait_s: round(waitedMs.portal / 1000, 1),
    pg_runqueue_wait_s: round(waitedMs.postgres / 1000, 1),
    portal_rss_mb: round(peakRssMb(portalPid), 1),
    pg_mem_mb: round(pgMemoryPeakMb, 1),
  });
} finally {
  stopClerks.abort();
  for (const display of displays) display.close();
  await Promise.all(clerks.map((c) => c.close().catch(() => undefined)));
  await fleet?.terminate();
  if (portal) await stopGracefully(portal);
  if (postgres) await postgres.stop();
  rmSync(dir, { recursive: true, force: true });
}
