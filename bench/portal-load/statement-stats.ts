import pg from 'pg';

/**
 * BENCH_PROFILE=1: where PostgreSQL spends its time during the measured minute, from
 * pg_stat_statements (shipped with the embedded PostgreSQL, loaded at start-up only: the caller
 * restarts the cluster after `preloadStatementStats`).
 */

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Asks for the module at the next start. */
export function preloadStatementStats(url: string): Promise<void> {
  return withClient(url, async (client) => {
    await client.query("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'");
    await client.query("ALTER SYSTEM SET pg_stat_statements.track = 'all'");
    await client.query('ALTER SYSTEM SET pg_stat_statements.track_planning = on');
  });
}

/** After the restart: the view, emptied (call at the start of the measured minute). */
export function resetStatementStats(url: string): Promise<void> {
  return withClient(url, async (client) => {
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    await client.query('SELECT pg_stat_statements_reset()');
  });
}

/** The statements that took the most time, one line each: total ms (of which planning), calls, mean ms, text. */
export function topStatements(url: string, limit = 15): Promise<string[]> {
  return withClient(url, async (client) => {
    const result = await client.query<{ total: number; plan: number; calls: string; mean: number; query: string }>(
      `SELECT total_exec_time + total_plan_time AS total, total_plan_time AS plan, calls::text,
              (total_exec_time + total_plan_time) / greatest(calls, 1) AS mean, regexp_replace(query, '\\s+', ' ', 'g') AS query
       FROM pg_stat_statements ORDER BY total_exec_time + total_plan_time DESC LIMIT $1`,
      [limit],
    );
    return result.rows.map(
      (r) =>
        `${r.total.toFixed(0).padStart(7)} ms (plan ${r.plan.toFixed(0).padStart(5)}) ${r.calls.padStart(6)} calls ${r.mean.toFixed(3).padStart(7)} ms/call  ${r.query.slice(0, 150)}`,
    );
  });
}
