import type pg from 'pg';
import { z } from 'zod';
import { DeviceState } from '../../common/contract/device-status.js';
import type { StoredKioskHealth } from '../../common/contract/kiosk-health-api.js';
import { PrinterState } from '../../common/contract/kiosk-status.js';

/** The SQL of kiosk health (migration 0011): one row per kiosk, its latest report. */

// int8 columns come back as text from pg; every value here fits a double exactly (at most 2^50).
const HEALTH_COLUMNS = `
  h.received_at, h.reported_at, h.observed_clock_offset_ms::float8 AS observed_clock_offset_ms, h.app_version,
  h.pull_interval_ms, h.printer_state, h.printer_errors, h.reader_state, h.reader_errors, h.scanner_state,
  h.scanner_errors, h.backlog, h.backlog_growth_reports, h.quarantined, h.clock_offset_ms::float8 AS clock_offset_ms,
  h.held_clock_offset_ms::float8 AS held_clock_offset_ms, h.data_free_bytes::float8 AS data_free_bytes`;

const HealthRow = z.object({
  received_at: z.date(),
  reported_at: z.date(),
  observed_clock_offset_ms: z.number(),
  app_version: z.string(),
  pull_interval_ms: z.number(),
  printer_state: z.enum(PrinterState),
  printer_errors: z.number(),
  reader_state: z.enum(DeviceState),
  reader_errors: z.number(),
  scanner_state: z.enum(DeviceState),
  scanner_errors: z.number(),
  backlog: z.number(),
  backlog_growth_reports: z.number(),
  quarantined: z.number(),
  clock_offset_ms: z.number().nullable(),
  held_clock_offset_ms: z.number().nullable(),
  data_free_bytes: z.number().nullable(),
});
type HealthRow = z.infer<typeof HealthRow>;

function toStored(row: HealthRow): StoredKioskHealth {
  return {
    receivedAt: row.received_at.toISOString(),
    reportedAt: row.reported_at.toISOString(),
    observedClockOffsetMs: row.observed_clock_offset_ms,
    appVersion: row.app_version,
    pullIntervalMs: row.pull_interval_ms,
    printer: { state: row.printer_state, errors: row.printer_errors },
    reader: { state: row.reader_state, errors: row.reader_errors },
    scanner: { state: row.scanner_state, errors: row.scanner_errors },
    backlog: row.backlog,
    backlogGrowthReports: row.backlog_growth_reports,
    quarantined: row.quarantined,
    clockOffsetMs: row.clock_offset_ms,
    heldClockOffsetMs: row.held_clock_offset_ms,
    dataFreeBytes: row.data_free_bytes,
  };
}

/** The kiosk's stored backlog and growth streak, its row locked until the transaction ends; null: no report yet. */
export async function lockLatestBacklog(
  client: pg.PoolClient,
  hallId: string,
  kioskId: string,
): Promise<{ backlog: number; growthReports: number } | null> {
  const result = await client.query<{ backlog: number; backlog_growth_reports: number }>(
    'SELECT backlog, backlog_growth_reports FROM kiosk_health WHERE hall_id = $1 AND kiosk_id = $2 FOR UPDATE',
    [hallId, kioskId],
  );
  const row = result.rows[0];
  return row ? { backlog: row.backlog, growthReports: row.backlog_growth_reports } : null;
}

/** Replaces the kiosk's latest report (or stores its first). */
export async function saveKioskHealth(client: pg.PoolClient, hallId: string, kioskId: string, h: StoredKioskHealth): Promise<void> {
  await client.query(
    `INSERT INTO kiosk_health (hall_id, kiosk_id, received_at, reported_at, observed_clock_offset_ms, app_version,
       pull_interval_ms, printer_state, printer_errors, reader_state, reader_errors, scanner_state, scanner_errors,
       backlog, backlog_growth_reports, quarantined, clock_offset_ms, held_clock_offset_ms, data_free_bytes)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
     ON CONFLICT (hall_id, kiosk_id) DO UPDATE SET
       received_at = EXCLUDED.received_at, reported_at = EXCLUDED.reported_at,
       observed_clock_offset_ms = EXCLUDED.observed_clock_offset_ms, app_version = EXCLUDED.app_version,
       pull_interval_ms = EXCLUDED.pull_interval_ms, printer_state = EXCLUDED.printer_state,
       printer_errors = EXCLUDED.printer_errors, reader_state = EXCLUDED.reader_state,
       reader_errors = EXCLUDED.reader_errors, scanner_state = EXCLUDED.scanner_state,
       scanner_errors = EXCLUDED.scanner_errors, backlog = EXCLUDED.backlog,
       backlog_growth_reports = EXCLUDED.backlog_growth_reports, quarantined = EXCLUDED.quarantined,
       clock_offset_ms = EXCLUDED.clock_offset_ms, held_clock_offset_ms = EXCLUDED.held_clock_offset_ms,
       data_free_bytes = EXCLUDED.data_free_bytes`,
    [
      hallId,
      kioskId,
      h.receivedAt,
      h.reportedAt,
      h.observedClockOffsetMs,
      h.appVersion,
      h.pullIntervalMs,
      h.printer.state,
      h.printer.errors,
      h.reader.state,
      h.reader.errors,
      h.scanner.state,
      h.scanner.errors,
      h.backlog,
      h.backlogGrowthReports,
      h.quarantined,
      h.clockOffsetMs,
      h.heldClockOffsetMs,
      h.dataFreeBytes,
    ],
  );
}

const KioskRow = z.object({ kiosk_id: z.string(), kiosk_digit: z.number().int() });

export interface HallKioskHealth {
  kioskId: string;
  kioskDigit: number;
  /** Null: the kiosk never reported. */
  latest: StoredKioskHealth | null;
}

/** Every kiosk of the hall that is not revoked, with its latest report, by digit. */
export async function hallKioskHealth(pool: pg.Pool, hallId: string): Promise<HallKioskHealth[]> {
  const result = await pool.query(
    `SELECT k.kiosk_id, k.kiosk_digit, h.kiosk_id IS NOT NULL AS reported, ${HEALTH_COLUMNS}
       FROM kiosks k
       LEFT JOIN kiosk_health h ON h.hall_id = k.hall_id AND h.kiosk_id = k.kiosk_id
      WHERE k.hall_id = $1 AND k.revoked_at IS NULL
      ORDER BY k.kiosk_digit, k.kiosk_id`,
    [hallId],
  );
  return result.rows.map((raw: Record<string, unknown>) => {
    const kiosk = KioskRow.parse(raw);
    return { kioskId: kiosk.kiosk_id, kioskDigit: kiosk.kiosk_digit, latest: raw.reported === true ? toStored(HealthRow.parse(raw)) : null };
  });
}
