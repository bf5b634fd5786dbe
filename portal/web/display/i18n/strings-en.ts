import { TicketStatus } from '../../../../common/contract/counter-api.js';
import { errorMessages } from '../../shared/i18n/error-messages.js';
import { Language } from '../../shared/i18n/language.js';
import { FeedStatus } from '../../shared/live/hall-event-feed.js';
import type { DisplayDictionary } from './display-dictionary.js';

export const displayEn: DisplayDictionary = {
  title: 'Hall display',
  callingHeading: 'Now calling',
  counterSign: (n) => `Counter ${n}`,
  recallBadge: 'Again',
  statusBadge: {
    [TicketStatus.Waiting]: 'Transferred',
    [TicketStatus.Called]: null,
    [TicketStatus.Serving]: 'Being served',
    [TicketStatus.Held]: 'On hold',
    [TicketStatus.NoShow]: 'Missed',
    [TicketStatus.Done]: 'Done',
    [TicketStatus.Cancelled]: 'Cancelled',
  },
  noCalls: 'No calls yet',
  waitingHeading: 'Waiting',
  waitingCount: (n) => (n === 1 ? '1 person' : `${n} people`),
  noticeLabel: 'Hall notice',
  clockLabel: 'Time',
  feed: {
    [FeedStatus.Connecting]: 'Connecting…',
    [FeedStatus.Live]: null,
    [FeedStatus.Reconnecting]: 'Network interrupted — reconnecting; no call will be missed',
    [FeedStatus.Refused]: 'This display is no longer authorised',
  },
  loading: 'Loading…',
  audioBlocked: 'The browser does not allow sound: click the screen, or start Chromium with --autoplay-policy=no-user-gesture-required',
  noTokenTitle: 'This display is not set up',
  noTokenBody: 'Ask the administrator to open this page with #token=<display token> at the end of the address (the token stays on this machine).',
  refusedTitle: 'Display token refused',
  refusedBody: 'The portal refused this display’s token (it may have been revoked). Ask the administrator for a new one and open this page with #token=….',
  errorByCode: errorMessages[Language.En],
};
