/**
 * sync-drain: 10,000 `ticket.issued` events queued in a real kiosk SQLite store, pushed by the
 * real SyncEngine through the real PortalClient to a real portal process on a real PostgreSQL,
 * all with durable settings (PostgreSQL fsync on, kiosk synchronous=FULL). Measures drainOnce()
 * from the first push to the last acknowledgement; the events are issued before the clock starts,
 * and the portal is warmed up first by another kiosk database (see WARMUP_EVENTS).
 * Prints one JSON line: events/s, and the peak memory of the kiosk and the portal process.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { PrintState } from '../common/contract/kiosk-api.js';
import { businessDayOf } from '../common/domain/business-day.js';
import { Priority } from '../common/domain/priority.js';
import { NumberSource } from '../common/domain/ticket-number.js';
import { uuidV7 } from '../common/domain/uuid-v7.js';
import { openKioskStore, type KioskStore } from '../offline-queue/kiosk-store.js';
import { PortalClient } from '../offline-queue/sync/portal-client.js';
import { SyncEngine } from '../offline-queue/sync/sync-engine.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../portal/db/embedded.js';
import { readPostmasterPid } from '../portal/db/postmaster-lock.js';
import { findFreePort } from '../portal/net/find-free-port.js';
import { DEMO_SERVICES } from '../portal/seed/demo-hall.js';
import { makeReachableTempDir } from '../portal/test-support/test-postgres.js';
import { startTsChild, stopGracefully } from '../scripts/support/child-process.js';
import { emit, round } from './stats.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000);
/**
 * Pushed first from a second kiosk database (its own epoch), untimed: after an outage the portal
 * has been serving other kiosks and the kiosk process has been running, so neither is cold.
 */
const WARMUP_EVENTS = Number(process.env.BENCH_WARMUP_EVENTS ?? 1_000);
/** The contract's MAX_PUSH_BATCH; the engine's default is 200. */
const BATCH_SIZE = 500;
const KIOSK_ID = 'bench-kiosk';
const KIOSK_TOKEN = 'bench-kiosk-token';
const STAFF_TOKEN = 'bench-staff-token';
const HALL_ZONE = 'Asia/Shanghai';
const HALL_DAY_START_HOUR = 3;
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Peak resident set of a process, in MB (VmHWM; VmRSS if the kernel does not report it). */
function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmHWM/VmRSS for pid ${pid}`);
  return Number(kb) / 1024;
}

/** /proc reports CPU time in USER_HZ ticks, 100 per second on Linux whatever the kernel's HZ. */
const CLOCK_TICKS_PER_MS = 100 / 1000;

/** utime, stime, cutime, cstime and ppid from /proc/<pid>/stat (after the command's parenthesis). */
function procStat(pid: number): { cpuMs: number; childrenCpuMs: number; ppid: number } | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const tick = (i: number): number => Number(fields[i] ?? 0) / CLOCK_TICKS_PER_MS;
    return { cpuMs: tick(11) + tick(12), childrenCpuMs: tick(13) + tick(14), ppid: Number(fields[1]) };
  } catch {
    return null;
  }
}

/**
 * CPU time used so far by PostgreSQL: the postmaster, its live backends, and the backends that
 * already exited (reaped into the postmaster's children time).
 */
function postgresCpuMs(postmasterPid: number): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(Number(entry));
    if (stat?.ppid === postmasterPid) total += stat.cpuMs;
  }
  const postmaster = procStat(postmasterPid);
  return total + (postmaster ? postmaster.cpuMs + postmaster.childrenCpuMs : 0);
}

/** The outbox to drain: kiosk-marked series numbers (kiosk digit 1), spread over the 10 services. */
function queueEvents(store: KioskStore, count: number, businessDay: string): void {
  for (let i = 0; i < count; i++) {
    const service = DEMO_SERVICES[i % DEMO_SERVICES.length];
    if (!service) throw new Error('no demo services');
    store.issueTicket({
      // As the kiosk core makes them: time-ordered.
      ticketId: uuidV7(Date.now(), randomBytes(16)),
      requestId: randomUUID(),
      serviceId: service.id,
      businessDay,
      priority: Priority.Normal,
      number: { source: NumberSource.KioskSeries, prefix: service.prefix, kioskDigit: 1 },
      peopleAhead: null,
      peopleAheadApproximate: true,
      issuedOffline: true,
      printState: PrintState.Printed,
      citizenHmac: null,
    });
  }
}

async function portalTicketCount(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM tickets WHERE kiosk_id = $1", [KIOSK_ID]);
    return result.rows[0]?.n ?? -1;
  } finally {
    await client.end();
  }
}

const dir = await makeReachableTempDir('bench-sync-drain-');
let postgres: EmbeddedPostgres | null = null;
let portal: ChildProcess | null = null;
let store: KioskStore | null = null;
try {
  // Durable: fsync and synchronous_commit on, as in production.
  postgres = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: await findFreePort(), unsafeNoFsync: false });
  const started = await startTsChild(path.join(REPO_ROOT, 'portal/cli.ts'), ['--port', '0', '--seed-demo'], {
    DATABASE_URL: postgres.url, KIOSK_ID, KIOSK_TOKEN, STAFF_TOKEN,
  });
  portal = started.child;
  const portalPid = portal.pid;
  if (portalPid === undefined) throw new Error('portal has no pid');

  // Both outboxes are filled before any push: issuing is synchronous and would hold the event loop
  // long enough for the portal to close the idle keep-alive connection under the client's feet.
  store = openKioskStore({ path: path.join(dir, 'kiosk', 'kiosk.db') });
  queueEvents(store, EVENTS, businessDayOf(new Date(), HALL_ZONE, HALL_DAY_START_HOUR));
  if (store.backlog() !== EVENTS) throw new Error(`outbox holds ${store.backlog()} events, expected ${EVENTS}`);
  const warmup = openKioskStore({ path: path.join(dir, 'kiosk', 'warmup.db') });
  // The day before: the same kiosk series numbers, so nothing clashes with the measured run.
  queueEvents(warmup, WARMUP_EVENTS, businessDayOf(new Date(Date.now() - 86_400_000), HALL_ZONE, HALL_DAY_START_HOUR));

  const client = new PortalClient({ baseUrl: `http://127.0.0.1:${Number(started.ready.port)}`, token: KIOSK_TOKEN });
  try {
    const warmed = await new SyncEngine({ store: warmup, client, batchSize: BATCH_SIZE, pushTimeoutMs: 60_000 }).drainOnce();
    if (warmed !== WARMUP_EVENTS) throw new Error(`warm-up drained ${warmed} of ${WARMUP_EVENTS} events`);
  } finally {
    warmup.close();
  }

  const postmasterPid = await readPostmasterPid(postgres.dataDir);
  if (postmasterPid === null) throw new Error('no postmaster pid');
  const engine = new SyncEngine({ store, client, batchSize: BATCH_SIZE, pushTimeoutMs: 60_000 });
  // CPU time beside wall time: on a shared machine the wall time says as much about the neighbours.
  const cpuBefore = { kiosk: process.cpuUsage(), portal: procStat(portalPid)?.cpuMs ?? 0, postgres: postgresCpuMs(postmasterPid) };
  const t0 = process.hrtime.bigint();
  const acked = await engine.drainOnce();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const kioskCpu = process.cpuUsage(cpuBefore.kiosk);
  const cpuMs = {
    kiosk: (kioskCpu.user + kioskCpu.system) / 1000,
    portal: (procStat(portalPid)?.cpuMs ?? 0) - cpuBefore.portal,
    postgres: postgresCpuMs(postmasterPid) - cpuBefore.postgres,
  };

  const state = engine.state();
  if (acked !== EVENTS || store.backlog() !== 0) {
    throw new Error(`drained ${acked} of ${EVENTS} events, ${store.backlog()} left: ${state.lastError ?? 'no error'}`);
  }
  if (store.quarantined().length > 0) throw new Error(`${store.quarantined().length} events were rejected`);
  const inPortal = await portalTicketCount(postgres.url);
  if (inPortal !== EVENTS + WARMUP_EVENTS) throw new Error(`portal holds ${inPortal} tickets, expected ${EVENTS + WARMUP_EVENTS}`);

  emit({
    name: 'sync-drain',
    unit: 'events/s',
    value: Math.round(EVENTS / seconds),
    events: EVENTS,
    seconds: round(seconds),
    batch_size: BATCH_SIZE,
    warmup_events: WARMUP_EVENTS,
    kiosk_rss_mb: round(process.resourceUsage().maxRSS / 1024, 1),
    portal_rss_mb: round(peakRssMb(portalPid), 1),
    kiosk_cpu_ms: Math.round(cpuMs.kiosk),
    portal_cpu_ms: Math.round(cpuMs.portal),
    pg_cpu_ms: Math.round(cpuMs.postgres),
  });
} finally {
  store?.close();
  if (portal) await stopGracefully(portal);
  if (postgres) await postgres.stop();
  rmSync(dir, { recursive: true, force: true });
}
