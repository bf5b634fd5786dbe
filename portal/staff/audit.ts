import type pg from 'pg';

/** Who did it: a member of staff (by staff id), a kiosk, a hall display, or the portal itself (sweeps). */
export interface AuditActor {
  kind: 'staff' | 'kiosk' | 'display' | 'system';
  id: string;
}

/**
 * One line of the hall's audit log. `action` is a dotted verb (`staff.sign-in`, `ticket.call`,
 * `counter.pause`); `target` what it acted on (a ticket id, a counter id, a username), or null.
 * `detail` holds what a reviewer needs to read the line on its own; never a secret, never a raw
 * ID number (a citizen appears at most by the ticket number).
 */
export interface AuditEntry {
  hallId: string;
  actor: AuditActor;
  action: string;
  target: string | null;
  detail?: Record<string, unknown>;
  outcome: 'ok' | 'refused' | 'failed';
}

/**
 * Writes one audit line. Call it with the transaction's client inside the transaction that does
 * the action, so the line commits (or rolls back) with it; with the pool for an action that has
 * no transaction of its own (a refused sign-in). The time is the database's, taken at the insert.
 */
export async function recordAudit(db: pg.PoolClient | pg.Pool, entry: AuditEntry): Promise<void> {
  await db.query(
    `INSERT INTO audit_log (hall_id, actor_kind, actor_id, action, target, detail, outcome)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [entry.hallId, entry.actor.kind, entry.actor.id, entry.action, entry.target, JSON.stringify(entry.detail ?? {}), entry.outcome],
  );
}

/**
 * Writes several audit lines in one statement (a push batch's ratings): the same lines as
 * `recordAudit` one by one, in the order given, inside the caller's transaction.
 */
export async function recordAudits(db: pg.PoolClient | pg.Pool, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const rows = entries.map((e, i) => ({
    ord: i + 1,
    hall_id: e.hallId,
    actor_kind: e.actor.kind,
    actor_id: e.actor.id,
    action: e.action,
    target: e.target,
    detail: e.detail ?? {},
    outcome: e.outcome,
  }));
  await db.query(
    `INSERT INTO audit_log (hall_id, actor_kind, actor_id, action, target, detail, outcome)
     SELECT a.hall_id, a.actor_kind, a.actor_id, a.action, a.target, a.detail, a.outcome
     FROM json_to_recordset($1::json) AS a(ord int, hall_id text, actor_kind text, actor_id text, action text, target text, detail jsonb, outcome text)
     ORDER BY a.ord`,
    [JSON.stringify(rows)],
  );
}
