import { PortalErrorCode } from '../../common/contract/errors.js';
import { AppealStatus, RectificationStatus } from '../../common/contract/ratings-api.js';
import { StaffRole, roleAtLeast } from '../../common/contract/route-spec.js';

/**
 * The life of a rectification order (整改工单) and of its appeal (申诉复核), as pure rules the
 * order operations (rectification-orders.ts) apply under the order's row lock:
 *
 *   open → contacted → rectified | explained → closed
 *
 * A manager moves it one step at a time, with a note. The rated clerk may appeal once while it is
 * not closed; a manager other than that clerk decides: upheld closes the order (the rating is not
 * held against the clerk), rejected lets it go on. An order is not closed while its appeal waits.
 */

export const RECTIFICATION_TRANSITIONS: Readonly<Record<RectificationStatus, readonly RectificationStatus[]>> = {
  [RectificationStatus.Open]: [RectificationStatus.Contacted],
  [RectificationStatus.Contacted]: [RectificationStatus.Rectified, RectificationStatus.Explained],
  [RectificationStatus.Rectified]: [RectificationStatus.Closed],
  [RectificationStatus.Explained]: [RectificationStatus.Closed],
  [RectificationStatus.Closed]: [],
};

/** What the rules look at: the order as locked. */
export interface OrderState {
  orderId: string;
  status: RectificationStatus;
  appeal: AppealStatus;
  /** The rated clerk. */
  staffId: string | null;
}

export interface WorkflowRefusal {
  code: PortalErrorCode.InvalidTransition | PortalErrorCode.Forbidden;
  message: string;
}

const invalid = (message: string): WorkflowRefusal => ({ code: PortalErrorCode.InvalidTransition, message });

/** Statuses in which the deadline still runs: nobody has rectified or explained yet. */
const PENDING: ReadonlySet<RectificationStatus> = new Set([RectificationStatus.Open, RectificationStatus.Contacted]);

/** Past its due day (the hall's today is later) and not yet rectified, explained or closed. */
export function isOverdue(status: RectificationStatus, dueDay: string, today: string): boolean {
  // YYYY-MM-DD compares as text in calendar order; the due day itself is still in time.
  return PENDING.has(status) && today > dueDay;
}

export function advanceRefusal(order: OrderState, to: RectificationStatus): WorkflowRefusal | null {
  if (!RECTIFICATION_TRANSITIONS[order.status].includes(to)) {
    const allowed = RECTIFICATION_TRANSITIONS[order.status];
    return invalid(
      `order ${order.orderId} is ${order.status}: it moves to ${allowed.length > 0 ? allowed.join(' or ') : 'nothing'}, not ${to}`,
    );
  }
  if (to === RectificationStatus.Closed && order.appeal === AppealStatus.Pending) {
    return invalid(`order ${order.orderId} has an appeal waiting: decide it before closing the order`);
  }
  return null;
}

/** Only the rated clerk appeals, once, while the order is not closed. */
export function appealRefusal(order: OrderState, staffId: string): WorkflowRefusal | null {
  if (order.staffId === null || order.staffId !== staffId) {
    return { code: PortalErrorCode.Forbidden, message: `only the rated clerk may appeal order ${order.orderId}` };
  }
  if (order.status === RectificationStatus.Closed) return invalid(`order ${order.orderId} is closed: too late to appeal`);
  if (order.appeal !== AppealStatus.None) return invalid(`order ${order.orderId} was appealed already (${order.appeal})`);
  return null;
}

/** A manager decides a waiting appeal, never their own. */
export function decisionRefusal(order: OrderState, staffId: string, role: StaffRole): WorkflowRefusal | null {
  if (!roleAtLeast(role, StaffRole.Manager)) return { code: PortalErrorCode.Forbidden, message: 'a manager decides appeals' };
  if (order.appeal !== AppealStatus.Pending) return invalid(`order ${order.orderId} has no appeal waiting (${order.appeal})`);
  if (order.staffId === staffId) return { code: PortalErrorCode.Forbidden, message: `order ${order.orderId} is about you: another manager decides your appeal` };
  return null;
}

/** A clerk sees (and appeals) the orders about their own tickets; a manager sees the hall's. */
export function orderScope(staffId: string, role: StaffRole): string | null {
  return roleAtLeast(role, StaffRole.Manager) ? null : staffId;
}
