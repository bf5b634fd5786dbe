import type pg from 'pg';

export interface TransactionOptions {
  /**
   * `repeatable-read` gives every statement one snapshot: for reads that must agree with each
   * other (a pull and the cursor it hands out). Default: PostgreSQL's read committed.
   */
  isolation?: 'read-committed' | 'repeatable-read';
  readOnly?: boolean;
}

function beginStatement(options: TransactionOptions): string {
  const isolation = options.isolation === 'repeatable-read' ? ' ISOLATION LEVEL REPEATABLE READ' : '';
  return `BEGIN${isolation}${options.readOnly ? ' READ ONLY' : ''}`;
}

/**
 * Runs `work` in one transaction on one pooled connection: COMMIT on success, ROLLBACK on any
 * throw. A connection whose ROLLBACK failed is destroyed rather than returned to the pool.
 */
export async function withTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(beginStatement(options));
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch((rollbackErr: unknown) => {
      broken = rollbackErr instanceof Error ? rollbackErr : new Error(String(rollbackErr));
    });
    throw err;
  } finally {
    client.release(broken);
  }
}
