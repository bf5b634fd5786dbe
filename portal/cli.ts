import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parsePortalCliConfig } from './cli-config.js';
import { resolvePortalPostgres, type PortalPostgres } from './db/embedded.js';
import { migrate } from './db/migrate.js';
import { createPortalPool } from './db/pool.js';
import { seedDemoHall } from './seed/demo-hall.js';
import { createPortalServer } from './server.js';

const SHUTDOWN_GRACE_MS = 5_000;

/**
 * `npm run portal`: PostgreSQL (DATABASE_URL, or the embedded one), migrations, optional demo
 * seed, then HTTP. Stdout carries exactly one JSON line, `{"event":"listening","port":N}`, when
 * requests can be served; everything else goes to stderr.
 */
async function main(): Promise<void> {
  const config = parsePortalCliConfig(process.argv.slice(2), process.env);
  let server: http.Server | null = null;
  let shuttingDown = false;

  const postgres: PortalPostgres = await resolvePortalPostgres({
    databaseUrl: config.databaseUrl,
    dataDir: config.pgDataDir,
    port: config.pgPort,
    // Shutdown order is ours: stop accepting, drain, close the pool, then stop PostgreSQL.
    libraryHandlesSignals: false,
    ...(config.pgLog ? { onLog: (line: string) => console.error(`[pg] ${line}`) } : {}),
  });
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
    if (server) {
      // Finish requests in flight (each is one short transaction), then cut what is left.
      const open = server;
      const closed = new Promise<void>((resolve) => open.close(() => resolve()));
      open.closeIdleConnections();
      const cutoff = setTimeout(() => open.closeAllConnections(), SHUTDOWN_GRACE_MS);
      await closed;
      clearTimeout(cutoff);
    }
    await pool.end().catch(() => undefined);
    await postgres.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  try {
    const applied = await migrate(pool);
    if (applied.length > 0) console.error(JSON.stringify({ event: 'migrated', versions: applied }));
    if (config.seedDemo) {
      await seedDemoHall(pool, {
        kioskTokens: [{ kioskId: config.kioskId, token: config.kioskToken, kioskDigit: 1 }],
        staffToken: config.staffToken,
      });
      console.error(JSON.stringify({ event: 'seeded', hall: 'demo-city-hall', kioskId: config.kioskId }));
    }
    const listening = createPortalServer({ pool });
    server = listening;
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject);
      listening.listen(config.port, config.host, () => resolve());
    });
    const { port } = listening.address() as AddressInfo;
    console.log(JSON.stringify({ event: 'listening', port }));
  } catch (err) {
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
