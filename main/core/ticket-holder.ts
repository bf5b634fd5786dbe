import { Priority } from '../../common/domain/priority.js';
import { citizenHmacOf } from './citizen-hmac.js';
import type { CurrentVisitor } from './visitor-session.js';

/** What a ticket takes from the identified visitor: never the raw number, never the full name. */
export interface TicketHolder {
  /** HMAC of the ID number with the hall's key; null before the kiosk has pulled the key. */
  citizenHmac: string | null;
  priority: Priority;
  /** For the screen and the receipt, e.g. `䶮*`. */
  maskedName: string;
}

/**
 * Reads what issuance needs from the current visitor at once (the card may be wiped by the idle
 * timer while the number is being allocated). Without the hall key the ticket gets the card's
 * name but no HMAC, so no dedupe: the portal has not sent the key yet. Nor elderly priority: the
 * portal accepts it only for an identified citizen (a kiosk could otherwise claim it for anyone),
 * so a ticket claiming it without an HMAC would be refused and never called.
 */
export function ticketHolderOf(visitor: CurrentVisitor | null, citizenKey: string | null): TicketHolder | null {
  if (!visitor) return null;
  return {
    citizenHmac: citizenKey === null ? null : citizenHmacOf(citizenKey, visitor.card.idNumber),
    priority: citizenKey === null && visitor.view.priority === Priority.Elderly ? Priority.Normal : visitor.view.priority,
    maskedName: visitor.view.maskedName,
  };
}
