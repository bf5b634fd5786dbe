import pg from 'pg';

export interface PortalPoolOptions {
  /** Connections per portal process; every request holds one only for its transaction. */
  max?: number;
  /**
   * How long a request may wait for a connection, whether a new one is being opened or every one
   * is busy. Past it the request fails (the portal answers 503) instead of queueing without end
   * behind a flood.
   */
  connectionTimeoutMillis?: number;
  /** Set on every connection at start-up: a statement running longer is cancelled by PostgreSQL. */
  statementTimeoutMillis?: number;
  /** A transaction left idle this long (a handler stuck between statements) is ended by PostgreSQL. */
  idleInTransactionTimeoutMillis?: number;
  /** Called for errors of idle connections (e.g. the server restarted); default console.error. */
  onIdleError?: (err: Error) => void;
}

/** Defaults sized for a hall: a kiosk's 400 ms numbering budget is far below every one of them. */
export const POOL_DEFAULTS = {
  max: 10,
  connectionTimeoutMillis: 2_000,
  statementTimeoutMillis: 5_000,
  idleInTransactionTimeoutMillis: 10_000,
} as const;

/**
 * A pool whose idle-connection errors are reported instead of crashing the process: pg emits
 * them on the pool, and an unhandled 'error' event would end the portal. Waiting for a connection
 * and every statement are bounded (see PortalPoolOptions).
 */
export function createPortalPool(connectionString: string, options: PortalPoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? POOL_DEFAULTS.max,
    application_name: 'hall-portal',
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? POOL_DEFAULTS.connectionTimeoutMillis,
    // Sent in the start-up packet, so every connection of the pool has them from its first query.
    statement_timeout: options.statementTimeoutMillis ?? POOL_DEFAULTS.statementTimeoutMillis,
    idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMillis ?? POOL_DEFAULTS.idleInTransactionTimeoutMillis,
  });
  pool.on('error', options.onIdleError ?? ((err) => console.error('portal: idle PostgreSQL connection failed:', err.message)));
  return pool;
}

/** pg-pool's own words when connectionTimeoutMillis passed before a connection was free or open. */
const POOL_TIMEOUT_MESSAGES = ['timeout exceeded when trying to connect', 'Connection terminated due to connection timeout'];
/** query_canceled: statement_timeout (or a cancel request) ended the statement. */
const QUERY_CANCELED = '57014';

/**
 * Whether the database could not serve in time (no connection within connectionTimeoutMillis, or
 * a statement cancelled by statement_timeout): the request deserves a 503, not a 500.
 */
export function isDatabaseBusy(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if ((err as { code?: unknown }).code === QUERY_CANCELED) return true;
  return POOL_TIMEOUT_MESSAGES.some((m) => err.message.includes(m));
}
