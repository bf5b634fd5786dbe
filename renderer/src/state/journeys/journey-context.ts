import type { KioskApi, TicketView } from '../../../../common/contract/kiosk-api.js';
import type { JourneyScreen } from '../screen.js';
import type { KioskState, KioskStoreState } from '../kiosk-store.js';

/** Why a ticket is on screen besides having just been issued. */
export enum TicketNote {
  /** A check-in of an appointment that was checked in already: this is the ticket it got. */
  AlreadyCheckedIn = 'already-checked-in',
}

/** What a journey's actions may use of the store: one narrow seam, so each journey lives in its own file. */
export interface JourneyContext {
  api: KioskApi;
  get(): KioskStoreState;
  set(partial: Partial<KioskState>): void;
  /** A fresh UUID (request ids, rating ids). */
  newId(): string;
  /** Shows a journey screen with its starting state; the kiosk returns home by itself if nobody acts. */
  open(screen: JourneyScreen, partial: Partial<KioskState>): void;
  /**
   * A check for a reply that arrives later: true while the visitor is still on the screen where the
   * call was made (no navigation since) and no call made with `restart` (a second card read starting
   * the lookup again) has begun since. A stale reply is dropped, never shown to the next visitor.
   */
  stillCurrent(restart?: boolean): () => boolean;
  /** Puts a ticket on screen (issued by a check-in, or the one an earlier check-in got); nothing once disposed. */
  showTicket(view: TicketView, note: TicketNote | null): void;
  /** Restarts the return-home timer, optionally with a shorter time (a thank-you screen). */
  touch(idleMs?: number): void;
}
