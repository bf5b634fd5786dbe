import type pg from 'pg';
import { z } from 'zod';
import { CaseStatus, StaffCase, type CaseView } from '../../common/contract/cases-api.js';
import type { LocalizedText } from '../../common/contract/catalog.js';
import type { BusinessDay } from '../../common/domain/business-day.js';
import { loadServices } from '../queue/catalog.js';
import { certificatesOf } from './certificates.js';

/**
 * The SQL of cases and their timelines: reads that build the views (staff, citizen, kiosk) and
 * the two writes (open, move). Everything here runs on the caller's connection or transaction.
 */

const CaseRow = z.object({
  case_number: z.string(),
  ticket_id: z.string().nullable(),
  service_id: z.string(),
  status: z.enum(CaseStatus),
  due_day: z.string().nullable(),
  opened_by: z.string().nullable(),
  updated_at: z.date(),
});

const TimelineRow = z.object({ case_number: z.string(), status: z.enum(CaseStatus), at: z.date(), note: z.string().nullable() });

/** Which cases to read; always within one hall. */
export type CaseFilter =
  | { caseNumber: string; citizenHmac?: string }
  | { citizenHmac: string; caseNumber?: undefined }
  | { status: CaseStatus | null; caseNumber?: undefined; citizenHmac?: undefined };

/** Bounds on a list: a kiosk or console shows recent cases, not a hall's history. */
export const MAX_CASES_LISTED = 500;

function whereOf(filter: CaseFilter): { sql: string; params: unknown[] } {
  if (filter.caseNumber !== undefined) {
    return filter.citizenHmac !== undefined
      ? { sql: 'case_number = $2 AND citizen_hmac = $3', params: [filter.caseNumber, filter.citizenHmac] }
      : { sql: 'case_number = $2', params: [filter.caseNumber] };
  }
  if (filter.citizenHmac !== undefined) return { sql: 'citizen_hmac = $2', params: [filter.citizenHmac] };
  return { sql: '($2::text IS NULL OR status = $2)', params: [filter.status] };
}

/** Cases with their timeline, service name and certificate, newest first (staff view: ticket and opener too). */
export async function readCases(db: pg.Pool | pg.PoolClient, hallId: string, filter: CaseFilter, limit = MAX_CASES_LISTED): Promise<StaffCase[]> {
  const where = whereOf(filter);
  const found = await db.query(
    `SELECT case_number, ticket_id::text AS ticket_id, service_id, status, due_day::text AS due_day, opened_by, updated_at
     FROM cases WHERE hall_id = $1 AND ${where.sql}
     ORDER BY opened_at DESC, case_number LIMIT ${Math.max(1, Math.floor(limit))}`,
    [hallId, ...where.params],
  );
  const rows = found.rows.map((r) => CaseRow.parse(r));
  if (rows.length === 0) return [];
  const numbers = rows.map((r) => r.case_number);
  const timeline = await db.query(
    `SELECT case_number, status, at, note FROM case_timeline WHERE hall_id = $1 AND case_number = ANY($2::text[]) ORDER BY case_number, seq`,
    [hallId, numbers],
  );
  const entries = new Map<string, z.infer<typeof TimelineRow>[]>();
  for (const raw of timeline.rows) {
    const entry = TimelineRow.parse(raw);
    entries.set(entry.case_number, [...(entries.get(entry.case_number) ?? []), entry]);
  }
  const certificates = await certificatesOf(db, hallId, numbers);
  const names = new Map<string, LocalizedText>((await loadServices(db, hallId)).map((s) => [s.id, s.name]));
  return rows.map((row) =>
    StaffCase.parse({
      caseNumber: row.case_number,
      serviceId: row.service_id,
      serviceName: names.get(row.service_id) ?? { zh: row.service_id, en: row.service_id },
      status: row.status,
      timeline: (entries.get(row.case_number) ?? []).map((e) => ({ status: e.status, at: e.at.toISOString(), note: e.note })),
      dueDay: row.due_day,
      certificate: certificates.get(row.case_number) ?? null,
      updatedAt: row.updated_at.toISOString(),
      ticketId: row.ticket_id,
      openedBy: row.opened_by,
    }),
  );
}

/** What a citizen (online or at the kiosk) sees of a case: no ticket id, no staff. */
export function citizenView(c: StaffCase): CaseView {
  const { ticketId: _ticketId, openedBy: _openedBy, ...view } = c;
  return view;
}

export interface CaseOpening {
  hallId: string;
  caseNumber: string;
  ticketId: string;
  staffId: string;
  /** The hall's business day of acceptance. */
  acceptedDay: BusinessDay;
  dueDay: BusinessDay | null;
}

/**
 * Inserts the case from its ticket (service, citizen HMAC and masked name copied from the ticket
 * row, opened at the ticket's completion time) and the first timeline entry. False when the hall
 * already has a case of that number: nothing is written then.
 */
export async function insertCase(client: pg.PoolClient, opening: CaseOpening): Promise<boolean> {
  const inserted = await client.query<{ opened_at: Date }>(
    `INSERT INTO cases (hall_id, case_number, ticket_id, service_id, citizen_hmac, masked_name, status,
                        accepted_day, due_day, opened_by, opened_at, updated_at)
     SELECT t.hall_id, $2, t.ticket_id, t.service_id, t.citizen_hmac, t.masked_name, 'accepted',
            $4::date, $5::date, $6, coalesce(t.finished_at, clock_timestamp()), coalesce(t.finished_at, clock_timestamp())
     FROM tickets t WHERE t.hall_id = $1 AND t.ticket_id = $3
     ON CONFLICT (hall_id, case_number) DO NOTHING
     RETURNING opened_at`,
    [opening.hallId, opening.caseNumber, opening.ticketId, opening.acceptedDay, opening.dueDay, opening.staffId],
  );
  const openedAt = inserted.rows[0]?.opened_at;
  if (!openedAt) return false;
  await client.query(
    `INSERT INTO case_timeline (hall_id, case_number, seq, status, note, staff_id, at) VALUES ($1, $2, 1, 'accepted', NULL, $3, $4)`,
    [opening.hallId, opening.caseNumber, opening.staffId, openedAt],
  );
  return true;
}

const LockedCase = z.object({ status: z.enum(CaseStatus), service_id: z.string(), masked_name: z.string().nullable() });
export type LockedCase = z.infer<typeof LockedCase>;

/** The case's row, locked until the transaction ends; null when the hall has no such case. */
export async function lockCase(client: pg.PoolClient, hallId: string, caseNumber: string): Promise<LockedCase | null> {
  const result = await client.query('SELECT status, service_id, masked_name FROM cases WHERE hall_id = $1 AND case_number = $2 FOR UPDATE', [
    hallId,
    caseNumber,
  ]);
  return result.rows[0] ? LockedCase.parse(result.rows[0]) : null;
}

/**
 * Moves a locked case to `status` and appends the timeline entry, at one instant (never before
 * the case's last change, whatever the clock did); returns that instant.
 */
export async function moveCase(
  client: pg.PoolClient,
  move: { hallId: string; caseNumber: string; status: CaseStatus; note: string | null; staffId: string },
): Promise<Date> {
  const result = await client.query<{ at: Date }>(
    `WITH moved AS (
       UPDATE cases SET status = $3, updated_at = greatest(clock_timestamp(), updated_at)
       WHERE hall_id = $1 AND case_number = $2
       RETURNING hall_id, case_number, updated_at
     )
     INSERT INTO case_timeline (hall_id, case_number, seq, status, note, staff_id, at)
     SELECT m.hall_id, m.case_number,
            (SELECT coalesce(max(seq), 0) + 1 FROM case_timeline WHERE hall_id = $1 AND case_number = $2), $3, $4, $5, m.updated_at
     FROM moved m
     RETURNING at`,
    [move.hallId, move.caseNumber, move.status, move.note, move.staffId],
  );
  const at = result.rows[0]?.at;
  if (!at) throw new Error(`case ${move.caseNumber} vanished while locked`);
  return at;
}
