/**
 * portal-abuse: a kiosk's online numbering (`POST /v1/kiosk/numbers`, one visitor every 20 ms on
 * its keep-alive connection) against the portal as `npm run portal` runs it (its own process,
 * default limits, a real PostgreSQL with fsync on): first with nothing else going on, then while
 * another process holds 2,000 connections that send requests with bad tokens as fast as they are
 * answered and 200 slow-loris sockets (re-opened as the portal closes them).
 * Prints one JSON line: both p99s, the target (abused p99 <= 2x quiet p99 and < 400 ms), what the
 * abusive requests got, and the share of a core the portal used in each phase. BENCH_DEBUG=1 adds
 * the slowest samples of each phase on stderr.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../portal/db/embedded.js';
import { migrate } from '../portal/db/migrate.js';
import { createPortalPool } from '../portal/db/pool.js';
import { findFreePort } from '../portal/net/find-free-port.js';
import { seedDemoHall } from '../portal/seed/demo-hall.js';
import { runKiosk, send, type Allocation } from '../portal/test-support/abuse-clients.js';
import { runAbuser } from '../portal/test-support/run-abuser.js';
import { makeReachableTempDir } from '../portal/test-support/test-postgres.js';
import { startTsChild, stopGracefully } from '../scripts/support/child-process.js';
import { emit, percentile, round } from './stats.js';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 1_000);
const WARMUP_SAMPLES = 100;
const GAP_MS = 20;
const ABUSIVE_CONNECTIONS = Number(process.env.BENCH_ABUSIVE_CONNECTIONS ?? 2_000);
const SLOW_LORIS = Number(process.env.BENCH_SLOW_LORIS ?? 200);
/** The kiosk's default `portal.numberBudgetMs`. */
const BUDGET_MS = 400;
const KIOSK_TOKEN = 'bench-abuse-kiosk-token';
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** CPU time (user + system) a process has used so far, in ms; /proc counts 100 ticks a second. */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) * 10;
}

/** Every call must have been answered 200: a refusal would be a faster, not a better, answer. */
function timesOf(allocations: Allocation[], phase: string): number[] {
  const refused = allocations.filter((a) => a.status !== 200);
  if (refused.length > 0) throw new Error(`${phase}: ${refused.length} allocations refused, first: ${refused[0]?.status} ${refused[0]?.text}`);
  return allocations.map((a) => a.ms);
}

const dir = await makeReachableTempDir('bench-portal-abuse-');
let postgres: EmbeddedPostgres | null = null;
let portal: ChildProcess | null = null;
let killAbuser: (() => void) | null = null;
try {
  postgres = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: await findFreePort(), unsafeNoFsync: false });
  const setup = createPortalPool(postgres.url, { max: 1 });
  try {
    await migrate(setup);
    await seedDemoHall(setup, { kioskTokens: [{ kioskId: 'bench-kiosk', token: KIOSK_TOKEN, kioskDigit: 1 }], staffToken: 'bench-abuse-staff-token' });
  } finally {
    await setup.end();
  }
  const started = await startTsChild(path.join(REPO_ROOT, 'portal/cli.ts'), ['--port', '0'], { DATABASE_URL: postgres.url });
  portal = started.child;
  const baseUrl = `http://127.0.0.1:${Number(started.ready.port)}`;
  const check = await send(baseUrl, new http.Agent(), 'GET', '/v1/kiosk/catalog', { token: KIOSK_TOKEN });
  if (check.status !== 200) throw new Error(`portal refused the bench kiosk: ${check.status} ${check.text}`);

  const portalPid = portal.pid;
  if (portalPid === undefined) throw new Error('portal has no pid');
  await runKiosk(baseUrl, KIOSK_TOKEN, { gapMs: GAP_MS, count: WARMUP_SAMPLES }).done;
  const quietCpu0 = cpuMsOf(portalPid);
  const quietT0 = performance.now();
  const quiet = timesOf(await runKiosk(baseUrl, KIOSK_TOKEN, { gapMs: GAP_MS, count: SAMPLES }).done, 'quiet');
  const quietSeconds = (performance.now() - quietT0) / 1000;
  const quietCpuMs = cpuMsOf(portalPid) - quietCpu0;

  // Long enough to outlast the measurement; stopped as soon as it is taken.
  const abuser = runAbuser({ baseUrl, connections: ABUSIVE_CONNECTIONS, durationMs: 3_600_000, slowLoris: SLOW_LORIS, trickleMs: 1_000 });
  killAbuser = abuser.kill;
  await abuser.started;
  const abusedCpu0 = cpuMsOf(portalPid);
  const abusedT0 = performance.now();
  const abused = timesOf(await runKiosk(baseUrl, KIOSK_TOKEN, { gapMs: GAP_MS, count: SAMPLES }).done, 'abused');
  const abusedSeconds = (performance.now() - abusedT0) / 1000;
  const abusedCpuMs = cpuMsOf(portalPid) - abusedCpu0;
  abuser.stop();
  const abuse = await abuser.done;
  killAbuser = null;
  if (process.env.BENCH_DEBUG) {
    const worst = (xs: number[]) => xs.map((ms, i) => [i, Math.round(ms)]).sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0)).slice(0, 15);
    console.error(JSON.stringify({ quietWorst: worst(quiet), abusedWorst: worst(abused) }));
  }
  const quietP99 = percentile(quiet, 99);
  const abusedP99 = percentile(abused, 99);
  emit({
    name: 'portal-abuse',
    unit: 'ms',
    quiet_p99_ms: round(quietP99, 1),
    abused_p99_ms: round(abusedP99, 1),
    quiet_p50_ms: round(percentile(quiet, 50), 1),
    abused_p50_ms: round(percentile(abused, 50), 1),
    abused_max_ms: round(Math.max(...abused), 1),
    target_met: abusedP99 <= 2 * quietP99 && abusedP99 < BUDGET_MS,
    samples: SAMPLES,
    abusive_connections: ABUSIVE_CONNECTIONS,
    abusive_requests: abuse.sent,
    abusive_answered_401: abuse.byStatus['401'] ?? 0,
    abusive_answered_429: abuse.byStatus['429'] ?? 0,
    abusive_answered_other: Object.entries(abuse.byStatus)
      .filter(([status]) => status !== '401' && status !== '429')
      .reduce((sum, [, n]) => sum + n, 0),
    abusive_unanswered: abuse.failed,
    slow_loris_sockets: SLOW_LORIS,
    slow_loris_closed_by_portal: abuse.slowLorisClosed,
    // Share of one core the portal process used in each phase: what the abuse cost it.
    portal_cpu_quiet: round(quietCpuMs / 1000 / quietSeconds, 2),
    portal_cpu_abused: round(abusedCpuMs / 1000 / abusedSeconds, 2),
  });
} finally {
  killAbuser?.();
  if (portal) await stopGracefully(portal);
  if (postgres) await postgres.stop();
  rmSync(dir, { recursive: true, force: true });
}
