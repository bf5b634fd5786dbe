import type pg from 'pg';
import { z } from 'zod';
import { ConfigAuditEntry, StaffMemberView } from '../../common/contract/config-api.js';
import { StaffRole } from '../../common/contract/route-spec.js';

/**
 * What the console reads besides the configuration itself: the audit lines of configuration
 * changes (written by config-change.ts with the change), and the hall's staff to choose who may
 * sign in at a counter.
 */

const AuditRow = z.object({
  at: z.date(),
  actor_id: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  detail: z.object({ before: z.unknown(), after: z.unknown() }).partial(),
});

/** The hall's configuration changes, newest first; `target` narrows them to one thing. */
export async function configAudit(db: pg.Pool, hallId: string, target: string | undefined, limit: number): Promise<ConfigAuditEntry[]> {
  const result = await db.query(
    `SELECT at, actor_id, action, target, detail FROM audit_log
     WHERE hall_id = $1 AND action LIKE 'config.%' AND outcome = 'ok' AND ($2::text IS NULL OR target = $2)
     ORDER BY audit_id DESC LIMIT $3`,
    [hallId, target ?? null, limit],
  );
  return result.rows.map((raw) => {
    const row = AuditRow.parse(raw);
    return { at: row.at.toISOString(), staffId: row.actor_id, action: row.action, target: row.target, before: row.detail.before ?? null, after: row.detail.after ?? null };
  });
}

const StaffRow = z.object({
  staff_id: z.string(),
  display_name: z.string(),
  role: z.enum(StaffRole),
  username: z.string().nullable(),
  disabled_at: z.date().nullable(),
});

export async function listStaff(db: pg.Pool, hallId: string): Promise<z.infer<typeof StaffMemberView>[]> {
  const result = await db.query('SELECT staff_id, display_name, role, username, disabled_at FROM staff WHERE hall_id = $1 ORDER BY staff_id', [hallId]);
  return result.rows.map((raw) => {
    const row = StaffRow.parse(raw);
    return StaffMemberView.parse({ staffId: row.staff_id, displayName: row.display_name, role: row.role, username: row.username, disabled: row.disabled_at !== null });
  });
}
