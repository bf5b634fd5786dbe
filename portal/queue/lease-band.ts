import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { z } from 'zod';
import { PortalErrorCode } from '../../common/contract/errors.js';
import type { LeaseBandRequest, LeaseBandResponse, NumberBand } from '../../common/contract/sync-api.js';
import { MAX_DAILY_SEQUENCE } from '../../common/domain/ticket-number.js';
import type { KioskPrincipal } from '../auth/principals.js';
import { withTransaction } from '../db/transaction.js';
import { PortalError } from '../http/portal-error.js';
import { hallDaysOf, loadHall } from './hall-day.js';

/** The columns every band query selects, in this order. */
export const BAND_COLUMNS = 'band_id, service_id, business_day::text AS business_day, first_sequence, last_sequence';

const BandRow = z.object({
  band_id: z.string(),
  service_id: z.string(),
  business_day: z.string(),
  first_sequence: z.number().int(),
  last_sequence: z.number().int(),
});

export function toNumberBand(raw: unknown): NumberBand {
  const row = BandRow.parse(raw);
  return {
    bandId: row.band_id,
    serviceId: row.service_id,
    businessDay: row.business_day,
    firstSequence: row.first_sequence,
    lastSequence: row.last_sequence,
  };
}

const ServiceRow = z.object({ prefix: z.string(), enabled: z.boolean() });
const SequenceRow = z.object({ last_sequence: z.number().int(), highest_held: z.number().int() });

async function findLease(client: pg.PoolClient, kiosk: KioskPrincipal, leaseId: string): Promise<NumberBand | null> {
  const result = await client.query(
    `SELECT ${BAND_COLUMNS} FROM number_bands WHERE hall_id = $1 AND kiosk_id = $2 AND lease_id = $3`,
    [kiosk.hallId, kiosk.kioskId, leaseId],
  );
  return result.rows.length === 0 ? null : toNumberBand(result.rows[0]);
}

/** A retried lease must ask for what the first asked; the size may differ (a band can be short). */
function sameLease(band: NumberBand, request: LeaseBandRequest): NumberBand {
  if (band.serviceId !== request.serviceId || band.businessDay !== request.businessDay) {
    throw new PortalError(
      PortalErrorCode.Conflict,
      `lease ${request.leaseId} was already used for service ${band.serviceId} on ${band.businessDay}`,
    );
  }
  return band;
}

/**
 * Locks the service's counter row for the day (the one online allocation advances) and returns
 * its position, together with the highest hall number a ticket of that service and day already
 * holds: a number pushed from elsewhere is never leased again.
 */
async function lockCounter(
  client: pg.PoolClient,
  kiosk: KioskPrincipal,
  request: LeaseBandRequest,
  prefix: string,
): Promise<number> {
  const result = await client.query(
    `WITH counter AS (
       INSERT INTO number_counters (hall_id, service_id, business_day, last_sequence) VALUES ($1, $2, $3, 0)
       ON CONFLICT (hall_id, service_id, business_day)
       DO UPDATE SET last_sequence = number_counters.last_sequence
       RETURNING last_sequence
     )
     SELECT counter.last_sequence,
            COALESCE((SELECT max(substr(t.number, 2)::int) FROM tickets t
                      WHERE t.hall_id = $1 AND t.service_id = $2 AND t.business_day = $3
                        AND t.number ~ ('^' || $4 || '[0-9]{3}$')), 0) AS highest_held
     FROM counter`,
    [kiosk.hallId, request.serviceId, request.businessDay, prefix],
  );
  const row = SequenceRow.parse(result.rows[0]);
  return Math.max(row.last_sequence, row.highest_held);
}

/**
 * Leases `size` consecutive numbers of one service and business day (today or tomorrow in the
 * hall's zone) to the calling kiosk, for issuing while the portal does not answer in time.
 * Idempotent by (kiosk, leaseId). The band comes off the same counter online allocation uses, so
 * the portal never hands those numbers out itself. Near the daily cap of 999 the band is shorter;
 * with nothing left, 409 conflict (the kiosk falls back to its kiosk-marked series).
 */
export async function leaseBand(
  pool: pg.Pool,
  kiosk: KioskPrincipal,
  request: LeaseBandRequest,
  now: Date,
): Promise<LeaseBandResponse> {
  const band = await withTransaction(pool, async (client) => {
    const previous = await findLease(client, kiosk, request.leaseId);
    if (previous) return sameLease(previous, request);

    const serviceResult = await client.query('SELECT prefix, enabled FROM services WHERE hall_id = $1 AND service_id = $2', [
      kiosk.hallId,
      request.serviceId,
    ]);
    const service = serviceResult.rows.length === 0 ? null : ServiceRow.parse(serviceResult.rows[0]);
    if (!service || !service.enabled) {
      throw new PortalError(PortalErrorCode.UnknownService, `service ${request.serviceId} is not open in this hall`);
    }
    const days = hallDaysOf(await loadHall(client, kiosk.hallId), now);
    if (request.businessDay !== days.today && request.businessDay !== days.tomorrow) {
      throw new PortalError(
        PortalErrorCode.BadRequest,
        `bands are leased for today (${days.today}) or tomorrow (${days.tomorrow}) only, not ${request.businessDay}`,
      );
    }

    const position = await lockCounter(client, kiosk, request, service.prefix);
    // A retry of this lease may have committed while this one waited for the counter's lock.
    const raced = await findLease(client, kiosk, request.leaseId);
    if (raced) return sameLease(raced, request);

    const first = position + 1;
    if (first > MAX_DAILY_SEQUENCE) {
      throw new PortalError(PortalErrorCode.Conflict, `numbers of service ${request.serviceId} exhausted for ${request.businessDay}`);
    }
    const last = Math.min(position + request.size, MAX_DAILY_SEQUENCE);
    await client.query(
      'UPDATE number_counters SET last_sequence = $4 WHERE hall_id = $1 AND service_id = $2 AND business_day = $3',
      [kiosk.hallId, request.serviceId, request.businessDay, last],
    );
    const inserted = await client.query(
      `INSERT INTO number_bands (hall_id, band_id, kiosk_id, service_id, business_day, first_sequence, last_sequence, lease_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (hall_id, kiosk_id, lease_id) DO NOTHING
       RETURNING ${BAND_COLUMNS}`,
      [kiosk.hallId, randomUUID(), kiosk.kioskId, request.serviceId, request.businessDay, first, last, request.leaseId],
    );
    if (inserted.rows.length === 1) return toNumberBand(inserted.rows[0]);
    // The same lease id for another service won the race: refuse, and roll our counter back.
    const winner = await findLease(client, kiosk, request.leaseId);
    if (!winner) throw new Error(`lease ${request.leaseId} vanished`);
    return sameLease(winner, request);
  });
  return { band, serverTime: now.toISOString() };
}
