import type pg from 'pg';
import { z } from 'zod';
import { PortalErrorCode } from '../../common/contract/errors.js';
import { HallCalendar, WeeklyHours } from '../../common/domain/hall-calendar.js';
import { describeRanges, ticketHoursAt } from '../../common/domain/ticket-hours.js';
import { PortalError } from '../http/portal-error.js';

/**
 * What the hall manager limits online numbering by (issue 10 §1): opening hours, when the hall
 * takes walk-in tickets only in them, and a service's daily quota. The kiosk applies the same
 * rules to what it pulled (main/core/ticket-issuer.ts); the portal's answer decides when it is
 * asked. A ticket pushed from a kiosk that printed it offline is not refused for either: the
 * paper is the truth (docs/architecture.md §4).
 */

const RulesRow = z.object({
  prefix: z.string(),
  enabled: z.boolean(),
  daily_quota: z.number().int().nullable(),
  time_zone: z.string(),
  business_day_start_hour: z.number().int(),
  tickets_only_in_hours: z.boolean(),
  // Only read when the hall keeps tickets to opening hours (a calendar may hold a thousand days).
  hours: z.unknown(),
  calendar: z.unknown(),
});
export type IssueRules = z.infer<typeof RulesRow>;

/** A service as numbering needs it: prefix, enabled, its hall's day and the manager's limits; null when the hall has no such service. */
export async function issueRulesOf(client: pg.PoolClient, hallId: string, serviceId: string): Promise<IssueRules | null> {
  const result = await client.query({
    name: 'issue-rules',
    text: `SELECT s.prefix, s.enabled, s.daily_quota, h.time_zone, h.business_day_start_hour, h.tickets_only_in_hours,
                  CASE WHEN h.tickets_only_in_hours THEN s.hours END AS hours,
                  CASE WHEN h.tickets_only_in_hours THEN h.calendar END AS calendar
           FROM services s JOIN halls h ON h.hall_id = s.hall_id WHERE s.hall_id = $1 AND s.service_id = $2`,
    values: [hallId, serviceId],
  });
  return result.rows.length === 0 ? null : RulesRow.parse(result.rows[0]);
}

/** 409 `service-closed` when the hall keeps tickets to opening hours and the service is closed at `now`. */
export function refuseOutsideHours(rules: IssueRules, serviceId: string, now: Date): void {
  if (!rules.tickets_only_in_hours) return;
  const hours = ticketHoursAt(now, rules.time_zone, WeeklyHours.parse(rules.hours), HallCalendar.parse(rules.calendar));
  if (hours.open) return;
  throw new PortalError(
    PortalErrorCode.ServiceClosed,
    `service ${serviceId} takes tickets only in its opening hours; on ${hours.day}: ${describeRanges(hours.ranges)}`,
  );
}

/**
 * 409 `daily-quota` when the service already has its quota of tickets for the day: tickets the
 * portal holds (every source, every state) and numbers it handed out whose ticket has not arrived
 * yet. Call it holding the service's day counter (number_counters row lock), so two allocations
 * cannot both take the last place; the transaction's rollback returns the number it drew.
 */
export async function refuseOverQuota(client: pg.PoolClient, hallId: string, serviceId: string, day: string, quota: number | null): Promise<void> {
  if (quota === null) return;
  const result = await client.query<{ issued: number }>(
    `SELECT count(*)::int AS issued FROM (
       SELECT ticket_id FROM tickets WHERE hall_id = $1 AND service_id = $2 AND business_day = $3
       UNION
       SELECT ticket_id FROM number_allocations WHERE hall_id = $1 AND service_id = $2 AND business_day = $3
     ) issued`,
    [hallId, serviceId, day],
  );
  const issued = result.rows[0]?.issued ?? 0;
  if (issued < quota) return;
  throw new PortalError(PortalErrorCode.DailyQuota, `service ${serviceId} issued its ${quota} tickets of ${day}: no more today`);
}
