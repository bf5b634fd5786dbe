import type Database from 'better-sqlite3';
import { z } from 'zod';
import { AuditAction, AuditEntry, AuditOutcome } from '../common/contract/kiosk-api.js';
import { StoreError, StoreErrorCode, withStoreErrors } from './store-error.js';

export interface LockoutState {
  /** Wrong PINs in a row (reset by a success and by each lockout). */
  failures: number;
  /** ISO time until which logins are refused; null when not locked. */
  lockedUntil: string | null;
}

export const NewAuditEntry = z.object({
  at: z.iso.datetime(),
  actor: z.string().min(1).max(64),
  action: z.enum(AuditAction),
  outcome: z.enum(AuditOutcome),
  detail: z.string().max(300),
});
export type NewAuditEntry = z.infer<typeof NewAuditEntry>;

const AuditRow = z.object({
  id: z.number().int().positive(),
  at: z.string(),
  actor: z.string(),
  action: z.enum(AuditAction),
  outcome: z.enum(AuditOutcome),
  detail: z.string(),
});

const LockoutRow = z.object({ failures: z.number().int().nonnegative(), locked_until: z.string().nullable() });

/**
 * The technician's audit log and PIN lockout (ARCHITECTURE.md §7) in the kiosk's SQLite file,
 * on the store's one connection. The lockout is stored, not kept in memory, so a restart does
 * not buy a fresh set of guesses. Throws StoreError like the store.
 */
export class TechnicianLedger {
  private readonly stmt;
  private readonly failTxn;

  constructor(db: Database.Database) {
    this.stmt = withStoreErrors(() => ({
      insertAudit: db.prepare<NewAuditEntry>('INSERT INTO audit_log (at, actor, action, outcome, detail) VALUES (@at, @actor, @action, @outcome, @detail)'),
      recentAudit: db.prepare<[number], unknown>('SELECT id, at, actor, action, outcome, detail FROM audit_log ORDER BY id DESC LIMIT ?'),
      lockout: db.prepare<[], unknown>('SELECT failures, locked_until FROM technician_lockout WHERE id = 1'),
      setLockout: db.prepare<[number, string | null]>('UPDATE technician_lockout SET failures = ?, locked_until = ? WHERE id = 1'),
    }));
    this.failTxn = db.transaction((at: string, maxFailures: number, lockoutMs: number): LockoutState => {
      const failures = this.readLockout().failures + 1;
      if (failures >= maxFailures) {
        const lockedUntil = new Date(Date.parse(at) + lockoutMs).toISOString();
        this.stmt.setLockout.run(0, lockedUntil);
        return { failures, lockedUntil };
      }
      this.stmt.setLockout.run(failures, null);
      return { failures, lockedUntil: null };
    });
  }

  append(entry: NewAuditEntry): void {
    const parsed = NewAuditEntry.safeParse(entry);
    if (!parsed.success) throw new StoreError(StoreErrorCode.Constraint, `audit entry: ${z.prettifyError(parsed.error)}`);
    withStoreErrors(() => this.stmt.insertAudit.run(parsed.data));
  }

  /** Newest first. */
  recent(limit: number): AuditEntry[] {
    const rows = withStoreErrors(() => this.stmt.recentAudit.all(Math.max(0, Math.floor(limit))));
    return rows.map((row) => AuditEntry.parse(AuditRow.parse(row)));
  }

  lockout(): LockoutState {
    return withStoreErrors(() => this.readLockout());
  }

  /**
   * Counts a wrong PIN; the `maxFailures`-th in a row locks logins for `lockoutMs` and starts the
   * count again. Returns the count including this one, and the lock if it was set.
   */
  recordFailure(at: string, maxFailures: number, lockoutMs: number): LockoutState {
    return withStoreErrors(() => this.failTxn.immediate(at, maxFailures, lockoutMs));
  }

  recordSuccess(): void {
    withStoreErrors(() => this.stmt.setLockout.run(0, null));
  }

  private readLockout(): LockoutState {
    const row = LockoutRow.parse(this.stmt.lockout.get());
    return { failures: row.failures, lockedUntil: row.locked_until };
  }
}
