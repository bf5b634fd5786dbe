import type Database from 'better-sqlite3';
import { z } from 'zod';
import { AuditAction, AuditEntry, AuditOutcome } from '../common/contract/kiosk-api.js';
import { StoreError, StoreErrorCode, withStoreErrors } from './store-error.js';

export interface LockoutState {
  /** Wrong PINs in a row; only a successful login resets it, a lockout does not. */
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
 * Audit rows kept: the newest ones. Each technician action writes one row, and so does each
 * refused login, so without a bound a patient guesser could grow the file without end. At a
 * busy hall's few dozen actions a day this is well over a year of history.
 */
export const AUDIT_ROWS_KEPT = 10_000;

export interface TechnicianLedgerOptions {
  /** Audit rows kept (default AUDIT_ROWS_KEPT); older ones are deleted as new ones arrive. */
  auditRowsKept?: number;
}

/** How long the `failures`-th wrong PIN in a row locks logins, in ms; 0 for no lock. */
export type LockoutRule = (failures: number) => number;

/**
 * The technician's audit log and PIN lockout (docs/architecture.md §7) in the kiosk's SQLite file,
 * on the store's one connection. The lockout is stored, not kept in memory, so a restart does
 * not buy a fresh set of guesses. Throws StoreError like the store.
 */
export class TechnicianLedger {
  private readonly stmt;
  private readonly failTxn;
  private readonly appendTxn;

  constructor(db: Database.Database, options: TechnicianLedgerOptions = {}) {
    const kept = options.auditRowsKept ?? AUDIT_ROWS_KEPT;
    if (!(Number.isInteger(kept) && kept >= 1)) throw new RangeError('technician ledger: auditRowsKept must be a positive integer');
    this.stmt = withStoreErrors(() => ({
      insertAudit: db.prepare<NewAuditEntry>('INSERT INTO audit_log (at, actor, action, outcome, detail) VALUES (@at, @actor, @action, @outcome, @detail)'),
      // Oldest first, by id; the newest row always stays, so an id is never handed out twice.
      trimAudit: db.prepare<[number]>('DELETE FROM audit_log WHERE id <= (SELECT id FROM audit_log ORDER BY id DESC LIMIT 1 OFFSET ?)'),
      recentAudit: db.prepare<[number], unknown>('SELECT id, at, actor, action, outcome, detail FROM audit_log ORDER BY id DESC LIMIT ?'),
      lockout: db.prepare<[], unknown>('SELECT failures, locked_until FROM technician_lockout WHERE id = 1'),
      setLockout: db.prepare<[number, string | null]>('UPDATE technician_lockout SET failures = ?, locked_until = ? WHERE id = 1'),
    }));
    this.appendTxn = db.transaction((entry: NewAuditEntry) => {
      this.stmt.insertAudit.run(entry);
      this.stmt.trimAudit.run(kept);
    });
    this.failTxn = db.transaction((at: string, lockoutFor: LockoutRule): LockoutState => {
      // The count runs on through lockouts: after one, the next wrong PIN locks again at once.
      const failures = this.readLockout().failures + 1;
      const lockMs = lockoutFor(failures);
      const lockedUntil = lockMs > 0 ? new Date(Date.parse(at) + lockMs).toISOString() : null;
      this.stmt.setLockout.run(failures, lockedUntil);
      return { failures, lockedUntil };
    });
  }

  /** Appends one row and drops the oldest beyond the bound, in one transaction. */
  append(entry: NewAuditEntry): void {
    const parsed = NewAuditEntry.safeParse(entry);
    if (!parsed.success) throw new StoreError(StoreErrorCode.Constraint, `audit entry: ${z.prettifyError(parsed.error)}`);
    withStoreErrors(() => this.appendTxn.immediate(parsed.data));
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
   * Counts a wrong PIN and locks logins for as long as `lockoutFor` says for the new count (the
   * policy is the caller's). Returns the count including this one, and the lock if it was set.
   */
  recordFailure(at: string, lockoutFor: LockoutRule): LockoutState {
    return withStoreErrors(() => this.failTxn.immediate(at, lockoutFor));
  }

  recordSuccess(): void {
    withStoreErrors(() => this.stmt.setLockout.run(0, null));
  }

  private readLockout(): LockoutState {
    const row = LockoutRow.parse(this.stmt.lockout.get());
    return { failures: row.failures, lockedUntil: row.locked_until };
  }
}
