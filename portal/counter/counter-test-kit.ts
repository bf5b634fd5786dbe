import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { z } from 'zod';
import { HallEventEnvelope } from '../../common/contract/hall-events.js';
import { StaffRole } from '../../common/contract/route-spec.js';
import { tokenHash } from '../auth/token-hash.js';
import type { CounterActor } from './counter-actor.js';

/**
 * Helpers of the counter domain's tests (not used by the portal): staff API keys with a role,
 * the hall's events and audit lines, and the segments of a ticket, read straight from the tables.
 */

/** A staff account with an API key (the bearer token machine clients use). */
export async function addStaffKey(pool: pg.Pool, hallId: string, staffId: string, role: StaffRole, token: string): Promise<void> {
  await pool.query(
    `INSERT INTO staff (hall_id, staff_id, display_name, role) VALUES ($1, $2, $2, $3)
     ON CONFLICT (hall_id, staff_id) DO UPDATE SET role = EXCLUDED.role`,
    [hallId, staffId, role],
  );
  await pool.query('INSERT INTO staff_tokens (hall_id, token_hash, staff_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
    hallId,
    tokenHash(token),
    staffId,
  ]);
}

export function actor(hallId: string, staffId: string, role: StaffRole = StaffRole.Clerk, via: CounterActor['via'] = 'api-key'): CounterActor {
  return { hallId, staffId, role, via };
}

/** The hall's events after `afterSeq`, as stored. */
export async function hallEventsAfter(pool: pg.Pool, hallId: string, afterSeq = 0): Promise<HallEventEnvelope[]> {
  const result = await pool.query<{ seq: string; at: Date; kind: string; payload: unknown }>(
    'SELECT seq::text AS seq, at, kind, payload FROM hall_events WHERE hall_id = $1 AND seq > $2 ORDER BY seq',
    [hallId, afterSeq],
  );
  return result.rows.map((r) => HallEventEnvelope.parse({ seq: Number(r.seq), at: r.at.toISOString(), kind: r.kind, payload: r.payload }));
}

export async function lastEventSeq(pool: pg.Pool, hallId: string): Promise<number> {
  const result = await pool.query<{ seq: string | null }>('SELECT max(seq)::text AS seq FROM hall_events WHERE hall_id = $1', [hallId]);
  return Number(result.rows[0]?.seq ?? 0);
}

const AuditRow = z.object({ actor_id: z.string(), action: z.string(), target: z.string().nullable(), outcome: z.string(), detail: z.record(z.string(), z.unknown()) });
export type AuditRow = z.infer<typeof AuditRow>;

export async function auditLines(pool: pg.Pool, hallId: string, target?: string): Promise<AuditRow[]> {
  const result = await pool.query(
    'SELECT actor_id, action, target, outcome, detail FROM audit_log WHERE hall_id = $1 AND ($2::text IS NULL OR target = $2) ORDER BY audit_id',
    [hallId, target ?? null],
  );
  return result.rows.map((r) => AuditRow.parse(r));
}

const SegmentRow = z.object({
  ticket_id: z.string(),
  seq: z.number().int(),
  state: z.string(),
  counter_id: z.string().nullable(),
  staff_id: z.string().nullable(),
  service_id: z.string(),
  started_at: z.date(),
  ended_at: z.date().nullable(),
});
export type SegmentRow = z.infer<typeof SegmentRow>;

export async function segmentsOf(pool: pg.Pool | pg.PoolClient, hallId: string, ticketId?: string): Promise<SegmentRow[]> {
  const result = await pool.query(
    `SELECT ticket_id::text AS ticket_id, seq, state, counter_id, staff_id, service_id, started_at, ended_at FROM ticket_segments
     WHERE hall_id = $1 AND ($2::uuid IS NULL OR ticket_id = $2) ORDER BY ticket_id, seq`,
    [hallId, ticketId ?? null],
  );
  return result.rows.map((r) => SegmentRow.parse(r));
}

/**
 * What tiling means for one ticket's segments: numbered 1..n, the first starting at the ticket's
 * receive time, each ending where the next starts, only the last open, and open exactly when the
 * ticket is not done or cancelled. Returns the problems found (none: an empty list).
 */
export function tilingProblems(
  ticket: { ticket_id: string; status: string; received_at: Date },
  segments: readonly SegmentRow[],
): string[] {
  const problems: string[] = [];
  const id = ticket.ticket_id;
  if (segments.length === 0) return [`${id}: no segments`];
  segments.forEach((s, i) => {
    if (s.seq !== i + 1) problems.push(`${id}: segment ${i + 1} numbered ${s.seq}`);
    if (s.ended_at !== null && s.ended_at < s.started_at) problems.push(`${id}: segment ${s.seq} ends before it starts`);
    const next = segments[i + 1];
    if (next) {
      if (s.ended_at === null) problems.push(`${id}: segment ${s.seq} open but followed by ${next.seq}`);
      else if (s.ended_at.getTime() !== next.started_at.getTime()) {
        problems.push(`${id}: gap or overlap between ${s.seq} (ends ${s.ended_at.toISOString()}) and ${next.seq} (starts ${next.started_at.toISOString()})`);
      }
    }
  });
  const first = segments[0];
  if (first && first.started_at.getTime() !== ticket.received_at.getTime()) problems.push(`${id}: first segment does not start at receive time`);
  const last = segments[segments.length - 1];
  const final = ticket.status === 'done' || ticket.status === 'cancelled';
  if (last && final !== (last.ended_at !== null)) problems.push(`${id}: ${ticket.status} ticket with last segment ${last.ended_at ? 'closed' : 'open'}`);
  if (last && !final && last.state !== ticket.status) problems.push(`${id}: ${ticket.status} ticket in a ${last.state} segment`);
  return problems;
}

/** A ticket id the tests can name before the ticket exists. */
export const newTicketId = (): string => randomUUID();
