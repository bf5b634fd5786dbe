import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_HALL_ID, seedDemoHall } from '../seed/demo-hall.js';
import { startTestPostgres, type TestPostgres } from '../test-support/test-postgres.js';

/**
 * The portal distributes on `hall_id` (docs/architecture.md §1): every table is a Citus
 * distributed table co-located on that column. Citus accepts a primary key, a unique constraint
 * or index and a foreign key only when they include the distribution column (and a foreign key
 * between two distributed tables only when it maps the one's hall_id to the other's). This test
 * reads the catalog after every migration and names each table that breaks the rule, so a new
 * table or index cannot quietly make the schema undistributable.
 */

const DISTRIBUTION_COLUMN = 'hall_id';

/** Tables that hold no hall's data, each with the reason it may lack hall_id. */
export const GLOBAL_TABLES: Readonly<Record<string, string>> = {
  // The migration ledger (portal/db/migrate.ts): bookkeeping of the schema itself, the same for
  // every hall; on Citus it stays a local table of the coordinator.
  schema_migrations: 'migration ledger, not hall data',
};

interface TableRow {
  table: string;
  hall_id_attnum: number | null;
  hall_id_not_null: boolean | null;
  hall_id_type: string | null;
}

interface KeyRow {
  table: string;
  name: string;
  /** Column names of the key in order; null for an expression. */
  columns: (string | null)[];
}

interface ForeignKeyRow {
  table: string;
  name: string;
  columns: string[];
  referenced_table: string;
  referenced_columns: string[];
  /** pg_constraint.confdeltype / confupdtype: a no action, r restrict, c cascade, n set null, d set default. */
  on_delete: string;
  on_update: string;
}

/**
 * What Citus refuses on a foreign key that includes the distribution column: ON DELETE SET NULL or
 * SET DEFAULT (even PostgreSQL 15's column list that leaves hall_id alone), and ON UPDATE SET NULL,
 * SET DEFAULT or CASCADE. ON DELETE CASCADE is fine: the rows it deletes are the hall's own.
 */
const REFUSED_ON_DELETE: Readonly<Record<string, string>> = { n: 'SET NULL', d: 'SET DEFAULT' };
const REFUSED_ON_UPDATE: Readonly<Record<string, string>> = { n: 'SET NULL', d: 'SET DEFAULT', c: 'CASCADE' };

/** What breaks distribution on hall_id in `schema`, one line per problem, naming the table. */
export async function distributionProblems(db: pg.Pool | pg.PoolClient, schema = 'public'): Promise<string[]> {
  const problems: string[] = [];
  const tables = await db.query<TableRow>(
    `SELECT c.relname AS table, a.attnum AS hall_id_attnum, a.attnotnull AS hall_id_not_null,
            format_type(a.atttypid, a.atttypmod) || coalesce(' COLLATE ' || nullif(a.attcollation, 0)::regcollation::text, '') AS hall_id_type
     FROM pg_class c
     JOIN pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = $2 AND NOT a.attisdropped
     WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition
     ORDER BY c.relname`,
    [schema, DISTRIBUTION_COLUMN],
  );
  const hallTables = new Set<string>();
  // Co-located tables need the same type (and collation) of distribution column as `halls`.
  const hallIdType = tables.rows.find((t) => t.table === 'halls')?.hall_id_type ?? 'text';
  for (const t of tables.rows) {
    if (Object.hasOwn(GLOBAL_TABLES, t.table)) continue;
    if (t.hall_id_attnum === null) {
      problems.push(`${t.table}: no ${DISTRIBUTION_COLUMN} column`);
      continue;
    }
    hallTables.add(t.table);
    if (!t.hall_id_not_null) problems.push(`${t.table}: ${DISTRIBUTION_COLUMN} may be NULL`);
    if (t.hall_id_type !== hallIdType) problems.push(`${t.table}: ${DISTRIBUTION_COLUMN} is ${t.hall_id_type}, not ${hallIdType} as in halls`);
  }

  const primaryKeys = await db.query<KeyRow>(
    `SELECT c.conrelid::regclass::text AS table, c.conname AS name,
            array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(attnum, i)
                  JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.i) AS columns
     FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
     WHERE n.nspname = $1 AND c.contype = 'p'`,
    [schema],
  );
  const withPrimaryKey = new Set<string>();
  for (const pk of primaryKeys.rows) {
    const table = unqualified(pk.table);
    if (!hallTables.has(table)) continue;
    withPrimaryKey.add(table);
    // docs/architecture.md §1: hall_id first, so every key lookup of a hall is a prefix scan.
    if (pk.columns[0] !== DISTRIBUTION_COLUMN) {
      problems.push(`${table}: primary key ${pk.name} (${pk.columns.join(', ')}) does not start with ${DISTRIBUTION_COLUMN}`);
    }
  }
  for (const table of hallTables) {
    if (!withPrimaryKey.has(table)) problems.push(`${table}: no primary key`);
  }

  // Every unique index: those of primary keys and unique constraints, and unique indexes of
  // their own (partial or not). An expression column counts as not hall_id.
  const uniqueIndexes = await db.query<KeyRow>(
    `SELECT t.relname AS table, i.relname AS name,
            array(SELECT a.attname::text FROM unnest(x.indkey[0:x.indnkeyatts - 1]) WITH ORDINALITY k(attnum, ord)
                  LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns
     FROM pg_index x
     JOIN pg_class i ON i.oid = x.indexrelid
     JOIN pg_class t ON t.oid = x.indrelid
     JOIN pg_namespace n ON n.oid = t.relnamespace
     WHERE n.nspname = $1 AND x.indisunique`,
    [schema],
  );
  for (const index of uniqueIndexes.rows) {
    if (!hallTables.has(index.table)) continue;
    if (!index.columns.includes(DISTRIBUTION_COLUMN)) {
      problems.push(`${index.table}: unique index ${index.name} (${index.columns.map((c) => c ?? '<expression>').join(', ')}) lacks ${DISTRIBUTION_COLUMN}`);
    }
  }

  // Exclusion constraints are unique in their own way: Citus needs hall_id compared with `=`.
  const exclusions = await db.query<{ table: string; name: string }>(
    `SELECT c.conrelid::regclass::text AS table, c.conname AS name
     FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
     WHERE n.nspname = $1 AND c.contype = 'x'`,
    [schema],
  );
  for (const x of exclusions.rows) {
    problems.push(`${unqualified(x.table)}: exclusion constraint ${x.name} (check it compares ${DISTRIBUTION_COLUMN} with =, then list it here)`);
  }

  const foreignKeys = await db.query<ForeignKeyRow>(
    `SELECT c.conrelid::regclass::text AS table, c.conname AS name, c.confrelid::regclass::text AS referenced_table,
            c.confdeltype::text AS on_delete, c.confupdtype::text AS on_update,
            array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(attnum, i)
                  JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.i) AS columns,
            array(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(attnum, i)
                  JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.i) AS referenced_columns
     FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
     WHERE n.nspname = $1 AND c.contype = 'f'`,
    [schema],
  );
  for (const fk of foreignKeys.rows) {
    const table = unqualified(fk.table);
    const referenced = unqualified(fk.referenced_table);
    const from = hallTables.has(table);
    const to = hallTables.has(referenced);
    if (!from && !to) continue;
    const describe = `${fk.name} (${fk.columns.join(', ')}) -> ${referenced} (${fk.referenced_columns.join(', ')})`;
    if (!from) {
      // A global table pointing into hall data: it would need hall_id to find the shard.
      problems.push(`${table}: foreign key ${describe} from a global table into a hall table`);
      continue;
    }
    if (!to) continue; // A hall table pointing at a global (reference) table: Citus allows it.
    const at = fk.columns.indexOf(DISTRIBUTION_COLUMN);
    if (at < 0) problems.push(`${table}: foreign key ${describe} does not include ${DISTRIBUTION_COLUMN}`);
    else if (fk.referenced_columns[at] !== DISTRIBUTION_COLUMN) {
      problems.push(`${table}: foreign key ${describe} does not map ${DISTRIBUTION_COLUMN} to ${referenced}.${DISTRIBUTION_COLUMN}`);
    }
    const onDelete = REFUSED_ON_DELETE[fk.on_delete];
    if (at >= 0 && onDelete) problems.push(`${table}: foreign key ${describe} has ON DELETE ${onDelete}`);
    const onUpdate = REFUSED_ON_UPDATE[fk.on_update];
    if (at >= 0 && onUpdate) problems.push(`${table}: foreign key ${describe} has ON UPDATE ${onUpdate}`);
  }
  return problems.sort();
}

/** `regclass::text` quotes and schema-qualifies names outside the search path. */
function unqualified(name: string): string {
  const last = name.split('.').pop() ?? name;
  return last.replace(/^"|"$/g, '');
}

let db: TestPostgres;

beforeAll(async () => {
  db = await startTestPostgres();
});

afterAll(async () => {
  await db.close();
});

describe('the schema stays distributable on hall_id', () => {
  it('every table, after every migration: hall_id in each primary key (first), unique index and foreign key, no action Citus refuses', async () => {
    const tables = await db.pool.query<{ relname: string }>(
      `SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p')`,
    );
    // The check looked at the real schema, not an empty one.
    expect(tables.rows.length).toBeGreaterThanOrEqual(25);
    expect(await distributionProblems(db.pool)).toEqual([]);
  });

  it('names each table that breaks the rule, and why', async () => {
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('CREATE SCHEMA scratch');
      await client.query(`
        CREATE TABLE scratch.halls (hall_id text PRIMARY KEY);
        CREATE TABLE scratch.schema_migrations (version integer PRIMARY KEY);
        CREATE TABLE scratch.good (
          hall_id text NOT NULL REFERENCES scratch.halls, id int NOT NULL, PRIMARY KEY (hall_id, id));
        CREATE TABLE scratch.no_hall (id int PRIMARY KEY);
        CREATE TABLE scratch.varchar_hall (hall_id varchar(64) NOT NULL, id int NOT NULL, PRIMARY KEY (hall_id, id));
        CREATE TABLE scratch.nullable_hall (hall_id text, id int, UNIQUE (hall_id, id));
        CREATE TABLE scratch.hall_not_first (hall_id text NOT NULL, id int NOT NULL, PRIMARY KEY (id, hall_id));
        CREATE TABLE scratch.global_unique (hall_id text NOT NULL, id int NOT NULL, code text, PRIMARY KEY (hall_id, id), UNIQUE (code));
        CREATE UNIQUE INDEX global_unique_lower ON scratch.global_unique (lower(code), id);
        CREATE TABLE scratch.fk_without_hall (
          hall_id text NOT NULL, id int NOT NULL, good_id int, PRIMARY KEY (hall_id, id));
        CREATE UNIQUE INDEX good_id_alone ON scratch.good (id);
        ALTER TABLE scratch.fk_without_hall ADD CONSTRAINT fk_without_hall_good FOREIGN KEY (good_id) REFERENCES scratch.good (id);
        CREATE TABLE scratch.fk_crossed (
          hall_id text NOT NULL, id int NOT NULL, other_hall text NOT NULL, PRIMARY KEY (hall_id, id),
          CONSTRAINT fk_crossed_good FOREIGN KEY (other_hall, id) REFERENCES scratch.good (hall_id, id));
        CREATE TABLE scratch.pair (hall_id text NOT NULL, code text NOT NULL, PRIMARY KEY (hall_id, code));
        CREATE TABLE scratch.fk_actions (
          hall_id text NOT NULL, id int NOT NULL, code text, other text, PRIMARY KEY (hall_id, id),
          CONSTRAINT fk_actions_set_null FOREIGN KEY (hall_id, code) REFERENCES scratch.pair ON DELETE SET NULL (code),
          CONSTRAINT fk_actions_cascade FOREIGN KEY (hall_id, other) REFERENCES scratch.pair ON DELETE CASCADE ON UPDATE CASCADE);
        CREATE TABLE scratch.fk_swapped (
          hall_id text NOT NULL, code text NOT NULL, PRIMARY KEY (hall_id, code),
          CONSTRAINT fk_swapped_pair FOREIGN KEY (code, hall_id) REFERENCES scratch.pair (hall_id, code));
      `);
      expect(await distributionProblems(client, 'scratch')).toEqual([
        'fk_actions: foreign key fk_actions_cascade (hall_id, other) -> pair (hall_id, code) has ON UPDATE CASCADE',
        'fk_actions: foreign key fk_actions_set_null (hall_id, code) -> pair (hall_id, code) has ON DELETE SET NULL',
        'fk_crossed: foreign key fk_crossed_good (other_hall, id) -> good (hall_id, id) does not include hall_id',
        'fk_swapped: foreign key fk_swapped_pair (code, hall_id) -> pair (hall_id, code) does not map hall_id to pair.hall_id',
        'fk_without_hall: foreign key fk_without_hall_good (good_id) -> good (id) does not include hall_id',
        'global_unique: unique index global_unique_code_key (code) lacks hall_id',
        'global_unique: unique index global_unique_lower (<expression>, id) lacks hall_id',
        'good: unique index good_id_alone (id) lacks hall_id',
        'hall_not_first: primary key hall_not_first_pkey (id, hall_id) does not start with hall_id',
        'no_hall: no hall_id column',
        'nullable_hall: hall_id may be NULL',
        'nullable_hall: no primary key',
        'varchar_hall: hall_id is character varying(64) COLLATE "default", not text COLLATE "default" as in halls',
      ]);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('keeps a case when the ticket that opened it is deleted, without ON DELETE SET NULL (0013)', async () => {
    await seedDemoHall(db.pool, { kioskTokens: [{ kioskId: 'kiosk-1', token: 'schema-test-kiosk', kioskDigit: 1 }], staffToken: 'schema-test-staff' });
    const ticketId = randomUUID();
    await db.pool.query(
      `INSERT INTO tickets (hall_id, ticket_id, service_id, business_day, number, number_source, priority, priority_rank, kiosk_id, issued_at_kiosk)
       VALUES ($1, $2, 'social-insurance', '2025-03-10', 'A1-801', 'kiosk-series', 'normal', 3, 'kiosk-1', now())`,
      [DEMO_HALL_ID, ticketId],
    );
    await db.pool.query(
      `INSERT INTO cases (hall_id, case_number, ticket_id, service_id, accepted_day) VALUES ($1, 'SCHEMA-1', $2, 'social-insurance', '2025-03-10')`,
      [DEMO_HALL_ID, ticketId],
    );
    // The foreign key still checks: no case of a ticket the hall does not have.
    await expect(
      db.pool.query(
        `INSERT INTO cases (hall_id, case_number, ticket_id, service_id, accepted_day) VALUES ($1, 'SCHEMA-2', $2, 'social-insurance', '2025-03-10')`,
        [DEMO_HALL_ID, randomUUID()],
      ),
    ).rejects.toMatchObject({ code: '23503' });
    await db.pool.query('DELETE FROM tickets WHERE hall_id = $1 AND ticket_id = $2', [DEMO_HALL_ID, ticketId]);
    const left = await db.pool.query<{ ticket_id: string | null }>(`SELECT ticket_id FROM cases WHERE hall_id = $1 AND case_number = 'SCHEMA-1'`, [
      DEMO_HALL_ID,
    ]);
    expect(left.rows).toEqual([{ ticket_id: null }]);
  });
});
