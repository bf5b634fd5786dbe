import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { z } from 'zod';
import {
  AppealStatus,
  RectificationStatus,
  isPoorRating,
  type RectificationOrder,
} from '../../common/contract/ratings-api.js';
import { StaffRole } from '../../common/contract/route-spec.js';
import { RATING_COLUMNS, RatingRow, toRatingView } from './rating-store.js';
import { dueDayOf, type RectificationClock } from './rectification-clock.js';
import { isOverdue, type OrderState } from './rectification-workflow.js';

/** An order a poor rating opened. */
export interface OpenedOrder {
  orderId: string;
  ratingId: string;
  ticketId: string;
  assignedTo: string | null;
  dueDay: string;
}

const LoadRow = z.object({ staff_id: z.string(), role: z.enum(StaffRole), load: z.number().int() });

/**
 * Who takes each new order: the hall's managers (admins only when it has no manager), each new
 * order to the one with the fewest orders not yet closed, ties by staff id. Null when the hall has
 * nobody to assign: the order waits unassigned and the first manager who acts on it takes it.
 * Two pushes at the same instant may both pick the same manager: the balance is a fair share, not
 * a lock on the staff table.
 */
async function assignees(client: pg.PoolClient, hallId: string, count: number): Promise<(string | null)[]> {
  const result = await client.query(
    `SELECT s.staff_id, s.role,
       (SELECT count(*) FROM rectification_orders o
        WHERE o.hall_id = $1 AND o.assigned_to = s.staff_id AND o.status <> 'closed')::int AS load
     FROM staff s WHERE s.hall_id = $1 AND s.role IN ('manager', 'admin') AND s.disabled_at IS NULL`,
    [hallId],
  );
  const rows = result.rows.map((r) => LoadRow.parse(r));
  const managers = rows.filter((r) => r.role === StaffRole.Manager);
  const pool = (managers.length > 0 ? managers : rows).map((r) => ({ staffId: r.staff_id, load: r.load }));
  const chosen: (string | null)[] = [];
  for (let i = 0; i < count; i++) {
    pool.sort((a, b) => a.load - b.load || (a.staffId < b.staffId ? -1 : a.staffId > b.staffId ? 1 : 0));
    const least = pool[0];
    if (least) least.load += 1;
    chosen.push(least?.staffId ?? null);
  }
  return chosen;
}

/**
 * Opens one order per poor rating (不满意, 非常不满意 overall) of `ratings`, in the rating's
 * transaction: due `rectificationDays` working days after the rating's day on the hall calendar.
 * Two statements whatever the number of ratings; none when no rating is poor.
 */
export async function openOrders(
  client: pg.PoolClient,
  hallId: string,
  ratings: readonly RatingRow[],
  clock: () => Promise<Pick<RectificationClock, 'calendar' | 'rectificationDays'>>,
): Promise<OpenedOrder[]> {
  const poor = ratings.filter((r) => isPoorRating(r.overall));
  if (poor.length === 0) return [];
  const rules = await clock();
  const owners = await assignees(client, hallId, poor.length);
  const orders = poor.map((r, i) => ({
    order_id: randomUUID(),
    rating_id: r.rating_id,
    ticket_id: r.ticket_id,
    service_id: r.service_id,
    counter_id: r.counter_id,
    staff_id: r.staff_id,
    assigned_to: owners[i] ?? null,
    due_day: dueDayOf(r.rated_day, rules),
  }));
  await client.query(
    `INSERT INTO rectification_orders (hall_id, order_id, rating_id, service_id, counter_id, staff_id, assigned_to, due_day)
     SELECT $1, o.order_id, o.rating_id, o.service_id, o.counter_id, o.staff_id, o.assigned_to, o.due_day
     FROM json_to_recordset($2::json) AS o(order_id uuid, rating_id uuid, service_id text, counter_id text, staff_id text,
                                           assigned_to text, due_day date)`,
    [hallId, JSON.stringify(orders)],
  );
  return orders.map((o) => ({ orderId: o.order_id, ratingId: o.rating_id, ticketId: o.ticket_id, assignedTo: o.assigned_to, dueDay: o.due_day }));
}

const OrderRow = RatingRow.extend({
  order_id: z.string(),
  status: z.enum(RectificationStatus),
  assigned_to: z.string().nullable(),
  due_day: z.string(),
  appeal: z.enum(AppealStatus),
  appeal_reason: z.string().nullable(),
  notes: z.array(z.object({ at: z.string(), staffId: z.string(), status: z.enum(RectificationStatus), text: z.string() })),
});

/** At most this many orders in one list: the open ones first, by deadline. */
export const ORDER_LIST_LIMIT = 500;

export interface OrderFilter {
  status?: RectificationStatus | undefined;
  /** A clerk's scope: only the orders about this clerk (null: the whole hall). */
  ratedStaffId: string | null;
  orderId?: string;
}

/** The hall's orders as the contract shows them, `overdue` against the hall's `today`. */
export async function readOrders(db: pg.PoolClient | pg.Pool, hallId: string, filter: OrderFilter, today: string): Promise<RectificationOrder[]> {
  const result = await db.query(
    `SELECT ${RATING_COLUMNS}, o.order_id::text AS order_id, o.status, o.assigned_to, o.due_day::text AS due_day, o.appeal, o.appeal_reason,
       (SELECT coalesce(json_agg(json_build_object(
           'at', to_char(n.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
           'staffId', n.staff_id, 'status', n.status, 'text', n.text) ORDER BY n.seq), '[]'::json)
        FROM rectification_notes n WHERE n.hall_id = o.hall_id AND n.order_id = o.order_id) AS notes
     FROM rectification_orders o JOIN ratings r ON r.hall_id = o.hall_id AND r.rating_id = o.rating_id
     WHERE o.hall_id = $1 AND ($2::text IS NULL OR o.status = $2) AND ($3::text IS NULL OR o.staff_id = $3)
       AND ($4::uuid IS NULL OR o.order_id = $4)
     ORDER BY o.status = 'closed', o.due_day, o.created_at, o.order_id
     LIMIT ${ORDER_LIST_LIMIT}`,
    [hallId, filter.status ?? null, filter.ratedStaffId, filter.orderId ?? null],
  );
  return result.rows.map((raw) => {
    const row = OrderRow.parse(raw);
    return {
      orderId: row.order_id,
      rating: toRatingView(row),
      status: row.status,
      assignedTo: row.assigned_to,
      dueDay: row.due_day,
      overdue: isOverdue(row.status, row.due_day, today),
      appeal: row.appeal,
      appealReason: row.appeal_reason,
      notes: row.notes,
    };
  });
}

const LockedRow = z.object({
  order_id: z.string(),
  status: z.enum(RectificationStatus),
  appeal: z.enum(AppealStatus),
  staff_id: z.string().nullable(),
  assigned_to: z.string().nullable(),
});

/** Locks one order of the hall for a change; null when the hall has no such order. */
export async function lockOrder(client: pg.PoolClient, hallId: string, orderId: string): Promise<(OrderState & { assignedTo: string | null }) | null> {
  const result = await client.query(
    `SELECT order_id::text AS order_id, status, appeal, staff_id, assigned_to FROM rectification_orders
     WHERE hall_id = $1 AND order_id = $2 FOR UPDATE`,
    [hallId, orderId],
  );
  if (result.rows.length === 0) return null;
  const row = LockedRow.parse(result.rows[0]);
  return { orderId: row.order_id, status: row.status, appeal: row.appeal, staffId: row.staff_id, assignedTo: row.assigned_to };
}

export type NoteKind = 'advance' | 'appeal' | 'decision';

/** Appends a note to a locked order (numbered under its lock). */
export async function addNote(
  client: pg.PoolClient,
  hallId: string,
  orderId: string,
  note: { staffId: string; kind: NoteKind; status: RectificationStatus; text: string },
): Promise<void> {
  await client.query(
    `INSERT INTO rectification_notes (hall_id, order_id, seq, staff_id, kind, status, text)
     SELECT $1, $2, coalesce(max(seq), 0) + 1, $3, $4, $5, $6 FROM rectification_notes WHERE hall_id = $1 AND order_id = $2`,
    [hallId, orderId, note.staffId, note.kind, note.status, note.text],
  );
}
