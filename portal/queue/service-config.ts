import type pg from 'pg';
import { z } from 'zod';
import { ServiceGuide } from '../../common/contract/guide.js';
import { HallEventKind } from '../../common/contract/hall-events.js';
import { HallCalendar, WeeklyHours } from '../../common/domain/hall-calendar.js';
import { BookingRules } from '../../common/domain/slots.js';
import { emitHallEvent } from '../realtime/emit-hall-event.js';

/**
 * Writing what a service and a hall publish (issue 9; the manager console of issue 10 edits them
 * through these too): every JSON value is checked with its common schema before it is written,
 * as it is when read back (catalog.ts). A write that changes anything bumps the hall's catalog
 * version (the migrations' triggers); `emitCatalogChanged` then tells the kiosks to pull at once.
 */

export interface ServiceConfig {
  hours: z.input<typeof WeeklyHours>;
  guide: z.input<typeof ServiceGuide> | null;
  /** Null: not booked online. */
  booking: z.input<typeof BookingRules> | null;
}

/** Writes a service's hours, guide and booking rules; false when the hall has no such service. */
export async function writeServiceConfig(
  client: pg.PoolClient,
  hallId: string,
  serviceId: string,
  config: ServiceConfig,
): Promise<boolean> {
  const hours = WeeklyHours.parse(config.hours);
  const guide = config.guide === null ? null : ServiceGuide.parse(config.guide);
  const booking = config.booking === null ? null : BookingRules.parse(config.booking);
  const result = await client.query(
    `UPDATE services SET hours = $3::jsonb, guide = $4::jsonb, booking_rules = $5::jsonb
     WHERE hall_id = $1 AND service_id = $2`,
    [hallId, serviceId, JSON.stringify(hours), guide === null ? null : JSON.stringify(guide), booking === null ? null : JSON.stringify(booking)],
  );
  return (result.rowCount ?? 0) === 1;
}

export interface HallSettings {
  calendar: z.input<typeof HallCalendar>;
  checkInWindow: { beforeMinutes: number; afterMinutes: number };
  /** Working days a rectification order is given (issue 9 §6). */
  rectificationDays: number;
}

const CheckInWindow = z.object({ beforeMinutes: z.number().int().min(0).max(240), afterMinutes: z.number().int().min(0).max(240) });
const RectificationDays = z.number().int().min(1).max(60);

/** Writes the hall's calendar, check-in window and rectification days. */
export async function writeHallSettings(client: pg.PoolClient, hallId: string, settings: HallSettings): Promise<void> {
  const calendar = HallCalendar.parse(settings.calendar);
  const window = CheckInWindow.parse(settings.checkInWindow);
  const days = RectificationDays.parse(settings.rectificationDays);
  await client.query(
    `UPDATE halls SET calendar = $2::jsonb, check_in_before_minutes = $3, check_in_after_minutes = $4, rectification_days = $5
     WHERE hall_id = $1`,
    [hallId, JSON.stringify(calendar), window.beforeMinutes, window.afterMinutes, days],
  );
}

/** The hall's catalog version now (in the caller's transaction). */
export async function catalogVersion(client: pg.PoolClient, hallId: string): Promise<number> {
  const result = await client.query<{ v: string }>('SELECT catalog_version::text AS v FROM halls WHERE hall_id = $1', [hallId]);
  return Number(result.rows[0]?.v ?? 0);
}

/**
 * Emits `catalog.changed` when the version moved past `before` in this transaction: the kiosks
 * following the hall (GET /v1/kiosk/stream) pull at once. Call it as the transaction's last
 * statement (it locks the hall's event counter until commit). Returns whether it emitted.
 */
export async function emitCatalogChanged(client: pg.PoolClient, hallId: string, before: number): Promise<boolean> {
  const now = await catalogVersion(client, hallId);
  if (now === before) return false;
  await emitHallEvent(client, hallId, { kind: HallEventKind.CatalogChanged, payload: { catalogVersion: now } });
  return true;
}
