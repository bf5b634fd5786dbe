import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { z } from 'zod';
import { PortalErrorCode } from '../../common/contract/errors.js';
import type { LeaseBandRequest, LeaseBandResponse, NumberBand } from '../../common/contract/sync-api.js';
import { BAND_FIRST_SEQUENCE, BAND_LAST_SEQUENCE, MAX_BANDS_PER_KIOSK_SERVICE_DAY } from '../../common/domain/ticket-number.js';
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
const BandCounterRow = z.object({ last_band_sequence: z.number().int(), highest_held: z.number().int().nullable(), kiosk_bands: z.number().int() });

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

/** Where the band counter stands, and how many bands the calling kiosk holds for the service and day. */
interface BandCounter {
  position: number;
  kioskBands: number;
}

/**
 * Locks the service's counter row for the day (the row online allocation advances too: one lock
 * for everything that numbers a service's day) and returns the band counter's position, past
 * the highest band-range number a ticket of that service and day already holds (a number pushed
 * from elsewhere is never leased again), and the bands the calling kiosk already holds.
 */
async function lockBandCounter(
  client: pg.PoolClient,
  kiosk: KioskPrincipal,
  request: LeaseBandRequest,
  prefix: string,
): Promise<BandCounter> {
  const result = await client.query(
    `WITH counter AS (
       INSERT INTO number_counters (hall_id, service_id, business_day, last_sequence) VALUES ($1, $2, $3, 0)
       ON CONFLICT (hall_id, service_id, business_day)
       DO UPDATE SET last_sequence = number_counters.last_sequence
       RETURNING last_band_sequence
     )
     SELECT counter.last_band_sequence,
            (SELECT max(CASE WHEN t.number ~ ('^' || $4 || '[89][0-9]{3}$') THEN substr(t.number, 2)::int END) FROM tickets t
             WHERE t.hall_id = $1 AND t.service_id = $2 AND t.business_day = $3) AS highest_held,
            (SELECT count(*)::int FROM number_bands b
             WHERE b.hall_id = $1 AND b.kiosk_id = $5 AND b.service_id = $2 AND b.business_day = $3) AS kiosk_bands
     FROM counter`,
    [kiosk.hallId, request.serviceId, request.businessDay, prefix, kiosk.kioskId],
  );
  const row = BandCounterRow.parse(result.rows[0]);
  const held = row.highest_held !== null && row.highest_held >= BAND_FIRST_SEQUENCE ? row.highest_held : 0;
  return { position: Math.max(row.last_band_sequence, held), kioskBands: row.kiosk_bands };
}

/**
 * Leases `size` consecutive numbers of one service and business day (today or tomorrow in the
 * hall's zone) to the calling kiosk, for issuing while the portal does not answer in time.
 * Idempotent by (kiosk, leaseId). Bands come from 8001..9999 with their own counter, a range
 * online allocation (1..7999) never reaches, so the portal never hands those numbers out itself
 * and online numbers stay gapless. A kiosk holds at most MAX_BANDS_PER_KIOSK_SERVICE_DAY bands per
 * service and day (past it 409 `band-cap`); near 9999 the band is shorter, and with nothing left
 * 409 `conflict`. Either way the kiosk falls back to its kiosk-marked series.
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

    const counter = await lockBandCounter(client, kiosk, request, service.prefix);
    // A retry of this lease may have committed while this one waited for the counter's lock.
    const raced = await findLease(client, kiosk, request.leaseId);
    if (raced) return sameLease(raced, request);

    if (counter.kioskBands >= MAX_BANDS_PER_KIOSK_SERVICE_DAY) {
      throw new PortalError(
        PortalErrorCode.BandCap,
        `${kiosk.kioskId} already holds ${counter.kioskBands} bands of service ${request.serviceId} for ${request.businessDay} ` +
          `(at most ${MAX_BANDS_PER_KIOSK_SERVICE_DAY})`,
      );
    }
    const first = counter.position + 1;
    if (first > BAND_LAST_SEQUENCE) {
      throw new PortalError(PortalErrorCode.Conflict, `band numbers of service ${request.serviceId} exhausted for ${request.businessDay}`);
    }
    const last = Math.min(counter.position + request.size, BAND_LAST_SEQUENCE);
    await client.query(
      'UPDATE number_counters SET last_band_sequence = $4 WHERE hall_id = $1 AND service_id = $2 AND business_day = $3',
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
