import { createInterface } from 'node:readline';
import { resolvePortalPostgres } from '../db/embedded.js';
import { migrate } from '../db/migrate.js';
import { createPortalPool } from '../db/pool.js';
import { runStaffCommand, STAFF_USAGE } from './staff-commands.js';

/**
 * `npm run staff -- …` (see STAFF_USAGE): against DATABASE_URL, or the embedded PostgreSQL when the
 * portal is not running (it holds the embedded cluster while it runs).
 */
async function readPasswordLine(): Promise<string> {
  if (process.env.STAFF_PASSWORD) return process.env.STAFF_PASSWORD;
  if (process.stdin.isTTY) console.error('password (10 characters or more), then Enter:');
  const lines = createInterface({ input: process.stdin, terminal: false });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  throw new Error('no password: set STAFF_PASSWORD or give it on standard input');
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.length === 0 || argv.includes('--help')) {
    console.error(STAFF_USAGE);
    process.exitCode = argv.length === 0 ? 2 : 0;
    return;
  }
  const postgres = await resolvePortalPostgres({
    databaseUrl: process.env.DATABASE_URL || undefined,
    ...(process.env.PORTAL_PG_DATA_DIR ? { dataDir: process.env.PORTAL_PG_DATA_DIR } : {}),
    ...(process.env.PORTAL_PG_PORT ? { port: Number(process.env.PORTAL_PG_PORT) } : {}),
  });
  const pool = createPortalPool(postgres.url, { max: 2 });
  try {
    await migrate(pool);
    await runStaffCommand(pool, argv, { readPassword: readPasswordLine, print: (line) => process.stdout.write(`${line}\n`) });
  } finally {
    await pool.end();
    await postgres.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  console.error(STAFF_USAGE);
  process.exit(1);
});
