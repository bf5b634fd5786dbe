import pg from 'pg';

export interface PortalPoolOptions {
  /** Connections per portal process; every request holds one only for its transaction. */
  max?: number;
  /** Called for errors of idle connections (e.g. the server restarted); default console.error. */
  onIdleError?: (err: Error) => void;
}

/**
 * A pool whose idle-connection errors are reported instead of crashing the process: pg emits
 * them on the pool, and an unhandled 'error' event would end the portal.
 */
export function createPortalPool(connectionString: string, options: PortalPoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10, application_name: 'hall-portal' });
  pool.on('error', options.onIdleError ?? ((err) => console.error('portal: idle PostgreSQL connection failed:', err.message)));
  return pool;
}
