import type pg from 'pg';
import { recordAudits, type AuditActor, type AuditEntry } from '../staff/audit.js';
import { openOrders, type OpenedOrder } from './order-store.js';
import type { RatingRow } from './rating-store.js';
import { rectificationClock } from './rectification-clock.js';

/**
 * What follows a rating once it stands, in its transaction and for every channel alike: a poor
 * one opens its rectification order, and each rating (and each order) gets its audit line.
 */
export async function afterRatings(
  client: pg.PoolClient,
  hallId: string,
  actor: AuditActor,
  ratings: readonly RatingRow[],
  now: Date,
): Promise<OpenedOrder[]> {
  if (ratings.length === 0) return [];
  const orders = await openOrders(client, hallId, ratings, () => rectificationClock(client, hallId, now));
  const orderOf = new Map(orders.map((o) => [o.ratingId, o]));
  const lines: AuditEntry[] = [];
  for (const r of ratings) {
    const order = orderOf.get(r.rating_id);
    // Never the comment: it is the visitor's own words, kept in the rating, not in the log.
    lines.push({
      hallId,
      actor,
      action: 'rating.submit',
      target: r.ticket_id,
      detail: {
        ratingId: r.rating_id,
        channel: r.channel,
        number: r.number,
        overall: r.overall,
        efficiency: r.efficiency,
        expertise: r.expertise,
        attitude: r.attitude,
        serviceId: r.service_id,
        counterId: r.counter_id,
        staffId: r.staff_id,
        ...(order ? { orderId: order.orderId } : {}),
      },
      outcome: 'ok',
    });
    if (order) {
      lines.push({
        hallId,
        actor,
        action: 'rectification.open',
        target: order.orderId,
        detail: { ratingId: r.rating_id, ticketId: r.ticket_id, assignedTo: order.assignedTo, dueDay: order.dueDay, staffId: r.staff_id },
        outcome: 'ok',
      });
    }
  }
  await recordAudits(client, lines);
  return orders;
}
