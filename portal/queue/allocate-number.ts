import type pg from 'pg';
import { z } from 'zod';
import { PortalErrorCode } from '../../common/contract/errors.js';
import type { AllocateNumberRequest, AllocateNumberResponse } from '../../common/contract/sync-api.js';
import { businessDayOf } from '../../common/domain/business-day.js';
import { ONLINE_LAST_SEQUENCE, formatHallNumber } from '../../common/domain/ticket-number.js';
import type { KioskPrincipal } from '../auth/principals.js';
import { withTransaction } from '../db/transaction.js';
import { PortalError } from '../http/portal-error.js';
import { issueRulesOf, refuseOutsideHours, refuseOverQuota } from './issue-limits.js';

const AllocationRow = z.object({ service_id: z.string(), business_day: z.string(), number: z.string() });
const SequenceRow = z.object({ last_sequence: z.number().int() });
const CountRow = z.object({ waiting: z.number().int() });

async function findAllocation(client: pg.PoolClient, hallId: string, ticketId: string) {
  const result = await client.query(
    `SELECT service_id, business_day::text AS business_day, number
     FROM number_allocations WHERE hall_id = $1 AND ticket_id = $2`,
    [hallId, ticketId],
  );
  return result.rows.length === 0 ? null : AllocationRow.parse(result.rows[0]);
}

async function countWaiting(client: pg.PoolClient, hallId: string, serviceId: string, day: string): Promise<number> {
  const result = await client.query(
    `SELECT count(*)::int AS waiting FROM tickets
     WHERE hall_id = $1 AND service_id = $2 AND business_day = $3 AND status = 'waiting'`,
    [hallId, serviceId, day],
  );
  return CountRow.parse(result.rows[0]).waiting;
}

/**
 * The next sequence of the online range (1..7999) whose number nobody holds yet. The counter
 * row's lock (held until commit) serialises allocations (and band leases) per service and day.
 * Bands have their own range and counter, so online numbers run A001, A002, … without gaps; a
 * number already taken by a pushed ticket, an allocation or a band leased before bands had their
 * own range (or after a counter was reset by hand) is skipped, leaving a harmless gap.
 */
async function nextFreeNumber(
  client: pg.PoolClient,
  hallId: string,
  serviceId: string,
  prefix: string,
  day: string,
): Promise<string> {
  for (;;) {
    const counter = await client.query(
      `INSERT INTO number_counters (hall_id, service_id, business_day, last_sequence) VALUES ($1, $2, $3, 1)
       ON CONFLICT (hall_id, service_id, business_day)
       DO UPDATE SET last_sequence = number_counters.last_sequence + 1
       WHERE number_counters.last_sequence < $4
       RETURNING last_sequence`,
      [hallId, serviceId, day, ONLINE_LAST_SEQUENCE],
    );
    // No row: the counter stands at the end of the online range (the row is locked all the same).
    if (counter.rows.length === 0) {
      // The kiosk falls back to its leased band or its kiosk-marked series.
      throw new PortalError(PortalErrorCode.Conflict, `online numbers of service ${serviceId} exhausted for ${day}`);
    }
    const sequence = SequenceRow.parse(counter.rows[0]).last_sequence;
    const number = formatHallNumber(prefix, sequence);
    // Bands leased since migration 0003 lie beyond this range; checked all the same, like the rest,
    // for the bands leased before and for a counter someone reset by hand.
    const taken = await client.query(
      `SELECT 1 FROM tickets WHERE hall_id = $1 AND business_day = $2 AND number = $3
       UNION ALL
       SELECT 1 FROM number_allocations WHERE hall_id = $1 AND business_day = $2 AND number = $3
       UNION ALL
       SELECT 1 FROM number_bands WHERE hall_id = $1 AND business_day = $2 AND service_id = $4
         AND $5 BETWEEN first_sequence AND last_sequence
       LIMIT 1`,
      [hallId, day, number, serviceId, sequence],
    );
    if (taken.rows.length === 0) return number;
  }
}

const WaitingRow = z.object({ number: z.string() });

/**
 * One waiting ticket per citizen per service (docs/architecture.md §4), checked against the tickets the
 * portal holds. A second ticket pushed by a kiosk that issued it offline is still accepted: the
 * printed number is the truth (see apply-ticket-batch.ts).
 */
async function refuseSecondWaitingTicket(
  client: pg.PoolClient,
  hallId: string,
  request: AllocateNumberRequest,
  day: string,
): Promise<void> {
  const result = await client.query(
    `SELECT number FROM tickets
     WHERE hall_id = $1 AND citizen_hmac = $2 AND service_id = $3 AND business_day = $4 AND status = 'waiting'
       AND ticket_id <> $5
     LIMIT 1`,
    [hallId, request.citizenHmac, request.serviceId, day, request.ticketId],
  );
  if (result.rows.length === 0) return;
  const { number } = WaitingRow.parse(result.rows[0]);
  throw new PortalError(
    PortalErrorCode.AlreadyWaiting,
    `this visitor already holds waiting ticket ${number} for service ${request.serviceId}`,
  );
}

/**
 * Allocates the service's next number for today, idempotent by ticket id: asking again for the
 * same ticket returns the same number, even on a later day. The allocation is not a ticket; the
 * ticket enters the queue when its `ticket.issued` event arrives with the printed number.
 */
export async function allocateNumber(
  pool: pg.Pool,
  kiosk: KioskPrincipal,
  request: AllocateNumberRequest,
  now: Date,
): Promise<AllocateNumberResponse> {
  return withTransaction(pool, async (client) => {
    const answer = async (number: string, businessDay: string): Promise<AllocateNumberResponse> => ({
      ticketId: request.ticketId,
      number,
      businessDay,
      waitingAhead: await countWaiting(client, kiosk.hallId, request.serviceId, businessDay),
      serverTime: now.toISOString(),
    });
    const sameTicket = (found: z.infer<typeof AllocationRow>): Promise<AllocateNumberResponse> => {
      if (found.service_id !== request.serviceId) {
        throw new PortalError(
          PortalErrorCode.Conflict,
          `ticket ${request.ticketId} already has a number for service ${found.service_id}`,
        );
      }
      return answer(found.number, found.business_day);
    };

    const previous = await findAllocation(client, kiosk.hallId, request.ticketId);
    if (previous) return sameTicket(previous);

    // The service with its hall's day and the manager's limits, in one round trip (the 400 ms budget).
    const service = await issueRulesOf(client, kiosk.hallId, request.serviceId);
    if (!service || !service.enabled) {
      throw new PortalError(PortalErrorCode.UnknownService, `service ${request.serviceId} is not open in this hall`);
    }
    refuseOutsideHours(service, request.serviceId, now);
    const day = businessDayOf(now, service.time_zone, service.business_day_start_hour);
    if (request.citizenHmac !== null) await refuseSecondWaitingTicket(client, kiosk.hallId, request, day);
    const number = await nextFreeNumber(client, kiosk.hallId, request.serviceId, service.prefix, day);
    // Under the day counter's lock, taken by nextFreeNumber: the quota's last place goes once.
    await refuseOverQuota(client, kiosk.hallId, request.serviceId, day, service.daily_quota);
    const inserted = await client.query(
      `INSERT INTO number_allocations (hall_id, ticket_id, service_id, business_day, number, kiosk_id)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (hall_id, ticket_id) DO NOTHING
       RETURNING ticket_id`,
      [kiosk.hallId, request.ticketId, request.serviceId, day, number, kiosk.kioskId],
    );
    if (inserted.rows.length === 1) return answer(number, day);
    // A concurrent request for the same ticket won; its number is the answer (ours is a gap).
    const winner = await findAllocation(client, kiosk.hallId, request.ticketId);
    if (!winner) throw new Error(`allocation of ticket ${request.ticketId} vanished`);
    return sameTicket(winner);
  });
}
