import type pg from 'pg';
import { z } from 'zod';
import { PortalErrorCode } from '../../common/contract/errors.js';
import type { PullResponse } from '../../common/contract/sync-api.js';
import type { KioskPrincipal } from '../auth/principals.js';
import { certificateKeysOf } from '../cases/signing-keys.js';
import { kioskSettingsOf } from '../config/kiosk-admin.js';
import { withTransaction } from '../db/transaction.js';
import { PortalError } from '../http/portal-error.js';
import { APPOINTMENT_COLUMNS, toAppointment } from './appointments.js';
import { CATALOG_HALL_COLUMNS, CatalogHallRow, catalogOf, loadServices } from './catalog.js';
import { hallDaysOf } from './hall-day.js';
import { BAND_COLUMNS, toNumberBand } from './lease-band.js';
import { decodePullCursor, encodePullCursor, hallTagOf, type PullCursor } from './pull-cursor.js';

const PullHallRow = CatalogHallRow.extend({
  citizen_hmac_key: z.string(),
  catalog_version: z.coerce.number().int(),
  appointment_seq: z.coerce.number().int(),
});

/**
 * What the kiosk already has, as far as this hall can tell: nothing for a first pull or a cursor
 * of another hall, and nothing beyond what this database has seen (a restored database counts
 * lower than the cursor, so the cursor's position means nothing here any more).
 */
function knownSince(cursor: PullCursor | null, hallId: string, appointmentSeq: number): PullCursor | null {
  if (!cursor || cursor.hallTag !== hallTagOf(hallId)) return null;
  if (cursor.appointmentSeq > appointmentSeq) return null;
  return cursor;
}

/**
 * One pull (docs/architecture.md §5), read in one snapshot so the cursor handed out matches exactly
 * what is sent: the catalog when its version moved, the kiosk's identity, its settings and the
 * hall's citizen key, every band leased to this kiosk for today and tomorrow, and the appointments of today and
 * tomorrow changed since the cursor (all of a day that entered the window since).
 */
export async function pull(pool: pg.Pool, kiosk: KioskPrincipal, cursorText: string | undefined, now: Date): Promise<PullResponse> {
  const sent = cursorText === undefined || cursorText === '' ? null : decodePullCursor(cursorText);
  return withTransaction(
    pool,
    async (client) => {
      // Named (prepared once per connection): every kiosk pulls every few seconds, and planning
      // these reads cost PostgreSQL more than running them (bench/portal-load.bench.ts, BENCH_PROFILE=1).
      const hallResult = await client.query({
        name: 'pull-hall',
        text: `SELECT ${CATALOG_HALL_COLUMNS}, citizen_hmac_key, catalog_version, appointment_seq
         FROM halls WHERE hall_id = $1`,
        values: [kiosk.hallId],
      });
      if (hallResult.rows.length === 0) throw new PortalError(PortalErrorCode.NotFound, `hall ${kiosk.hallId} not found`);
      const hall = PullHallRow.parse(hallResult.rows[0]);
      const known = knownSince(sent, hall.hall_id, hall.appointment_seq);
      const days = hallDaysOf(hall, now);

      const catalog =
        known?.catalogVersion === hall.catalog_version ? null : catalogOf(hall, await loadServices(client, hall.hall_id));
      const bands = await client.query({
        name: 'pull-bands',
        text: `SELECT ${BAND_COLUMNS} FROM number_bands
         WHERE hall_id = $1 AND kiosk_id = $2 AND business_day IN ($3, $4)
         ORDER BY business_day, service_id, first_sequence`,
        values: [hall.hall_id, kiosk.kioskId, days.today, days.tomorrow],
      });
      // A hold is the citizen's, not yet the hall's: kiosks learn of a booking once it is confirmed.
      const appointments = await client.query({
        name: 'pull-appointments',
        text: `SELECT ${APPOINTMENT_COLUMNS} FROM appointments
         WHERE hall_id = $1 AND business_day IN ($2, $3) AND status <> 'held'
           AND ($4::bigint IS NULL OR change_seq > $4 OR business_day > $5::date)
         ORDER BY change_seq`,
        values: [hall.hall_id, days.today, days.tomorrow, known?.appointmentSeq ?? null, known?.coveredUntil ?? null],
      });

      const next: PullCursor = {
        hallTag: hallTagOf(hall.hall_id),
        catalogVersion: hall.catalog_version,
        appointmentSeq: hall.appointment_seq,
        coveredUntil: days.tomorrow,
      };
      return {
        cursor: encodePullCursor(next),
        catalog,
        kiosk: { kioskId: kiosk.kioskId, kioskDigit: kiosk.kioskDigit },
        citizenKey: hall.citizen_hmac_key,
        bands: bands.rows.map(toNumberBand),
        appointments: appointments.rows.map(toAppointment),
        // Every key the hall ever signed e-certificates with: the kiosk verifies slips offline.
        certificateKeys: await certificateKeysOf(client, hall.hall_id),
        serverTime: now.toISOString(),
        // What the manager set for this kiosk (issue 10): every time, read in the same snapshot.
        settings: await kioskSettingsOf(client, hall.hall_id, kiosk.kioskId),
      };
    },
    { isolation: 'repeatable-read', readOnly: true },
  );
}
