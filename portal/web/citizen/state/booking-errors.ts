import { PortalErrorCode } from '../../../../common/contract/errors.js';
import type { UiErrorCode } from '../../shared/api/ui-error.js';

/** A refused hold that means the places shown are stale (taken, or the day left the window): reload them. */
const STALE_SLOTS: ReadonlySet<UiErrorCode> = new Set<UiErrorCode>([
  PortalErrorCode.SlotFull,
  PortalErrorCode.NoSuchSlot,
  PortalErrorCode.OutsideBookingWindow,
  PortalErrorCode.ClosedDay,
  PortalErrorCode.NotFound,
  PortalErrorCode.Conflict,
]);

/** A refused confirmation that means the held place is gone: choose again. */
const HOLD_GONE: ReadonlySet<UiErrorCode> = new Set<UiErrorCode>([PortalErrorCode.HoldExpired, PortalErrorCode.NotFound, PortalErrorCode.Conflict]);

export function refreshesSlots(code: UiErrorCode): boolean {
  return STALE_SLOTS.has(code);
}

export function endsHold(code: UiErrorCode): boolean {
  return HOLD_GONE.has(code);
}
