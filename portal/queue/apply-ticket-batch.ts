import type pg from 'pg';
import { z } from 'zod';
import { SyncRejectCode, type TicketIssuedPayload } from '../../common/contract/sync-api.js';
import { priorityRank } from '../../common/domain/priority.js';
import type { KioskPrincipal } from '../auth/principals.js';
import { applyTicketIssued, isDataFault, type EventRejection } from './apply-ticket-issued.js';
import { isRealDay } from '../../common/domain/business-day.js';
import { isStorableInstant } from './real-dates.js';

/** A `ticket.issued` event received for the first time, in seq order within its batch. */
export interface TicketEvent {
  eventId: string;
  payload: TicketIssuedPayload;
}

/** What the database holds about one event's ticket, read for the whole batch at once. */
export interface TicketFacts {
  serviceKnown: boolean;
  /** Ticket id the portal allocated this day and number to online, if any. */
  allocatedTo: string | null;
  /** A ticket with this id already exists (the same ticket sent again under a new event id). */
  ticketKnown: boolean;
  /** Ticket id already holding this day and number, if any. */
  numberHolder: string | null;
}

export interface TicketDecision {
  insert: TicketEvent[];
  rejections: Map<string, EventRejection>;
}

/** Thrown when the insert did not go as decided: another push took a number meanwhile. */
class ConcurrentClash extends Error {
  constructor() {
    super('a concurrent push took a ticket id or number of this batch');
    this.name = 'ConcurrentClash';
  }
}

/** Data PostgreSQL would refuse inside the set-based insert (and with it the whole batch). */
function unstorable(ticket: TicketIssuedPayload): EventRejection | null {
  if (!isRealDay(ticket.businessDay)) {
    return { code: SyncRejectCode.InvalidEvent, reason: `ticket refused: businessDay ${ticket.businessDay} is not a real date` };
  }
  if (!isStorableInstant(ticket.issuedAt)) {
    return { code: SyncRejectCode.InvalidEvent, reason: `ticket refused: issuedAt ${ticket.issuedAt} is not a real instant` };
  }
  return null;
}

/**
 * The rules of applyTicketIssued, decided for a whole batch in seq order from facts read at once:
 * unknown service and a number allocated or held by another ticket are refused; the same ticket
 * again is a no-op; anything else is inserted. Later events see the ones decided before them.
 *
 * A citizen's second waiting ticket for a service is NOT refused here: a kiosk issued it offline,
 * it is printed, and the printed number is the truth; only online allocation refuses one.
 */
export function decideTickets(events: readonly TicketEvent[], facts: readonly TicketFacts[]): TicketDecision {
  const insert: TicketEvent[] = [];
  const rejections = new Map<string, EventRejection>();
  const ticketsInBatch = new Set<string>();
  const numbersInBatch = new Set<string>();
  events.forEach((event, i) => {
    const t = event.payload;
    const f = facts[i];
    if (!f) throw new Error(`no facts for event ${event.eventId}`);
    const dayNumber = `${t.businessDay} ${t.number}`;
    if (!f.serviceKnown) {
      rejections.set(event.eventId, { code: SyncRejectCode.UnknownService, reason: `service ${t.serviceId} is not offered by this hall` });
    } else if (f.allocatedTo !== null && f.allocatedTo !== t.ticketId) {
      rejections.set(event.eventId, {
        code: SyncRejectCode.DuplicateNumber,
        reason: `number ${t.number} on ${t.businessDay} was allocated to another ticket`,
      });
    } else if (f.ticketKnown || ticketsInBatch.has(t.ticketId)) {
      // The same ticket again: already in the queue.
    } else if ((f.numberHolder !== null && f.numberHolder !== t.ticketId) || numbersInBatch.has(dayNumber)) {
      rejections.set(event.eventId, {
        code: SyncRejectCode.DuplicateNumber,
        reason: `number ${t.number} on ${t.businessDay} already belongs to another ticket`,
      });
    } else {
      insert.push(event);
      ticketsInBatch.add(t.ticketId);
      numbersInBatch.add(dayNumber);
    }
  });
  return { insert, rejections };
}

const FactsRow = z.object({
  ord: z.coerce.number().int(),
  service_known: z.boolean(),
  allocated_to: z.string().nullable(),
  ticket_known: z.boolean(),
  number_holder: z.string().nullable(),
});

/**
 * Batches go to PostgreSQL as one JSON text parameter (json_to_recordset): V8 serialises it
 * natively, where text[] parameters are escaped element by element in JavaScript.
 */
function ticketsJson(events: readonly TicketEvent[]): string {
  return JSON.stringify(
    events.map((e, i) => ({
      ord: i + 1,
      ticket_id: e.payload.ticketId,
      service_id: e.payload.serviceId,
      business_day: e.payload.businessDay,
      number: e.payload.number,
      number_source: e.payload.numberSource,
      priority: e.payload.priority,
      priority_rank: priorityRank[e.payload.priority],
      citizen_hmac: e.payload.citizenHmac,
      issued_at: e.payload.issuedAt,
    })),
  );
}

const TICKET_RECORD =
  'i(ord int, ticket_id uuid, service_id text, business_day date, number text, number_source text, priority text, ' +
  'priority_rank smallint, citizen_hmac text, issued_at timestamptz)';

async function readFacts(client: pg.PoolClient, hallId: string, events: readonly TicketEvent[]): Promise<TicketFacts[]> {
  const result = await client.query({
    name: 'push-ticket-facts',
    // Scalar subqueries, each a probe of a unique index: EXISTS may be planned as a hash of every
    // ticket of the hall, fine for a small table, ruinous for a large one with stale statistics.
    text: `SELECT i.ord,
         (SELECT true FROM services s WHERE s.hall_id = $1 AND s.service_id = i.service_id) IS NOT NULL AS service_known,
         (SELECT a.ticket_id::text FROM number_allocations a
          WHERE a.hall_id = $1 AND a.business_day = i.business_day AND a.number = i.number) AS allocated_to,
         (SELECT true FROM tickets t WHERE t.hall_id = $1 AND t.ticket_id = i.ticket_id) IS NOT NULL AS ticket_known,
         (SELECT t.ticket_id::text FROM tickets t
          WHERE t.hall_id = $1 AND t.business_day = i.business_day AND t.number = i.number) AS number_holder
       FROM json_to_recordset($2::json) AS ${TICKET_RECORD}
       ORDER BY i.ord`,
    values: [hallId, ticketsJson(events)],
  });
  const facts = result.rows.map((raw) => FactsRow.parse(raw));
  if (facts.length !== events.length) throw new Error(`facts for ${facts.length} of ${events.length} tickets`);
  return facts.map((f) => ({
    serviceKnown: f.service_known,
    allocatedTo: f.allocated_to,
    ticketKnown: f.ticket_known,
    numberHolder: f.number_holder,
  }));
}

/** One insert for the batch, in seq order so received_at and receive_seq follow it. */
async function insertTickets(client: pg.PoolClient, kiosk: KioskPrincipal, events: readonly TicketEvent[]): Promise<number> {
  const result = await client.query({
    name: 'push-insert-tickets',
    text: `INSERT INTO tickets (hall_id, ticket_id, service_id, business_day, number, number_source, priority,
                                priority_rank, citizen_hmac, kiosk_id, status, issued_at_kiosk)
       SELECT $1, i.ticket_id, i.service_id, i.business_day, i.number, i.number_source, i.priority,
              i.priority_rank, i.citizen_hmac, $2, 'waiting', i.issued_at
       FROM json_to_recordset($3::json) AS ${TICKET_RECORD}
       ORDER BY i.ord
       ON CONFLICT DO NOTHING
       RETURNING ticket_id`,
    values: [kiosk.hallId, kiosk.kioskId, ticketsJson(events)],
  });
  return result.rows.length;
}

async function applySetBased(client: pg.PoolClient, kiosk: KioskPrincipal, events: readonly TicketEvent[]): Promise<Map<string, EventRejection>> {
  const decision = decideTickets(events, await readFacts(client, kiosk.hallId, events));
  if (decision.insert.length > 0) {
    const inserted = await insertTickets(client, kiosk, decision.insert);
    // The facts were read without locks; a concurrent push may have taken an id or number since.
    if (inserted !== decision.insert.length) throw new ConcurrentClash();
  }
  return decision.rejections;
}

async function applyOneByOne(client: pg.PoolClient, kiosk: KioskPrincipal, events: readonly TicketEvent[]): Promise<Map<string, EventRejection>> {
  const rejections = new Map<string, EventRejection>();
  for (const event of events) {
    const rejection = await applyTicketIssued(client, kiosk, event.payload);
    if (rejection) rejections.set(event.eventId, rejection);
  }
  return rejections;
}

/**
 * Puts a batch of printed tickets into the calling queue with a few set-based statements. When
 * the batch cannot go in as decided (another push took a number meanwhile, or PostgreSQL refuses
 * data nobody foresaw), it is rolled back to its savepoint and applied one event at a time, which
 * gives each event its exact outcome. Returns the rejections by event id.
 */
export async function applyTicketBatch(
  client: pg.PoolClient,
  kiosk: KioskPrincipal,
  events: readonly TicketEvent[],
): Promise<Map<string, EventRejection>> {
  const rejections = new Map<string, EventRejection>();
  const storable: TicketEvent[] = [];
  for (const event of events) {
    const problem = unstorable(event.payload);
    if (problem) rejections.set(event.eventId, problem);
    else storable.push(event);
  }
  if (storable.length === 0) return rejections;

  await client.query('SAVEPOINT apply_ticket_batch');
  let applied: Map<string, EventRejection>;
  try {
    applied = await applySetBased(client, kiosk, storable);
    await client.query('RELEASE SAVEPOINT apply_ticket_batch');
  } catch (err) {
    if (!(err instanceof ConcurrentClash) && !isDataFault(err)) throw err;
    await client.query('ROLLBACK TO SAVEPOINT apply_ticket_batch');
    applied = await applyOneByOne(client, kiosk, storable);
  }
  for (const [eventId, rejection] of applied) rejections.set(eventId, rejection);
  return rejections;
}
