import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { loadCertificateKekFile } from './cases/key-sealing.js';
import { parsePortalCliConfig } from './cli-config.js';
import { resolvePortalPostgres, type PortalPostgres } from './db/embedded.js';
import { migrate } from './db/migrate.js';
import { createPortalPool } from './db/pool.js';
import { startHoldSweepSchedule, type HoldSweepSchedule } from './booking/hold-sweep.js';
import { startEndOfDaySchedule, type EndOfDaySchedule } from './counter/end-of-day-schedule.js';
import { buildPortalApp } from './http/build-portal-app.js';
import { portalLimitsFromEnv } from './http/limits-from-env.js';
import { refreshSearchKeys } from './queue/search-keys.js';
import { createHallEventHub, type HallEventHub } from './realtime/hall-event-hub.js';
import { retentionPolicyFromEnv } from './retention/retention-policy.js';
import { startRetentionSchedule, type RetentionSchedule } from './retention/retention-schedule.js';
import { DEMO_DISPLAY_TOKEN, DEMO_STAFF_ACCOUNTS, refuseActiveDemoTokens, refuseDemoTokensInEnv } from './seed/demo-credentials.js';
import { seedDemoHall } from './seed/demo-hall.js';

const SHUTDOWN_GRACE_MS = 5_000;

/**
 * `npm run portal`: PostgreSQL (DATABASE_URL, or the embedded one), migrations, optional demo
 * seed, then HTTP. Stdout carries exactly one JSON line, `{"event":"listening","port":N}`, when
 * requests can be served; everything else goes to stderr.
 */
async function main(): Promise<void> {
  const config = parsePortalCliConfig(process.argv.slice(2), process.env);
  // Before anything starts: a refusal leaves nothing running.
  refuseDemoTokensInEnv({ demoMode: config.seedDemo, env: process.env });
  const retentionPolicy = retentionPolicyFromEnv(process.env);
  // PORTAL_LIMIT_* (portal/http/limits-from-env.ts): checked before anything starts, like the rest.
  const limits = portalLimitsFromEnv(process.env);
  // The key that seals the halls' certificate signing keys: beside the database's folder, never in it.
  const certificateKek = await loadCertificateKekFile(
    process.env.PORTAL_CERTIFICATE_KEK_FILE || path.join(path.dirname(config.pgDataDir), 'portal-certificate.kek'),
  );
  let app: FastifyInstance | null = null;
  let retention: RetentionSchedule | null = null;
  let endOfDay: EndOfDaySchedule | null = null;
  let holdSweep: HoldSweepSchedule | null = null;
  let hallEvents: HallEventHub | null = null;
  let shuttingDown = false;

  const postgresStarting: Promise<PortalPostgres> = resolvePortalPostgres({
    databaseUrl: config.databaseUrl,
    dataDir: config.pgDataDir,
    port: config.pgPort,
    // Shutdown order is ours: stop accepting, drain, close the pool, then stop PostgreSQL.
    libraryHandlesSignals: false,
    ...(config.pgLog ? { onLog: (line: string) => console.error(`[pg] ${line}`) } : {}),
  });
  // A signal while PostgreSQL is still starting (initdb may take seconds): let it finish, stop
  // it, exit. Without this the default action would end the process and orphan the postmaster.
  const stopWhileStarting = (signal: string): void => {
    if (shuttingDown) return;
    shuttingDown = true;
    console.error(JSON.stringify({ event: 'stopping', signal }));
    void postgresStarting.then((started) => started.stop(), () => undefined).finally(() => process.exit(0));
  };
  const onEarlyTerm = (): void => stopWhileStarting('SIGTERM');
  const onEarlyInt = (): void => stopWhileStarting('SIGINT');
  process.on('SIGTERM', onEarlyTerm);
  process.on('SIGINT', onEarlyInt);
  const postgres = await postgresStarting;
  process.off('SIGTERM', onEarlyTerm);
  process.off('SIGINT', onEarlyInt);
  if (shuttingDown) return;
  // While shutting down, PostgreSQL may close idle connections first: expected, not worth a line.
  const pool = createPortalPool(postgres.url, {
    onIdleError: (err) => {
      if (!shuttingDown) console.error(JSON.stringify({ event: 'pg-connection-error', message: err.message }));
    },
  });

  const shutdown = async (signal: string): Promise<void> => {
    if (shuttingDown) return;
    shuttingDown = true;
    console.error(JSON.stringify({ event: 'stopping', signal }));
    if (app) {
      // Finish requests in flight (each is one short transaction), then cut what is left.
      const open = app;
      const cutoff = setTimeout(() => open.server.closeAllConnections(), SHUTDOWN_GRACE_MS);
      await open.close();
      clearTimeout(cutoff);
    }
    // The live streams ended with the app (their clients reconnect to another portal): stop listening.
    await hallEvents?.close();
    // A purge under way stops after its current batch, before the pool closes under it.
    await retention?.stop();
    await endOfDay?.stop();
    await holdSweep?.stop();
    await pool.end().catch(() => undefined);
    await postgres.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  try {
    // A migration may run long on a big database, or wait for another portal's: no statement timeout.
    const migrationPool = createPortalPool(postgres.url, { max: 1, statementTimeoutMillis: 0, idleInTransactionTimeoutMillis: 0 });
    const applied = await migrate(migrationPool).finally(() => migrationPool.end());
    if (applied.length > 0) console.error(JSON.stringify({ event: 'migrated', versions: applied }));
    if (config.seedDemo) {
      await seedDemoHall(pool, {
        kioskTokens: [{ kioskId: config.kioskId, token: config.kioskToken, kioskDigit: 1 }],
        staffToken: config.staffToken,
        staffAccounts: DEMO_STAFF_ACCOUNTS,
        displayToken: DEMO_DISPLAY_TOKEN,
      });
      console.error(JSON.stringify({ event: 'seeded', hall: 'demo-city-hall', kioskId: config.kioskId }));
    }
    await refuseActiveDemoTokens(pool, { demoMode: config.seedDemo });
    // Services named without their pinyin search keys (written by hand, or by an older portal) get them.
    const keyed = await refreshSearchKeys(pool);
    if (keyed > 0) console.error(JSON.stringify({ event: 'search-keys-refreshed', services: keyed }));
    // The process's one LISTEN connection for hall events, in place before the first stream opens.
    hallEvents = createHallEventHub({
      pool,
      onError: (err, what) => {
        if (!shuttingDown) console.error(JSON.stringify({ event: 'hall-events-error', what, message: err instanceof Error ? err.message : String(err) }));
      },
    });
    await hallEvents.start();
    const listening = await buildPortalApp({ pool, hallEvents, limits, certificateKek, logLevel: process.env.PORTAL_LOG_LEVEL ?? 'info' });
    app = listening;
    await listening.listen({ port: config.port, host: config.host });
    const { port } = listening.server.address() as AddressInfo;
    console.log(JSON.stringify({ event: 'listening', port }));
    // Personal data past its retention period (issue 7 §6): now, then every interval.
    retention = startRetentionSchedule(pool, {
      policy: retentionPolicy,
      onReport: (report, ms) => {
        if (report.ticketsCleared + report.appointmentsCleared + report.casesCleared + report.eventPayloadsPurged === 0) return;
        console.error(JSON.stringify({ event: 'retention-purged', ...report, ms: Math.round(ms) }));
      },
      onError: (err) => console.error(JSON.stringify({ event: 'retention-purge-failed', message: err instanceof Error ? err.message : String(err) })),
    });
    // What past business days left unfinished is closed (issue 8): now, then every quarter hour.
    endOfDay = startEndOfDaySchedule(pool, {
      onSwept: (swept, ms) => console.error(JSON.stringify({ event: 'end-of-day-swept', tickets: Object.fromEntries(swept), ms: Math.round(ms) })),
      onError: (err) => console.error(JSON.stringify({ event: 'end-of-day-sweep-failed', message: err instanceof Error ? err.message : String(err) })),
    });
    // Online booking holds that ran out in slots nobody touched since (issue 9 §2): every minute.
    holdSweep = startHoldSweepSchedule(pool, {
      onError: (err) => console.error(JSON.stringify({ event: 'hold-sweep-failed', message: err instanceof Error ? err.message : String(err) })),
    });
  } catch (err) {
    await hallEvents?.close();
    await pool.end().catch(() => undefined);
    await postgres.stop();
    throw err;
  }
}

main().catch((err: unknown) => {
  const code = (err as { code?: unknown } | null)?.code;
  console.error(
    JSON.stringify({
      event: 'failed',
      code: typeof code === 'string' ? code : 'internal',
      message: err instanceof Error ? err.message : String(err),
    }),
  );
  process.exit(1);
});
