import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { StoreError, StoreErrorCode } from '../store-error.js';
import { makeTempDir } from '../testing/temp-dir.js';
import { migrate, userVersion } from './migrate.js';
import { LATEST_SCHEMA_VERSION, migrations, type Migration } from './migrations/index.js';
import { openKioskDatabase } from './open-database.js';

const tmp = makeTempDir('open-db');
afterAll(() => tmp.remove());

const TABLES = [
  'appointments',
  'audit_log',
  'case_cache',
  'catalog',
  'certificate_keys',
  'kiosk_meta',
  'kiosk_series',
  'kiosk_settings',
  'number_bands',
  'outbox',
  'pending_leases',
  'print_jobs',
  'quarantine',
  'ratings_given',
  'sync_state',
  'technician_lockout',
  'tickets',
];

function pragmas(db: Database.Database): { journal: unknown; synchronous: unknown; foreignKeys: unknown; busy: unknown } {
  return {
    journal: db.pragma('journal_mode', { simple: true }),
    synchronous: db.pragma('synchronous', { simple: true }),
    foreignKeys: db.pragma('foreign_keys', { simple: true }),
    busy: db.pragma('busy_timeout', { simple: true }),
  };
}

describe('openKioskDatabase', () => {
  it('creates the folder and sets WAL, synchronous=FULL, foreign keys and busy timeout, also after reopen', () => {
    const file = path.join(tmp.dir, 'nested', 'deeper', 'kiosk.db');
    const expected = { journal: 'wal', synchronous: 2, foreignKeys: 1, busy: 5000 };

    const first = openKioskDatabase(file);
    expect(pragmas(first)).toEqual(expected);
    first.close();

    const again = openKioskDatabase(file);
    expect(pragmas(again)).toEqual(expected);
    again.close();
  });

  it('creates every table STRICT and sets user_version to the latest migration', () => {
    const db = openKioskDatabase(tmp.file('strict'));
    const rows = db.prepare<[], { name: string; sql: string }>("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
    expect(rows.map((r) => r.name)).toEqual(TABLES);
    for (const r of rows) expect(r.sql, r.name).toMatch(/\)\s*STRICT(,\s*WITHOUT ROWID)?\s*$/);
    const list = db.prepare<[], { name: string; strict: number }>("SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%'").all();
    expect(list.every((t) => t.strict === 1)).toBe(true);
    expect(LATEST_SCHEMA_VERSION).toBeGreaterThanOrEqual(1);
    expect(userVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    db.close();
  });

  it('keeps the db epoch across reopen and gives each new file its own', () => {
    const file = tmp.file('epoch');
    const epochOf = (db: Database.Database): string => db.prepare<[], string>('SELECT db_epoch FROM kiosk_meta').pluck().get() ?? '';
    const a = openKioskDatabase(file);
    const epoch = epochOf(a);
    a.close();
    const b = openKioskDatabase(file);
    expect(epochOf(b)).toBe(epoch);
    b.close();
    const other = openKioskDatabase(tmp.file('epoch-other'));
    expect(epochOf(other)).toMatch(/^[0-9a-f-]{36}$/);
    expect(epochOf(other)).not.toBe(epoch);
    other.close();
  });

  it('STRICT tables refuse a wrong type instead of coercing it', () => {
    const db = openKioskDatabase(tmp.file('types'));
    expect(() => db.prepare("INSERT INTO kiosk_series VALUES ('svc', '2025-01-01', 'three')").run()).toThrow(/cannot store TEXT value in INTEGER column/);
    db.close();
  });

  it('reports a file that is not a database as Corrupt', () => {
    const file = tmp.file('garbage');
    writeFileSync(file, randomBytes(8192));
    let caught: unknown;
    try {
      openKioskDatabase(file);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(StoreError);
    expect((caught as StoreError).code).toBe(StoreErrorCode.Corrupt);
    expect((caught as StoreError).sqliteCode).toBe('SQLITE_NOTADB');
  });

  it('reports a database whose pages are damaged as Corrupt at open', () => {
    const file = tmp.file('damaged');
    const db = openKioskDatabase(file);
    const insert = db.prepare('INSERT INTO outbox (seq, event_id, type, payload, occurred_at) VALUES (?, ?, ?, ?, ?)');
    db.transaction(() => {
      for (let i = 1; i <= 400; i++) insert.run(i, `event-${i}`, 'ticket.issued', JSON.stringify({ filler: 'x'.repeat(200) }), '2025-01-01T00:00:00.000Z');
    })();
    const pageSize = Number(db.pragma('page_size', { simple: true }));
    const pages = Number(db.pragma('page_count', { simple: true }));
    db.close(); // checkpoints the WAL into the main file
    expect(pages).toBeGreaterThan(10);
    const fd = openSync(file, 'r+');
    // Keep page 1 (header and schema) intact; scramble the rest.
    writeSync(fd, randomBytes(pageSize * (pages - 2)), 0, pageSize * (pages - 2), pageSize * 2);
    closeSync(fd);
    expect(() => openKioskDatabase(file)).toThrow(expect.objectContaining({ code: StoreErrorCode.Corrupt }));
  });

  it('refuses a schema newer than this build', () => {
    const file = tmp.file('newer');
    const db = openKioskDatabase(file);
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openKioskDatabase(file)).toThrow(StoreError);
  });

  it('opens read-only when the schema is current, and reports a missing migration on a read-only file as ReadOnly', () => {
    const file = tmp.file('ro');
    openKioskDatabase(file).close();
    const ro = openKioskDatabase(file, { readonly: true });
    expect(userVersion(ro)).toBe(LATEST_SCHEMA_VERSION);
    ro.close();

    const empty = tmp.file('ro-empty');
    new Database(empty).close();
    const roEmpty = new Database(empty, { readonly: true });
    let caught: unknown;
    try {
      migrate(roEmpty);
    } catch (err) {
      caught = err;
    }
    roEmpty.close();
    // migrate() itself does not code errors; the open path does.
    expect(caught).toBeInstanceOf(Database.SqliteError);
    expect(() => openKioskDatabase(empty, { readonly: true })).toThrow(expect.objectContaining({ code: StoreErrorCode.ReadOnly }));
  });
});

describe('openKioskDatabase retention settings', () => {
  it('creates new files with incremental auto_vacuum and converts an older file once, keeping its rows', () => {
    const fresh = openKioskDatabase(tmp.file('vacuum-new'));
    expect(fresh.pragma('auto_vacuum', { simple: true })).toBe(2);
    fresh.close();

    // A walking-skeleton file: schema 1, no auto_vacuum, one ticket's worth of meta.
    const file = tmp.file('vacuum-old');
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    migrate(old, [migrations[0] as Migration]);
    expect(old.pragma('auto_vacuum', { simple: true })).toBe(0);
    const epoch = old.prepare('SELECT db_epoch FROM kiosk_meta').pluck().get();
    old.close();

    const upgraded = openKioskDatabase(file);
    expect(upgraded.pragma('auto_vacuum', { simple: true })).toBe(2);
    expect(userVersion(upgraded)).toBe(LATEST_SCHEMA_VERSION);
    expect(upgraded.prepare('SELECT db_epoch FROM kiosk_meta').pluck().get()).toBe(epoch);
    expect(upgraded.prepare('SELECT count(*) FROM sync_state').pluck().get()).toBe(1);
    expect(upgraded.pragma('journal_size_limit', { simple: true })).toBe(4 * 1024 * 1024);
    upgraded.close();
  });
});

describe('migrate', () => {
  it('applies each pending migration once, in its own transaction, and a failing one leaves the previous version', () => {
    const db = new Database(tmp.file('migrate'));
    const calls: number[] = [];
    const ok = { version: 1, name: 'one', up: (d: Database.Database) => { calls.push(1); d.exec('CREATE TABLE a (x INTEGER) STRICT'); } };
    const bad = { version: 2, name: 'two', up: (d: Database.Database) => { d.exec('CREATE TABLE b (x INTEGER) STRICT'); throw new Error('boom'); } };
    expect(() => migrate(db, [ok, bad])).toThrow('boom');
    expect(userVersion(db)).toBe(1);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'b'").pluck().get()).toBe(0);
    expect(migrate(db, [ok])).toBe(1);
    expect(calls).toEqual([1]);
    db.close();
  });
});

describe('openKioskDatabase, personal data at rest', () => {
  const modeOf = (target: string): number => statSync(target).mode & 0o777;

  it('turns secure_delete on, so purged rows are overwritten on disk, also after reopen', () => {
    const file = tmp.file('secure-delete');
    const db = openKioskDatabase(file);
    expect(db.pragma('secure_delete', { simple: true })).toBe(1);
    // A row between two others, as a purged citizen HMAC sits between tickets that stay.
    const secret = 'a1'.repeat(32);
    db.exec('CREATE TABLE scratch (id INTEGER PRIMARY KEY, v TEXT NOT NULL) STRICT');
    const insert = db.prepare('INSERT INTO scratch (id, v) VALUES (?, ?)');
    insert.run(1, 'x'.repeat(64));
    insert.run(2, secret);
    insert.run(3, 'y'.repeat(64));
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.prepare('DELETE FROM scratch WHERE id = 2').run();
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    // The deleted cell is zeroed, not left readable in the page's free space.
    expect(readFileSync(file).includes(Buffer.from(secret))).toBe(false);
    const again = openKioskDatabase(file);
    expect(again.pragma('secure_delete', { simple: true })).toBe(1);
    again.close();
  });

  it('creates the data folder 0700 and the database, -wal and -shm 0600', () => {
    const dir = path.join(tmp.dir, 'modes-new', 'kiosk-data');
    const file = path.join(dir, 'kiosk.db');
    const db = openKioskDatabase(file);
    db.prepare('UPDATE sync_state SET last_push_at = ? WHERE id = 1').run('2025-03-10T00:00:00.000Z');
    expect(modeOf(path.join(tmp.dir, 'modes-new'))).toBe(0o700);
    expect(modeOf(dir)).toBe(0o700);
    expect(modeOf(file)).toBe(0o600);
    expect(existsSync(`${file}-wal`)).toBe(true);
    expect(modeOf(`${file}-wal`)).toBe(0o600);
    expect(modeOf(`${file}-shm`)).toBe(0o600);
    db.close();
  });

  it('tightens a folder and files an older install left readable by others', () => {
    const dir = path.join(tmp.dir, 'modes-loose');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    const file = path.join(dir, 'kiosk.db');
    openKioskDatabase(file).close();
    // Another connection keeps -wal and -shm in place while the modes are loosened.
    const other = new Database(file);
    other.prepare('UPDATE sync_state SET last_push_at = ? WHERE id = 1').run('2025-03-10T00:00:00.000Z');
    for (const f of [file, `${file}-wal`, `${file}-shm`]) chmodSync(f, 0o644);
    chmodSync(dir, 0o755);
    const db = openKioskDatabase(file);
    expect(modeOf(dir)).toBe(0o700);
    for (const f of [file, `${file}-wal`, `${file}-shm`]) expect(modeOf(f), f).toBe(0o600);
    db.close();
    other.close();
  });

  it('refuses a shared folder with the sticky bit (such as /tmp) instead of locking others out of it', () => {
    const shared = path.join(tmp.dir, 'shared-tmp');
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    expect(() => openKioskDatabase(path.join(shared, 'kiosk.db'))).toThrow(expect.objectContaining({ code: StoreErrorCode.Io }));
    expect(statSync(shared).mode & 0o7777).toBe(0o1777);
    expect(existsSync(path.join(shared, 'kiosk.db'))).toBe(false);
  });
});
