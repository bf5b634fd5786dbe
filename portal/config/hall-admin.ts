import type pg from 'pg';
import { z } from 'zod';
import { HallSettingsView, UpdateHallRequest, type HallSettings } from '../../common/contract/config-api.js';
import { PortalErrorCode } from '../../common/contract/errors.js';
import { HallEventKind, type HallEvent } from '../../common/contract/hall-events.js';
import { businessDayOf } from '../../common/domain/business-day.js';
import { HallCalendar } from '../../common/domain/hall-calendar.js';
import type { StaffPrincipal } from '../auth/principals.js';
import { loadDisplaySettings } from '../display/display-settings.js';
import { PortalError } from '../http/portal-error.js';
import { writeHallSettings } from '../queue/service-config.js';
import { emitHallEvents } from '../realtime/emit-hall-event.js';
import { assertVersion, auditChange, canonicalJson } from './config-change.js';

/**
 * The hall's own settings (issue 10 §1): name, time zone and business-day start, the calendar
 * (holidays, 调休), the check-in window, whether walk-in tickets keep to opening hours, the
 * display notice and voice, the no-show rule, how long personal data is kept, and the working
 * days a rectification order is given. The calendar, check-in window and rectification days go
 * through portal/queue/service-config.ts. What kiosks show bumps the catalog version (the halls
 * trigger) and tells them to pull; the notice and voice reach the displays as `display.settings`.
 */

const HallRow = z.object({
  hall_id: z.string(),
  name_zh: z.string(),
  name_en: z.string(),
  time_zone: z.string(),
  business_day_start_hour: z.number().int(),
  calendar: z.unknown(),
  check_in_before_minutes: z.number().int(),
  check_in_after_minutes: z.number().int(),
  tickets_only_in_hours: z.boolean(),
  display_notice_zh: z.string().nullable(),
  display_notice_en: z.string().nullable(),
  voice_repeat: z.number().int(),
  voice_english: z.boolean(),
  no_show_after_calls: z.number().int(),
  personal_data_days: z.number().int().nullable(),
  event_payload_days: z.number().int().nullable(),
  rectification_days: z.number().int(),
  catalog_version: z.coerce.number().int(),
  config_version: z.coerce.number().int(),
});

const HALL_COLUMNS = `hall_id, name_zh, name_en, time_zone, business_day_start_hour, calendar, check_in_before_minutes,
  check_in_after_minutes, tickets_only_in_hours, display_notice_zh, display_notice_en, voice_repeat, voice_english,
  no_show_after_calls, personal_data_days, event_payload_days, rectification_days, catalog_version, config_version`;

async function readHall(db: pg.Pool | pg.PoolClient, hallId: string, lock = false): Promise<HallSettingsView> {
  const result = await db.query(`SELECT ${HALL_COLUMNS} FROM halls WHERE hall_id = $1${lock ? ' FOR NO KEY UPDATE' : ''}`, [hallId]);
  if (result.rows.length === 0) throw new PortalError(PortalErrorCode.NotFound, `hall ${hallId} not found`);
  const row = HallRow.parse(result.rows[0]);
  return HallSettingsView.parse({
    hallId: row.hall_id,
    name: { zh: row.name_zh, en: row.name_en },
    timeZone: row.time_zone,
    businessDayStartHour: row.business_day_start_hour,
    calendar: HallCalendar.parse(row.calendar),
    checkInWindow: { beforeMinutes: row.check_in_before_minutes, afterMinutes: row.check_in_after_minutes },
    ticketsOnlyInHours: row.tickets_only_in_hours,
    displayNotice: row.display_notice_zh !== null && row.display_notice_en !== null ? { zh: row.display_notice_zh, en: row.display_notice_en } : null,
    voice: { repeat: row.voice_repeat, english: row.voice_english },
    noShowAfterCalls: row.no_show_after_calls,
    retention: { personalDataDays: row.personal_data_days, eventPayloadDays: row.event_payload_days },
    rectificationDays: row.rectification_days,
    catalogVersion: row.catalog_version,
    version: row.config_version,
  });
}

export function hallSettingsOf(db: pg.Pool, hallId: string): Promise<HallSettingsView> {
  return readHall(db, hallId);
}

function settingsOf(view: HallSettingsView): HallSettings {
  const { hallId: _hallId, catalogVersion: _catalogVersion, version: _version, ...settings } = view;
  return settings;
}

/**
 * The business day numbers every ticket: moving the zone or the day's start while the day has
 * tickets would start a second "today" (A001 again) or fold two days into one. So they change
 * only while the hall has no ticket and no number handed out for its current business day, as
 * counted before and after the change, or later.
 */
async function refuseIfDayStarted(client: pg.PoolClient, before: HallSettingsView, next: HallSettings, now: Date): Promise<void> {
  const oldToday = businessDayOf(now, before.timeZone, before.businessDayStartHour);
  const newToday = businessDayOf(now, next.timeZone, next.businessDayStartHour);
  const from = oldToday < newToday ? oldToday : newToday;
  const result = await client.query<{ numbered: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM tickets WHERE hall_id = $1 AND business_day >= $2)
         OR EXISTS (SELECT 1 FROM number_allocations WHERE hall_id = $1 AND business_day >= $2) AS numbered`,
    [before.hallId, from],
  );
  if (result.rows[0]?.numbered) {
    throw new PortalError(
      PortalErrorCode.DayInProgress,
      `the hall has numbers on ${from} or later: its time zone and business-day start can change once that day is over`,
    );
  }
}

/** Changes the hall's settings at the version the manager edited. A write that changes nothing changes no version. */
export async function updateHallSettings(
  client: pg.PoolClient,
  principal: StaffPrincipal,
  request: z.output<typeof UpdateHallRequest>,
  now: Date,
): Promise<HallSettingsView> {
  const { hallId } = principal;
  const before = await readHall(client, hallId, true);
  const { version, ...next } = request;
  assertVersion('the hall', version, before.version);
  if (canonicalJson(next) === canonicalJson(settingsOf(before))) return before;
  if (next.timeZone !== before.timeZone || next.businessDayStartHour !== before.businessDayStartHour) {
    await refuseIfDayStarted(client, before, next, now);
  }
  await writeHallSettings(client, hallId, { calendar: next.calendar, checkInWindow: next.checkInWindow, rectificationDays: next.rectificationDays });
  await client.query(
    `UPDATE halls SET name_zh = $2, name_en = $3, time_zone = $4, business_day_start_hour = $5, tickets_only_in_hours = $6,
       display_notice_zh = $7, display_notice_en = $8, voice_repeat = $9, voice_english = $10, no_show_after_calls = $11,
       personal_data_days = $12, event_payload_days = $13, config_version = config_version + 1
     WHERE hall_id = $1`,
    [
      hallId,
      next.name.zh,
      next.name.en,
      next.timeZone,
      next.businessDayStartHour,
      next.ticketsOnlyInHours,
      next.displayNotice?.zh ?? null,
      next.displayNotice?.en ?? null,
      next.voice.repeat,
      next.voice.english,
      next.noShowAfterCalls,
      next.retention.personalDataDays,
      next.retention.eventPayloadDays,
    ],
  );
  const after = await readHall(client, hallId);
  await auditChange(client, principal, { action: 'config.hall.update', target: 'hall', before, after });
  const events: HallEvent[] = [];
  if (canonicalJson([before.displayNotice, before.voice]) !== canonicalJson([after.displayNotice, after.voice])) {
    events.push({ kind: HallEventKind.DisplaySettings, payload: await loadDisplaySettings(client, hallId) });
  }
  if (after.catalogVersion !== before.catalogVersion) {
    events.push({ kind: HallEventKind.CatalogChanged, payload: { catalogVersion: after.catalogVersion } });
  }
  // Last: the hall's event counter stays locked until commit.
  await emitHallEvents(client, hallId, events);
  return after;
}
