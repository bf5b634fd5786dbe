import type pg from 'pg';
import { z } from 'zod';
import { TicketStatus, type QueueTicket } from '../../common/contract/counter-api.js';
import { PortalErrorCode } from '../../common/contract/errors.js';
import type { LocalizedText } from '../../common/contract/catalog.js';
import { Priority, priorityRank } from '../../common/domain/priority.js';
import { PortalError } from '../http/portal-error.js';
import { clerkScope, type CounterActor } from './counter-actor.js';
import type { CounterWithTicket } from './counter-row.js';
import { TICKET_TRANSITIONS, TicketAction, refusalMessage } from './ticket-life.js';
import { TICKET_COLUMN_LIST, toQueueTicket } from './ticket-row.js';

/**
 * Every transition of a ticket is ONE statement (CTEs), run once the ticket's row is locked: take
 * the time once, the conditional `UPDATE … WHERE status = ANY(from)` (from ticket-life.ts), close
 * the open segment and open the next one at that same instant. When the update matches no row,
 * the same statement still returns what the locked row was, so the refusal says why (404, 409
 * invalid-transition, 403) without a second look.
 *
 * Authorization is part of the WHERE clause: a clerk (clerkScope) acts only on a ticket held at a
 * counter signed in under their staff id. Calls (call, call back) name their counter, which the
 * caller has locked and checked (counter-control.ts `lockCounterForCall`).
 */

export type TransferTarget = { serviceId: string; counterId?: undefined } | { counterId: string; serviceId?: undefined };

export type TransitionInput =
  | { action: TicketAction.Call; counter: CounterWithTicket }
  | { action: TicketAction.CallBack; counter: CounterWithTicket }
  | { action: TicketAction.Recall | TicketAction.Start | TicketAction.NoShow | TicketAction.Hold | TicketAction.Requeue }
  | { action: TicketAction.Complete; caseNumber: string | null }
  | { action: TicketAction.Transfer; target: TransferTarget; priority?: Priority | undefined }
  | { action: TicketAction.Cancel };

/** The counter a ticket is at after a transition, as the display names it. */
export interface CounterSign {
  counterId: string;
  number: number;
  name: LocalizedText;
}

export interface TransitionOutcome {
  action: TicketAction;
  /** A recall past the hall's limit: the ticket became a no-show. */
  recallBecameNoShow: boolean;
  ticket: QueueTicket;
  businessDay: string;
  previousStatus: TicketStatus;
  previousCounterId: string | null;
  previousServiceId: string;
  /** The ticket's counter now (null when it has none). */
  counter: CounterSign | null;
}

/** What one action sets and requires beyond the status, with its own parameters from $7 on. */
interface ActionSql {
  set: string;
  /** Extra condition on the row (`tk`), beyond status and scope. */
  where?: string;
  params?: unknown[];
  /** Whether a clerk's scope applies (calls are scoped by their counter instead). */
  scoped: boolean;
}

const CALL_SET = `status = 'called', call_count = 1, called_at = c.at, staff_id = $4`;

function actionSql(input: TransitionInput): ActionSql {
  switch (input.action) {
    case TicketAction.Call: {
      const k = input.counter.counter;
      return {
        set: `${CALL_SET}, counter_id = $7, target_counter_id = NULL`,
        // Today's line only; a ticket transferred to one counter is that counter's; the counter must serve the service.
        where: `tk.business_day = $6::date AND (tk.target_counter_id IS NULL OR tk.target_counter_id = $7)
                AND (tk.target_counter_id = $7 OR cardinality($8::text[]) = 0 OR tk.service_id = ANY($8::text[]))`,
        params: [k.counter_id, k.service_ids],
        scoped: false,
      };
    }
    case TicketAction.CallBack:
      return { set: CALL_SET, where: 'tk.counter_id = $7', params: [input.counter.counter.counter_id], scoped: false };
    case TicketAction.Recall:
      // Past the hall's limit the recall is the no-show: call_count already counts every call made.
      return {
        set: `status = CASE WHEN c.call_count >= c.call_limit THEN 'no-show' ELSE 'called' END,
              call_count = CASE WHEN c.call_count >= c.call_limit THEN c.call_count ELSE c.call_count + 1 END,
              called_at = CASE WHEN c.call_count >= c.call_limit THEN tk.called_at ELSE c.at END,
              finished_at = CASE WHEN c.call_count >= c.call_limit THEN c.at END,
              staff_id = $4`,
        scoped: true,
      };
    case TicketAction.Start:
      return { set: `status = 'serving', staff_id = $4`, scoped: true };
    case TicketAction.Complete:
      return { set: `status = 'done', case_number = $7, finished_at = c.at, staff_id = $4`, params: [input.caseNumber], scoped: true };
    case TicketAction.NoShow:
      return { set: `status = 'no-show', finished_at = c.at, staff_id = $4`, scoped: true };
    case TicketAction.Requeue:
      // The back of its class: queue_at is now. Today's line only.
      return {
        set: `status = 'waiting', queue_at = c.at, counter_id = NULL, target_counter_id = NULL, call_count = 0, finished_at = NULL`,
        where: 'tk.business_day = $6::date',
        scoped: true,
      };
    case TicketAction.Hold:
      return { set: `status = 'held', staff_id = $4`, scoped: true };
    case TicketAction.Transfer: {
      const priority = input.priority ?? null;
      // queue_at is kept: the visitor has waited already. Only appointment tickets keep an appointment time.
      return {
        set: `status = 'waiting', service_id = coalesce($7, tk.service_id), target_counter_id = $8,
              priority = coalesce($9, tk.priority), priority_rank = coalesce($10::smallint, tk.priority_rank),
              appointment_at = CASE WHEN coalesce($9, tk.priority) = 'appointment' THEN tk.appointment_at END,
              call_count = 0`,
        params: [input.target.serviceId ?? null, input.target.counterId ?? null, priority, priority === null ? null : priorityRank[priority]],
        scoped: true,
      };
    }
    case TicketAction.Cancel:
      return { set: `status = 'cancelled', closed_reason = 'staff', finished_at = c.at`, scoped: true };
  }
}

const RETURNED = TICKET_COLUMN_LIST.map((col) => `m.${col}`).join(', ');

function statementOf(sql: ActionSql): string {
  return `
    WITH locked AS (
      SELECT ticket_id, status, counter_id, service_id, business_day, call_count, target_counter_id, updated_at
      FROM tickets WHERE hall_id = $1 AND ticket_id = $2
      FOR UPDATE
    ),
    c AS MATERIALIZED (
      -- The time, once, after the lock, and never before the ticket's last transition (a clock
      -- stepping back cannot make a segment negative).
      SELECT l.*, greatest(clock_timestamp(), l.updated_at) AS at, $6::date AS today,
             (SELECT h.no_show_after_calls FROM halls h WHERE h.hall_id = $1) AS call_limit,
             ($5::text IS NULL OR (l.status IN ('called', 'serving', 'held', 'no-show') AND l.counter_id IN (
               SELECT k.counter_id FROM counters k WHERE k.hall_id = $1 AND k.staff_id = $5))) AS in_scope
      FROM locked l
    ),
    moved AS (
      UPDATE tickets tk SET ${sql.set}, updated_at = c.at
      FROM c
      WHERE tk.hall_id = $1 AND tk.ticket_id = c.ticket_id AND tk.status = ANY($3::text[])
        ${sql.scoped ? 'AND c.in_scope' : ''} ${sql.where ? `AND ${sql.where}` : ''}
      RETURNING tk.*
    ),
    closed AS (
      UPDATE ticket_segments s SET ended_at = m.updated_at FROM moved m
      WHERE s.hall_id = $1 AND s.ticket_id = m.ticket_id AND s.ended_at IS NULL
      RETURNING s.seq
    ),
    opened AS (
      -- The count over closed makes the insert wait for the close: one open segment per ticket
      -- (unique index ticket_segments_open) holds at every row, not just at the end.
      INSERT INTO ticket_segments (hall_id, ticket_id, seq, state, service_id, counter_id, staff_id, started_at)
      SELECT $1, m.ticket_id,
             coalesce((SELECT max(s.seq) FROM ticket_segments s WHERE s.hall_id = $1 AND s.ticket_id = m.ticket_id), 0) + 1,
             m.status, m.service_id, CASE WHEN m.status = 'waiting' THEN m.target_counter_id ELSE m.counter_id END, $4, m.updated_at
      FROM moved m CROSS JOIN (SELECT count(*) AS n FROM closed) AS after_close
      WHERE m.status NOT IN ('done', 'cancelled') AND after_close.n >= 0
    )
    SELECT c.status AS previous_status, c.counter_id AS previous_counter_id, c.service_id AS previous_service_id,
           c.target_counter_id AS previous_target_counter_id, c.business_day::text AS business_day, c.in_scope,
           (m.ticket_id IS NOT NULL) AS applied, ${RETURNED},
           k.number AS counter_number, k.name_zh AS counter_name_zh, k.name_en AS counter_name_en
    FROM c LEFT JOIN moved m ON true
    LEFT JOIN counters k ON k.hall_id = $1 AND k.counter_id = m.counter_id`;
}

const Diagnosis = z.object({
  previous_status: z.enum(TicketStatus),
  previous_counter_id: z.string().nullable(),
  previous_service_id: z.string(),
  previous_target_counter_id: z.string().nullable(),
  business_day: z.string(),
  in_scope: z.boolean(),
  applied: z.boolean(),
  counter_number: z.number().int().nullable(),
  counter_name_zh: z.string().nullable(),
  counter_name_en: z.string().nullable(),
});

/** Why a transition matched no row, from the locked row the statement returned. */
function refusal(
  input: TransitionInput,
  ticketId: string,
  d: z.infer<typeof Diagnosis>,
  actor: CounterActor,
  today: string,
): PortalError {
  const rule = TICKET_TRANSITIONS[input.action];
  if (!rule.from.includes(d.previous_status)) {
    return new PortalError(PortalErrorCode.InvalidTransition, refusalMessage(ticketId, d.previous_status, input.action));
  }
  const scoped = input.action !== TicketAction.Call && input.action !== TicketAction.CallBack;
  if (scoped && !d.in_scope) {
    return new PortalError(PortalErrorCode.Forbidden, `ticket ${ticketId} is not at a counter signed in under ${actor.staffId}`);
  }
  if ((input.action === TicketAction.Call || input.action === TicketAction.Requeue) && d.business_day !== today) {
    return new PortalError(PortalErrorCode.InvalidTransition, `ticket ${ticketId} is of business day ${d.business_day}, not today (${today})`);
  }
  if (input.action === TicketAction.Call) {
    const counterId = input.counter.counter.counter_id;
    if (d.previous_target_counter_id !== null && d.previous_target_counter_id !== counterId) {
      return new PortalError(PortalErrorCode.Conflict, `ticket ${ticketId} waits for counter ${d.previous_target_counter_id}`);
    }
    return new PortalError(PortalErrorCode.Conflict, `counter ${counterId} does not serve ${d.previous_service_id}`);
  }
  if (input.action === TicketAction.CallBack) {
    return new PortalError(PortalErrorCode.Conflict, `ticket ${ticketId} is held at counter ${d.previous_counter_id ?? '(none)'}, not ${input.counter.counter.counter_id}`);
  }
  return new PortalError(PortalErrorCode.Conflict, `ticket ${ticketId} cannot ${input.action} now`);
}

/** 23505 on tickets_one_active_per_counter: a second active ticket for one counter. */
function isSecondActiveTicket(err: unknown): boolean {
  const e = err as { code?: unknown; constraint?: unknown } | null;
  return e?.code === '23505' && e.constraint === 'tickets_one_active_per_counter';
}

/**
 * Applies one transition to one ticket inside the caller's transaction; throws a coded
 * PortalError when the ticket is unknown in the actor's hall (404), in a state the table does not
 * allow (409 invalid-transition), out of a clerk's reach (403 forbidden) or otherwise not
 * callable here (409). `rowLocked`: this transaction already holds the ticket's row lock, taken
 * by a statement of its own (call-next's SKIP LOCKED pick), so the lock below is not repeated.
 */
export async function applyTransition(
  client: pg.PoolClient,
  actor: CounterActor,
  ticketId: string,
  input: TransitionInput,
  today: string,
  options: { rowLocked?: boolean } = {},
): Promise<TransitionOutcome> {
  const sql = actionSql(input);
  const rule = TICKET_TRANSITIONS[input.action];
  // The row lock first, on its own: the transition's statement then starts (and takes its
  // snapshot) after every transition committed before it, so it sees their segments too. Within
  // one statement, waiting for the lock would refresh the ticket row but not the rest of the
  // snapshot: the open segment a concurrent transition just opened would stay invisible. A lock
  // already held was taken by an earlier statement: the same holds.
  if (!options.rowLocked) {
    await client.query({ name: 'ticket-lock', text: 'SELECT 1 FROM tickets WHERE hall_id = $1 AND ticket_id = $2 FOR UPDATE', values: [actor.hallId, ticketId] });
  }
  let rows: Record<string, unknown>[];
  try {
    // Named per action (its text depends on the action only): prepared once per connection, where
    // planning this statement cost about as much as running it.
    const result = await client.query<Record<string, unknown>>({
      name: `ticket-${input.action}`,
      text: statementOf(sql),
      values: [actor.hallId, ticketId, rule.from, actor.staffId, clerkScope(actor), today, ...(sql.params ?? [])],
    });
    rows = result.rows;
  } catch (err) {
    if (isSecondActiveTicket(err)) throw new PortalError(PortalErrorCode.CounterBusy, 'the counter already has a called or serving ticket', { cause: err });
    throw err;
  }
  const raw = rows[0];
  if (!raw) throw new PortalError(PortalErrorCode.NotFound, `ticket ${ticketId} not found`);
  const d = Diagnosis.parse(raw);
  if (!d.applied) throw refusal(input, ticketId, d, actor, today);
  const ticket = toQueueTicket(raw);
  return {
    action: input.action,
    recallBecameNoShow: input.action === TicketAction.Recall && ticket.status === TicketStatus.NoShow,
    ticket,
    businessDay: d.business_day,
    previousStatus: d.previous_status,
    previousCounterId: d.previous_counter_id,
    previousServiceId: d.previous_service_id,
    counter:
      ticket.counterId !== null && d.counter_number !== null && d.counter_name_zh !== null && d.counter_name_en !== null
        ? { counterId: ticket.counterId, number: d.counter_number, name: { zh: d.counter_name_zh, en: d.counter_name_en } }
        : null,
  };
}
