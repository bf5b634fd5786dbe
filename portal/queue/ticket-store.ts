import type pg from 'pg';
import { z } from 'zod';
import { Priority, priorityRank } from '../../common/domain/priority.js';
import { NumberSource, parseTicketNumber } from '../../common/domain/ticket-number.js';
import type { KioskPrincipal } from '../auth/principals.js';
import type { TicketEvent, TicketFacts } from './ticket-rules.js';

/**
 * The two statements of applying pushed tickets, shared by the set-based batch and the one-by-one
 * fallback: read the facts the rules judge (ticket-rules.ts), insert what they accept.
 */

const FactsRow = z.object({
  ord: z.coerce.number().int(),
  service_prefix: z.string().nullable(),
  allocated_to: z.string().nullable(),
  ticket_known: z.boolean(),
  number_holder: z.string().nullable(),
  leased_to_kiosk: z.boolean(),
  appointment_held: z.boolean(),
});

/** The sequence a band number claims, so the band check is a range probe; null for any other source. */
function bandSequence(event: TicketEvent): number | null {
  if (event.payload.numberSource !== NumberSource.Band) return null;
  const parsed = parseTicketNumber(event.payload.number);
  return parsed?.kind === 'hall' ? parsed.sequence : null;
}

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
      band_sequence: bandSequence(e),
      priority: e.payload.priority,
      priority_rank: priorityRank[e.payload.priority],
      citizen_hmac: e.payload.citizenHmac,
      issued_at: e.payload.issuedAt,
      masked_name: e.payload.maskedName ?? null,
      appointment_id: e.payload.appointmentId ?? null,
    })),
  );
}

const TICKET_RECORD =
  'i(ord int, ticket_id uuid, service_id text, business_day date, number text, number_source text, band_sequence int, ' +
  'priority text, priority_rank smallint, citizen_hmac text, issued_at timestamptz, masked_name text, appointment_id uuid)';

/** Reads what the rules need about every event's ticket in one statement. */
export async function readFacts(client: pg.PoolClient, kiosk: KioskPrincipal, events: readonly TicketEvent[]): Promise<TicketFacts[]> {
  const result = await client.query({
    name: 'push-ticket-facts',
    // Scalar subqueries, each a probe of an index: EXISTS may be planned as a hash of every
    // ticket of the hall, fine for a small table, ruinous for a large one with stale statistics.
    // The band and appointment probes run only for the tickets that claim one (CASE).
    text: `SELECT i.ord,
         (SELECT s.prefix FROM services s WHERE s.hall_id = $1 AND s.service_id = i.service_id) AS service_prefix,
         (SELECT a.ticket_id::text FROM number_allocations a
          WHERE a.hall_id = $1 AND a.business_day = i.business_day AND a.number = i.number) AS allocated_to,
         (SELECT true FROM tickets t WHERE t.hall_id = $1 AND t.ticket_id = i.ticket_id) IS NOT NULL AS ticket_known,
         (SELECT t.ticket_id::text FROM tickets t
          WHERE t.hall_id = $1 AND t.business_day = i.business_day AND t.number = i.number) AS number_holder,
         CASE WHEN i.band_sequence IS NULL THEN false ELSE
           (SELECT true FROM number_bands b
            WHERE b.hall_id = $1 AND b.kiosk_id = $2 AND b.service_id = i.service_id AND b.business_day = i.business_day
              AND i.band_sequence BETWEEN b.first_sequence AND b.last_sequence LIMIT 1) IS NOT NULL
         END AS leased_to_kiosk,
         CASE WHEN i.priority <> 'appointment' OR i.citizen_hmac IS NULL THEN false ELSE
           (SELECT true FROM appointments ap
            WHERE ap.hall_id = $1 AND ap.citizen_hmac = i.citizen_hmac AND ap.service_id = i.service_id
              AND ap.business_day = i.business_day AND ap.status IN ('booked', 'checked-in') LIMIT 1) IS NOT NULL
         END AS appointment_held
       FROM json_to_recordset($3::json) AS ${TICKET_RECORD}
       ORDER BY i.ord`,
    values: [kiosk.hallId, kiosk.kioskId, ticketsJson(events)],
  });
  const facts = result.rows.map((raw) => FactsRow.parse(raw));
  if (facts.length !== events.length) throw new Error(`facts for ${facts.length} of ${events.length} tickets`);
  return facts.map((f) => ({
    servicePrefix: f.service_prefix,
    allocatedTo: f.allocated_to,
    ticketKnown: f.ticket_known,
    numberHolder: f.number_holder,
    leasedToKiosk: f.leased_to_kiosk,
    appointmentHeld: f.appointment_held,
  }));
}

/** The check-in part of the insert (insertTickets): mark each named appointment checked in, once. */
const CHECK_IN = `, checked_in AS (
         UPDATE appointments ap SET status = 'checked-in', ticket_id = c.ticket_id, arrived_at = c.received_at
         FROM (
           SELECT DISTINCT ON (i.appointment_id) i.appointment_id, i.citizen_hmac, i.service_id, i.business_day,
                  ins.ticket_id, ins.received_at
           FROM inserted ins JOIN json_to_recordset($3::json) AS ${TICKET_RECORD} ON i.ticket_id = ins.ticket_id
           WHERE i.appointment_id IS NOT NULL AND i.priority = 'appointment'
           ORDER BY i.appointment_id, i.ord
         ) c
         WHERE ap.hall_id = $1 AND ap.appointment_id = c.appointment_id AND ap.status = 'booked'
           AND ap.citizen_hmac = c.citizen_hmac AND ap.service_id = c.service_id AND ap.business_day = c.business_day
       )`;

/**
 * One insert for the batch, in seq order so received_at and receive_seq follow it. No conflict
 * target: a ticket id or a (day, number) taken meanwhile is skipped; the caller compares counts.
 * The same statement opens each new ticket's first segment (waiting, from its receive time:
 * portal/counter/); the ticket enters the line at that time (queue_at, set by the trigger
 * tickets_enter_line). An appointment ticket gets the start of the appointment window the push
 * rules found: its place within its class. A new ticket that names the appointment it checked in
 * (`appointmentId`, priority appointment, the same citizen, service and day) marks it checked in
 * with the ticket and its receive time, once: only a booked appointment is marked, so a second
 * ticket for it (another kiosk, a reprint) goes into the line but leaves the first mark alone;
 * within one batch the first ticket marks it.
 */
export async function insertTickets(client: pg.PoolClient, kiosk: KioskPrincipal, events: readonly TicketEvent[]): Promise<number> {
  // Only a batch that checks an appointment in reads its JSON a second time.
  const checksIn = events.some((e) => e.payload.appointmentId !== undefined && e.payload.priority === Priority.Appointment);
  const result = await client.query({
    name: checksIn ? 'push-insert-tickets-check-in' : 'push-insert-tickets',
    text: `WITH inserted AS (
         INSERT INTO tickets (hall_id, ticket_id, service_id, business_day, number, number_source, priority,
                              priority_rank, citizen_hmac, kiosk_id, status, issued_at_kiosk, appointment_at, masked_name)
         SELECT $1, i.ticket_id, i.service_id, i.business_day, i.number, i.number_source, i.priority,
                i.priority_rank, i.citizen_hmac, $2, 'waiting', i.issued_at,
                CASE WHEN i.priority = 'appointment' AND i.citizen_hmac IS NOT NULL THEN
                  (SELECT min(ap.window_start) FROM appointments ap
                   WHERE ap.hall_id = $1 AND ap.citizen_hmac = i.citizen_hmac AND ap.service_id = i.service_id
                     AND ap.business_day = i.business_day AND ap.status IN ('booked', 'checked-in'))
                END,
                i.masked_name
         FROM json_to_recordset($3::json) AS ${TICKET_RECORD}
         ORDER BY i.ord
         ON CONFLICT DO NOTHING
         RETURNING hall_id, ticket_id, service_id, received_at
       ), first_segment AS (
         INSERT INTO ticket_segments (hall_id, ticket_id, seq, state, service_id, started_at)
         SELECT hall_id, ticket_id, 1, 'waiting', service_id, received_at FROM inserted
       )${checksIn ? CHECK_IN : ''}
       SELECT ticket_id FROM inserted`,
    values: [kiosk.hallId, kiosk.kioskId, ticketsJson(events)],
  });
  return result.rows.length;
}

/** Whether a ticket with this id exists (after an insert that did not go in: a retry or a clash?). */
export async function ticketExists(client: pg.PoolClient, hallId: string, ticketId: string): Promise<boolean> {
  const existing = await client.query('SELECT 1 FROM tickets WHERE hall_id = $1 AND ticket_id = $2', [hallId, ticketId]);
  return existing.rows.length === 1;
}
