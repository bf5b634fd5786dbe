import type { CounterState, TicketStatus } from '../../../../common/contract/counter-api.js';
import type { RatingLevel } from '../../../../common/contract/ratings-api.js';
import type { StaffRole } from '../../../../common/contract/route-spec.js';
import type { Priority } from '../../../../common/domain/priority.js';
import type { ErrorMessages } from '../../shared/i18n/error-messages.js';
import type { FeedStatus } from '../../shared/live/hall-event-feed.js';
import type { ConsoleAction } from '../state/console-actions.js';
import type { RatingDimension } from '../state/rating-prompt.js';

/** Every string of the counter console, in both languages (typed: neither may miss a key). */
export interface ConsoleDictionary {
  appTitle: string;
  languageToggleLabel: string;
  loading: string;
  // Sign-in
  signInHeading: string;
  hallLabel: string;
  usernameLabel: string;
  passwordLabel: string;
  signIn: string;
  signingIn: string;
  noHalls: string;
  // Counter choice
  chooseCounterHeading: string;
  counterSign: (counterNumber: number) => string;
  counterState: Record<CounterState, string>;
  counterTakenBy: (name: string) => string;
  servicesLegend: string;
  servicesHint: string;
  takeCounter: string;
  signOut: string;
  signedInAs: (name: string, role: string) => string;
  roleName: Record<StaffRole, string>;
  // Console
  leaveCounter: string;
  pause: string;
  resume: string;
  pausedNotice: string;
  liveStatus: Record<FeedStatus, string>;
  currentHeading: string;
  noCurrent: string;
  numberLabel: string;
  serviceLabel: string;
  priorityLabel: string;
  nameLabel: string;
  anonymous: string;
  appointmentLabel: string;
  waitedLabel: string;
  minutes: (n: number) => string;
  callCountLabel: string;
  callCount: (n: number) => string;
  statusLabel: string;
  ticketStatus: Record<TicketStatus, string>;
  priorityName: Record<Priority, string>;
  /** Shown when the next recall will turn the ticket into a no-show (the hall's rule). */
  autoNoShowHint: (callCount: number, limit: number) => string;
  nobodyWaiting: string;
  actions: Record<ConsoleAction, string>;
  keysHint: string;
  // Dialogs
  caseNumberLabel: string;
  caseNumberHint: string;
  confirm: string;
  cancel: string;
  completeHeading: string;
  callBackHeading: string;
  noHeld: string;
  transferHeading: string;
  transferToService: string;
  transferToCounter: string;
  transferTarget: string;
  newPriority: string;
  keepPriority: string;
  // Rating prompt after completion (好差评), for the visitor
  ratingHeading: (number: string) => string;
  ratingHint: string;
  ratingOverall: string;
  /** The national five levels, in their official words. */
  ratingLevel: Record<RatingLevel, string>;
  ratingDimension: Record<RatingDimension, string>;
  ratingDimensionsHint: string;
  ratingComment: string;
  ratingSubmit: string;
  ratingSkip: string;
  ratingThanks: string;
  // Queue
  queueHeading: string;
  queueOrder: string;
  waitingCount: (n: number) => string;
  positionLabel: string;
  transferredHere: string;
  heldHeading: string;
  noShowsHeading: string;
  requeue: string;
  callBackThis: (number: string) => string;
  requeueThis: (number: string) => string;
  none: string;
  errorByCode: ErrorMessages;
  dismiss: string;
}
