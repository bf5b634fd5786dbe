import type pg from 'pg';
import { z } from 'zod';
import { CounterState, type CounterView, type QueueTicket } from '../../common/contract/counter-api.js';
import { toQueueTicket, ticketColumnsOf } from './ticket-row.js';

/** A counter as the counter domain reads it: the row, its configured services, its active ticket. */
const CounterRowSchema = z.object({
  counter_id: z.string(),
  number: z.number().int(),
  name_zh: z.string(),
  name_en: z.string(),
  enabled: z.boolean(),
  staff_id: z.string().nullable(),
  signed_in_via: z.enum(['session', 'api-key']).nullable(),
  paused: z.boolean(),
  active_service_ids: z.array(z.string()),
  service_ids: z.array(z.string()),
});
export type CounterRow = z.infer<typeof CounterRowSchema>;

export interface CounterWithTicket {
  counter: CounterRow;
  /** Its called or serving ticket, if any. */
  current: QueueTicket | null;
}

/** Derived, never stored: signed-out (no staff), paused, busy (an active ticket), idle. */
export function counterStateOf(counter: Pick<CounterRow, 'staff_id' | 'paused'>, busy: boolean): CounterState {
  if (counter.staff_id === null) return CounterState.SignedOut;
  if (counter.paused) return CounterState.Paused;
  return busy ? CounterState.Busy : CounterState.Idle;
}

/**
 * The counter's columns, its configured services (sorted) and its active ticket's columns
 * (prefixed `cur_`), over alias `k`. The active ticket is found by the unique index
 * tickets_one_active_per_counter.
 */
const COUNTER_SELECT = `k.counter_id, k.number, k.name_zh, k.name_en, k.enabled, k.staff_id, k.signed_in_via, k.paused,
       k.active_service_ids,
       ARRAY(SELECT cs.service_id FROM counter_services cs
             WHERE cs.hall_id = k.hall_id AND cs.counter_id = k.counter_id ORDER BY cs.service_id) AS service_ids,
       cur.ticket_id AS cur_ticket_id, ${ticketColumnsOf('cur')
         .split(', ')
         .filter((c) => c !== 'cur.ticket_id')
         .map((c) => `${c} AS cur_${c.slice(4)}`)
         .join(', ')}`;

const COUNTER_FROM = `counters k
  LEFT JOIN tickets cur ON cur.hall_id = k.hall_id AND cur.counter_id = k.counter_id AND cur.status IN ('called', 'serving')`;

function toCounterWithTicket(raw: Record<string, unknown>): CounterWithTicket {
  const counter = CounterRowSchema.parse(raw);
  if (raw.cur_ticket_id === null || raw.cur_ticket_id === undefined) return { counter, current: null };
  const ticket: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) if (key.startsWith('cur_')) ticket[key.slice(4)] = value;
  return { counter, current: toQueueTicket(ticket) };
}

/** A counter read under its lock, with its hall's row as the locking statement read it. */
export interface LockedCounter extends CounterWithTicket {
  /** The hall's time zone, day start and no-show rule (queue-read.ts `hallNowOf`): call-next needs no read of its own. */
  hallRow: Record<string, unknown>;
}

/**
 * Locks one counter row (FOR NO KEY UPDATE: a ticket's foreign key check on it still goes
 * through) and reads it with its services and active ticket. Calls, sign-in and sign-out of a
 * counter take this lock first, so they follow one another; the active ticket read after the
 * lock is the committed one. Null when the hall has no such counter.
 */
export async function lockCounter(client: pg.PoolClient, hallId: string, counterId: string): Promise<LockedCounter | null> {
  const locked = await client.query<Record<string, unknown>>({
    name: 'counter-lock',
    text: `SELECT h.time_zone, h.business_day_start_hour, h.no_show_after_calls
           FROM counters k JOIN halls h ON h.hall_id = k.hall_id
           WHERE k.hall_id = $1 AND k.counter_id = $2 FOR NO KEY UPDATE OF k`,
    values: [hallId, counterId],
  });
  const hallRow = locked.rows[0];
  if (!hallRow) return null;
  const counter = await readCounter(client, hallId, counterId);
  return counter ? { ...counter, hallRow } : null;
}

export async function readCounter(db: pg.Pool | pg.PoolClient, hallId: string, counterId: string): Promise<CounterWithTicket | null> {
  // Named: prepared once per connection, not planned again at every call (it is on every call's path).
  const result = await db.query<Record<string, unknown>>({
    name: 'counter-read',
    text: `SELECT ${COUNTER_SELECT} FROM ${COUNTER_FROM} WHERE k.hall_id = $1 AND k.counter_id = $2`,
    values: [hallId, counterId],
  });
  const row = result.rows[0];
  return row ? toCounterWithTicket(row) : null;
}

/** The hall's enabled counters by their number, each with its services and active ticket. */
export async function readCounters(db: pg.Pool | pg.PoolClient, hallId: string): Promise<CounterWithTicket[]> {
  const result = await db.query<Record<string, unknown>>(
    `SELECT ${COUNTER_SELECT} FROM ${COUNTER_FROM} WHERE k.hall_id = $1 AND k.enabled ORDER BY k.number, k.counter_id`,
    [hallId],
  );
  return result.rows.map(toCounterWithTicket);
}

export function toCounterView(c: CounterWithTicket, staffName: string | null = null): CounterView {
  const { counter } = c;
  return {
    counterId: counter.counter_id,
    number: counter.number,
    name: { zh: counter.name_zh, en: counter.name_en },
    state: counterStateOf(counter, c.current !== null),
    staffId: counter.staff_id,
    staffName,
    serviceIds: counter.service_ids,
    activeServiceIds: counter.active_service_ids,
    currentTicket: c.current,
  };
}

/**
 * The services a counter calls from: those chosen at sign-in, else those it is configured for;
 * null when neither narrows it (every service of the hall).
 */
export function callableServices(counter: Pick<CounterRow, 'active_service_ids' | 'service_ids'>): string[] | null {
  if (counter.active_service_ids.length > 0) return counter.active_service_ids;
  if (counter.service_ids.length > 0) return counter.service_ids;
  return null;
}

/** Whether the counter may serve a service at all (its configuration; none configured: all). */
export function servesService(counter: Pick<CounterRow, 'service_ids'>, serviceId: string): boolean {
  return counter.service_ids.length === 0 || counter.service_ids.includes(serviceId);
}
