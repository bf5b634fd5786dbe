import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { AuditAction, AuditOutcome } from '../common/contract/kiosk-api.js';
import { migrate } from './db/migrate.js';
import { migrations } from './db/migrations/index.js';
import { openKioskDatabase } from './db/open-database.js';
import { openKioskStore, type KioskStore } from './kiosk-store.js';
import { StoreError, StoreErrorCode } from './store-error.js';
import { AUDIT_ROWS_KEPT, TechnicianLedger } from './technician-ledger.js';
import { makeTempDir } from './testing/temp-dir.js';

const tmp = makeTempDir('ledger');
const stores: KioskStore[] = [];
const dbs: Database.Database[] = [];
afterAll(() => {
  for (const s of stores) s.close();
  for (const db of dbs) db.close();
  tmp.remove();
});

function open(file: string): KioskStore {
  const store = openKioskStore({ path: file });
  stores.push(store);
  return store;
}

describe('TechnicianLedger', () => {
  it('appends audit rows and reads them newest first, across a reopen', () => {
    const file = tmp.file('audit');
    const first = open(file);
    first.technician.append({ at: '2025-03-04T06:00:00.000Z', actor: 'technician#abc123', action: AuditAction.Login, outcome: AuditOutcome.Ok, detail: 'PIN accepted' });
    first.technician.append({ at: '2025-03-04T06:01:00.000Z', actor: 'technician#abc123', action: AuditAction.Reprint, outcome: AuditOutcome.Failed, detail: 'ticket A024: failed' });
    const rows = open(file).technician.recent(10);
    expect(rows.map((r) => [r.at, r.action, r.outcome])).toEqual([
      ['2025-03-04T06:01:00.000Z', AuditAction.Reprint, AuditOutcome.Failed],
      ['2025-03-04T06:00:00.000Z', AuditAction.Login, AuditOutcome.Ok],
    ]);
    expect(rows[0]?.id).toBeGreaterThan(rows[1]?.id ?? Infinity);
    expect(open(file).technician.recent(1)).toHaveLength(1);
  });

  it('refuses an entry outside the schema with a coded error, writing nothing', () => {
    const store = open(tmp.file('bad'));
    const bad = { at: 'yesterday', actor: 'x', action: AuditAction.Login, outcome: AuditOutcome.Ok, detail: '' };
    expect(() => store.technician.append(bad)).toThrow(expect.objectContaining({ code: StoreErrorCode.Constraint }));
    expect(() => store.technician.append({ ...bad, at: '2025-03-04T06:00:00.000Z', detail: 'x'.repeat(301) })).toThrow(StoreError);
    expect(store.technician.recent(10)).toEqual([]);
  });

  it('counts wrong PINs in a row through lockouts, locks as the rule says; only success resets', () => {
    const file = tmp.file('lockout');
    const ledger = open(file).technician;
    const rule = (failures: number) => (failures >= 3 ? 60_000 * 2 ** (failures - 3) : 0);
    expect(ledger.lockout()).toEqual({ failures: 0, lockedUntil: null });
    expect(ledger.recordFailure('2025-03-04T06:00:00.000Z', rule)).toEqual({ failures: 1, lockedUntil: null });
    ledger.recordSuccess();
    for (let i = 0; i < 2; i++) ledger.recordFailure('2025-03-04T06:00:00.000Z', rule);
    expect(ledger.recordFailure('2025-03-04T06:00:00.000Z', rule)).toEqual({ failures: 3, lockedUntil: '2025-03-04T06:01:00.000Z' });
    // Stored: another connection (a restarted kiosk) sees the lock and the count, not a fresh start.
    expect(open(file).technician.lockout()).toEqual({ failures: 3, lockedUntil: '2025-03-04T06:01:00.000Z' });
    expect(open(file).technician.recordFailure('2025-03-04T06:01:00.000Z', rule)).toEqual({ failures: 4, lockedUntil: '2025-03-04T06:03:00.000Z' });
    ledger.recordSuccess();
    expect(ledger.lockout()).toEqual({ failures: 0, lockedUntil: null });
  });

  it('keeps the audit log bounded: the newest rows stay, ids keep growing', () => {
    const db = openKioskDatabase(tmp.file('bounded'));
    dbs.push(db);
    const ledger = new TechnicianLedger(db, { auditRowsKept: 5 });
    for (let i = 0; i < 12; i++) {
      ledger.append({ at: `2025-03-04T06:00:${String(i).padStart(2, '0')}.000Z`, actor: 'technician', action: AuditAction.Login, outcome: AuditOutcome.Refused, detail: `attempt ${i}` });
    }
    const rows = ledger.recent(100);
    expect(rows.map((r) => r.detail)).toEqual(['attempt 11', 'attempt 10', 'attempt 9', 'attempt 8', 'attempt 7']);
    expect(db.prepare('SELECT count(*) AS n FROM audit_log').get()).toEqual({ n: 5 });
    ledger.append({ at: '2025-03-04T06:01:00.000Z', actor: 'technician', action: AuditAction.Logout, outcome: AuditOutcome.Ok, detail: 'next' });
    expect(ledger.recent(1)[0]?.id).toBeGreaterThan(rows[0]?.id ?? Infinity);
  });

  it('scrubs card numbers from self-test rows written before (migration 6)', () => {
    const file = tmp.file('scrub');
    const old = new Database(file);
    dbs.push(old);
    migrate(old, migrations.filter((m) => m.version < 6));
    const insert = old.prepare("INSERT INTO audit_log (at, actor, action, outcome, detail) VALUES ('2025-03-04T06:00:00.000Z', 'technician#abc123', ?, ?, ?)");
    insert.run('self-test', 'ok', 'reader: card read: mainland 1101**********002X');
    insert.run('self-test', 'ok', 'scanner: scanned HKA-7Q2M9XKD');
    insert.run('self-test', 'failed', 'reader: no card read within 20 s (reader ready)');
    insert.run('self-test', 'failed', 'reader: bad frame for 11010519491231002X');
    insert.run('reprint', 'ok', 'ticket A024: printed');
    old.close();

    const upgraded = openKioskDatabase(file);
    dbs.push(upgraded);
    expect(upgraded.prepare('SELECT detail FROM audit_log ORDER BY id').pluck().all()).toEqual([
      'reader: passed',
      'scanner: passed',
      'reader: no card read within 20 s (reader ready)',
      'reader: bad frame for [ID number]',
      'ticket A024: printed',
    ]);
  });

  it('bounds the audit log by default too', () => {
    expect(AUDIT_ROWS_KEPT).toBeGreaterThanOrEqual(1_000);
    expect(AUDIT_ROWS_KEPT).toBeLessThanOrEqual(100_000);
  });
});
