import type pg from 'pg';
import { z } from 'zod';
import { addDays, businessDayOf } from '../../common/domain/business-day.js';
import { CLEAR_FINISHED_CASE_CITIZENS } from '../cases/case-retention.js';
import { withTransaction } from '../db/transaction.js';
import type { PortalRetentionPolicy } from './retention-policy.js';

/** What one purge did, summed over the halls. */
export interface PurgeReport {
  halls: number;
  /** Tickets whose citizen HMAC was cleared. */
  ticketsCleared: number;
  appointmentsCleared: number;
  /** Finished cases whose citizen HMAC was cleared (portal/cases/case-retention.ts). */
  casesCleared: number;
  /** Sync events whose raw payload was dropped (the row stays: it is the dedupe record). */
  eventPayloadsPurged: number;
  /** Statements run; each one short transaction. */
  batches: number;
  /** False when `signal` stopped it between two batches (the next run goes on from there). */
  complete: boolean;
}

export interface PurgeOptions {
  policy: Pick<PortalRetentionPolicy, 'personalDataDays' | 'eventPayloadDays' | 'batchSize'>;
  /** The portal's clock: business days are the hall's at this instant, payload age counts from it. */
  now: Date;
  /** Checked between batches: the portal's shutdown stops a purge without waiting for the rest. */
  signal?: AbortSignal;
}

/** The hall's own retention periods (its manager's, issue 10) where set; the policy's elsewhere. */
const HallRow = z.object({
  hall_id: z.string(),
  time_zone: z.string(),
  business_day_start_hour: z.number().int(),
  personal_data_days: z.number().int().nullable(),
  event_payload_days: z.number().int().nullable(),
});

/**
 * One batch each: at most `$3` rows of one hall, picked through the partial index of what is left
 * to purge, locked with SKIP LOCKED (a row a push or a call holds right now waits for the next
 * run, the purge never waits for it), then updated. Set-based, whatever the batch size.
 */
const CLEAR_TICKETS = `
  WITH batch AS (
    SELECT ticket_id FROM tickets
    WHERE hall_id = $1 AND business_day < $2::date AND citizen_hmac IS NOT NULL
    LIMIT $3 FOR UPDATE SKIP LOCKED
  )
  UPDATE tickets t SET citizen_hmac = NULL FROM batch
  WHERE t.hall_id = $1 AND t.ticket_id = batch.ticket_id`;

const CLEAR_APPOINTMENTS = `
  WITH batch AS (
    SELECT appointment_id FROM appointments
    WHERE hall_id = $1 AND business_day < $2::date AND citizen_hmac IS NOT NULL
    LIMIT $3 FOR UPDATE SKIP LOCKED
  )
  UPDATE appointments a SET citizen_hmac = NULL FROM batch
  WHERE a.hall_id = $1 AND a.appointment_id = batch.appointment_id`;

const PURGE_EVENT_PAYLOADS = `
  WITH batch AS (
    SELECT event_id FROM sync_events
    WHERE hall_id = $1 AND received_at < $2::timestamptz AND payload IS NOT NULL
    LIMIT $3 FOR UPDATE SKIP LOCKED
  )
  UPDATE sync_events s SET payload = NULL FROM batch
  WHERE s.hall_id = $1 AND s.event_id = batch.event_id`;

/** A batch that waits on a lock this long is given up (and retried at the next run), never queued behind. */
const LOCK_TIMEOUT = '2s';
const STATEMENT_TIMEOUT = '30s';

async function batch(pool: pg.Pool, sql: string, values: unknown[]): Promise<number> {
  return withTransaction(pool, async (client) => {
    await client.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
    await client.query(`SET LOCAL statement_timeout = '${STATEMENT_TIMEOUT}'`);
    return (await client.query(sql, values)).rowCount ?? 0;
  });
}

/**
 * Clears personal data past its retention period, hall by hall, in bounded batches (issue 7 §6).
 * Callable from tests with any `now`; the portal process runs it on a schedule
 * (retention-schedule.ts). Idempotent: a second run right after finds nothing.
 */
export async function purgePersonalData(pool: pg.Pool, options: PurgeOptions): Promise<PurgeReport> {
  const { policy, now, signal } = options;
  const report: PurgeReport = { halls: 0, ticketsCleared: 0, appointmentsCleared: 0, casesCleared: 0, eventPayloadsPurged: 0, batches: 0, complete: true };
  const daysAgo = (days: number): string => new Date(now.getTime() - days * 86_400_000).toISOString();
  const halls = (
    await pool.query('SELECT hall_id, time_zone, business_day_start_hour, personal_data_days, event_payload_days FROM halls ORDER BY hall_id')
  ).rows.map((r) => HallRow.parse(r));

  /** Runs one statement in batches until a batch comes back short; false when stopped. */
  const drain = async (sql: string, values: unknown[], count: (n: number) => void): Promise<boolean> => {
    for (;;) {
      if (signal?.aborted) return false;
      const n = await batch(pool, sql, [...values, policy.batchSize]);
      report.batches++;
      count(n);
      if (n < policy.batchSize) return true;
    }
  };

  for (const hall of halls) {
    const personalDataDays = hall.personal_data_days ?? policy.personalDataDays;
    const payloadsBefore = daysAgo(hall.event_payload_days ?? policy.eventPayloadDays);
    const casesFinishedBefore = daysAgo(personalDataDays);
    // Days in the hall's own calendar: a business day older than the limit is over everywhere.
    const personalBefore = addDays(businessDayOf(now, hall.time_zone, hall.business_day_start_hour), -personalDataDays);
    const done =
      (await drain(CLEAR_TICKETS, [hall.hall_id, personalBefore], (n) => (report.ticketsCleared += n))) &&
      (await drain(CLEAR_APPOINTMENTS, [hall.hall_id, personalBefore], (n) => (report.appointmentsCleared += n))) &&
      (await drain(CLEAR_FINISHED_CASE_CITIZENS, [hall.hall_id, casesFinishedBefore], (n) => (report.casesCleared += n))) &&
      (await drain(PURGE_EVENT_PAYLOADS, [hall.hall_id, payloadsBefore], (n) => (report.eventPayloadsPurged += n)));
    if (!done) {
      report.complete = false;
      break;
    }
    report.halls++;
  }
  return report;
}
