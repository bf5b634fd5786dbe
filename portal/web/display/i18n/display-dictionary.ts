import type { TicketStatus } from '../../../../common/contract/counter-api.js';
import type { ErrorMessages } from '../../shared/i18n/error-messages.js';
import type { FeedStatus } from '../../shared/live/hall-event-feed.js';

/**
 * Every string of the hall display, in both languages (typed: neither may miss a key). The
 * display shows both at once, its primary language large and the other beside it.
 */
export interface DisplayDictionary {
  title: string;
  callingHeading: string;
  /** The counter as signed in the hall: `3 号窗口`, `Counter 3`. */
  counterSign: (counterNumber: number) => string;
  /** A recall, said again: a badge beside the number. */
  recallBadge: string;
  /** What became of a called ticket, as a badge; null while it is still being called. */
  statusBadge: Record<TicketStatus, string | null>;
  noCalls: string;
  waitingHeading: string;
  waitingCount: (count: number) => string;
  noticeLabel: string;
  clockLabel: string;
  /** The live connection, when it is not live; null when nothing need be shown. */
  feed: Record<FeedStatus, string | null>;
  loading: string;
  /** Sound is blocked by the browser: how to start it. */
  audioBlocked: string;
  noTokenTitle: string;
  noTokenBody: string;
  refusedTitle: string;
  refusedBody: string;
  errorByCode: ErrorMessages;
}
