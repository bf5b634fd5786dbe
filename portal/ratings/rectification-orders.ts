import type pg from 'pg';
import { PortalErrorCode } from '../../common/contract/errors.js';
import { AppealStatus, RectificationStatus, type RectificationOrder } from '../../common/contract/ratings-api.js';
import type { StaffPrincipal } from '../auth/principals.js';
import { withTransaction } from '../db/transaction.js';
import { PortalError } from '../http/portal-error.js';
import { recordAudit, type AuditActor } from '../staff/audit.js';
import { addNote, lockOrder, readOrders } from './order-store.js';
import { rectificationClock } from './rectification-clock.js';
import { advanceRefusal, appealRefusal, decisionRefusal, orderScope, type OrderState } from './rectification-workflow.js';

/**
 * The rectification orders' operations, each one transaction under the order's row lock: the
 * change, its note and its audit line commit together. A refusal (a coded PortalError) rolls back
 * and is then written to the audit log on its own, as refused.
 */

const staffActor = (actor: StaffPrincipal): AuditActor => ({ kind: 'staff', id: actor.staffId });

async function audited<T>(
  pool: pg.Pool,
  actor: StaffPrincipal,
  action: string,
  orderId: string,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  try {
    return await withTransaction(pool, work);
  } catch (err) {
    if (err instanceof PortalError) {
      await recordAudit(pool, {
        hallId: actor.hallId,
        actor: staffActor(actor),
        action,
        target: orderId,
        detail: { code: err.code, message: err.message },
        outcome: 'refused',
      }).catch(() => undefined);
    }
    throw err;
  }
}

/** The order as the caller may see it after the change (`overdue` on the hall's today). */
async function orderView(client: pg.PoolClient, actor: StaffPrincipal, orderId: string, now: Date): Promise<RectificationOrder> {
  const { today } = await rectificationClock(client, actor.hallId, now);
  const [order] = await readOrders(client, actor.hallId, { orderId, ratedStaffId: null }, today);
  if (!order) throw new PortalError(PortalErrorCode.NotFound, `order ${orderId} not found`);
  return order;
}

/** Locks the order, or 404 (an order id of another hall is not found: the principal decides the hall). */
async function locked(client: pg.PoolClient, actor: StaffPrincipal, orderId: string): Promise<OrderState & { assignedTo: string | null }> {
  const order = await lockOrder(client, actor.hallId, orderId);
  if (!order) throw new PortalError(PortalErrorCode.NotFound, `order ${orderId} not found`);
  return order;
}

/** The hall's orders for a manager; for a clerk, only the ones about their own tickets. */
export async function listOrders(
  db: pg.Pool,
  actor: StaffPrincipal,
  status: RectificationStatus | undefined,
  now: Date,
): Promise<RectificationOrder[]> {
  const { today } = await rectificationClock(db, actor.hallId, now);
  return readOrders(db, actor.hallId, { status, ratedStaffId: orderScope(actor.staffId, actor.role) }, today);
}

/** A manager moves an order one step (route minRole manager), with a note; an unassigned order becomes theirs. */
export async function advanceOrder(
  pool: pg.Pool,
  actor: StaffPrincipal,
  orderId: string,
  request: { status: RectificationStatus; note: string },
  now: Date,
): Promise<RectificationOrder> {
  return audited(pool, actor, 'rectification.advance', orderId, async (client) => {
    const order = await locked(client, actor, orderId);
    const refusal = advanceRefusal(order, request.status);
    if (refusal) throw new PortalError(refusal.code, refusal.message);
    await client.query(
      `UPDATE rectification_orders SET status = $3, assigned_to = coalesce(assigned_to, $4), updated_at = clock_timestamp(),
         closed_at = CASE WHEN $3 = 'closed' THEN clock_timestamp() END
       WHERE hall_id = $1 AND order_id = $2`,
      [actor.hallId, orderId, request.status, actor.staffId],
    );
    await addNote(client, actor.hallId, orderId, { staffId: actor.staffId, kind: 'advance', status: request.status, text: request.note });
    await recordAudit(client, {
      hallId: actor.hallId,
      actor: staffActor(actor),
      action: 'rectification.advance',
      target: orderId,
      detail: { from: order.status, to: request.status, note: request.note },
      outcome: 'ok',
    });
    return orderView(client, actor, orderId, now);
  });
}

/** The rated clerk appeals (申诉复核), once, while the order is not closed. */
export async function appealOrder(pool: pg.Pool, actor: StaffPrincipal, orderId: string, reason: string, now: Date): Promise<RectificationOrder> {
  return audited(pool, actor, 'rectification.appeal', orderId, async (client) => {
    const order = await locked(client, actor, orderId);
    const refusal = appealRefusal(order, actor.staffId);
    if (refusal) throw new PortalError(refusal.code, refusal.message);
    await client.query(
      `UPDATE rectification_orders SET appeal = 'pending', appeal_reason = $3, appealed_at = clock_timestamp(), updated_at = clock_timestamp()
       WHERE hall_id = $1 AND order_id = $2`,
      [actor.hallId, orderId, reason],
    );
    await addNote(client, actor.hallId, orderId, { staffId: actor.staffId, kind: 'appeal', status: order.status, text: reason });
    await recordAudit(client, {
      hallId: actor.hallId,
      actor: staffActor(actor),
      action: 'rectification.appeal',
      target: orderId,
      detail: { status: order.status, reason },
      outcome: 'ok',
    });
    return orderView(client, actor, orderId, now);
  });
}

/** A manager (not the appellant) decides: upheld closes the order, rejected lets it go on. */
export async function decideAppeal(
  pool: pg.Pool,
  actor: StaffPrincipal,
  orderId: string,
  request: { upheld: boolean; note: string },
  now: Date,
): Promise<RectificationOrder> {
  return audited(pool, actor, 'rectification.decide', orderId, async (client) => {
    const order = await locked(client, actor, orderId);
    const refusal = decisionRefusal(order, actor.staffId, actor.role);
    if (refusal) throw new PortalError(refusal.code, refusal.message);
    const appeal = request.upheld ? AppealStatus.Upheld : AppealStatus.Rejected;
    const status = request.upheld ? RectificationStatus.Closed : order.status;
    await client.query(
      `UPDATE rectification_orders SET appeal = $3, appeal_decided_by = $4, appeal_decided_at = clock_timestamp(),
         status = $5, closed_at = CASE WHEN $5 = 'closed' THEN coalesce(closed_at, clock_timestamp()) END,
         assigned_to = coalesce(assigned_to, $4), updated_at = clock_timestamp()
       WHERE hall_id = $1 AND order_id = $2`,
      [actor.hallId, orderId, appeal, actor.staffId, status],
    );
    await addNote(client, actor.hallId, orderId, { staffId: actor.staffId, kind: 'decision', status, text: request.note });
    await recordAudit(client, {
      hallId: actor.hallId,
      actor: staffActor(actor),
      action: 'rectification.decide',
      target: orderId,
      detail: { appeal, from: order.status, to: status, note: request.note },
      outcome: 'ok',
    });
    return orderView(client, actor, orderId, now);
  });
}
