import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../db/embedded.js';
import { migrate } from '../db/migrate.js';
import { createPortalPool } from '../db/pool.js';
import { findFreePort } from '../net/find-free-port.js';

export interface TestPostgres {
  readonly embedded: EmbeddedPostgres;
  readonly pool: pg.Pool;
  /** Temp folder holding the cluster (removed by close). */
  readonly dir: string;
  close(): Promise<void>;
}

/**
 * A temp folder the `postgres` system user can reach when tests run as root: mkdtemp makes it
 * 0700, which would lock that user out.
 */
export async function makeReachableTempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  await chmod(dir, 0o755);
  return dir;
}

/** A real PostgreSQL for one test file: temp folder, free port, fsync off, migrated. */
export async function startTestPostgres(options: { migrate?: boolean } = {}): Promise<TestPostgres> {
  const dir = await makeReachableTempDir('portal-pg-test-');
  const embedded = await startEmbeddedPostgres({
    dataDir: path.join(dir, 'pg'),
    port: await findFreePort(),
    unsafeNoFsync: true,
  });
  const pool = createPortalPool(embedded.url, { max: 8, onIdleError: () => undefined });
  if (options.migrate ?? true) await migrate(pool);
  return {
    embedded,
    pool,
    dir,
    close: async () => {
      await pool.end();
      await embedded.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
