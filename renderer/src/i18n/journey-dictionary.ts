import type { CaseStatus, CertificateVerdict } from '../../../common/contract/cases-api.js';
import type { MaterialForm, ServiceChannel } from '../../../common/contract/guide.js';
import type { CheckInOutcome } from '../../../common/contract/kiosk-api.js';
import type { RatingLevel } from '../../../common/contract/ratings-api.js';
import type { RatingDimension, RatingPhrase } from '../state/journeys/rating-draft.js';
import type { JourneyScreen } from '../state/screen.js';

/**
 * The strings of the journeys beside "take a ticket" (issue 9), in both languages. Typed, so a key
 * missing in one language fails to compile, and the dictionary test compares every key path.
 */

/** The home screen's journey buttons and what every journey screen shares. */
export interface JourneysDictionary {
  heading: string;
  title: Record<JourneyScreen, string>;
  hint: Record<JourneyScreen, string>;
  backHome: string;
  /** The identified visitor, masked, on a journey screen. */
  visitorChip: (maskedName: string) => string;
  retry: string;
}

export interface CheckInDictionary {
  prompt: string;
  promptDetail: string;
  checking: string;
  withCard: string;
  /** The booked service and slot, e.g. 社保业务 · 3月5日 09:30. */
  appointment: (service: string, day: string, time: string) => string;
  outcome: Record<CheckInOutcome, string>;
  early: (comeBackAt: string, start: string) => string;
  late: (start: string, until: string) => string;
  walkIn: (service: string) => string;
  otherDayFuture: (day: string, time: string) => string;
  otherDayPast: (day: string, time: string) => string;
  alreadyCheckedIn: string;
  cancelled: string;
  notFoundReference: string;
  notFoundCard: string;
  /** Checked in, but the core sent no ticket to show. */
  ticketMissing: string;
  failed: string;
}

export interface GuideDictionary {
  listHeading: string;
  searchLabel: string;
  searchHint: string;
  queryEmpty: string;
  keyboardLabel: string;
  backspace: string;
  clear: string;
  resultCount: (count: number) => string;
  noResults: string;
  backToList: string;
  noGuide: string;
  conditions: string;
  materials: string;
  noMaterials: string;
  materialForm: Record<MaterialForm, string>;
  materialCount: (count: number) => string;
  fees: string;
  timeLimits: string;
  legalLimit: (days: number | null) => string;
  promisedLimit: (days: number | null) => string;
  location: string;
  channelHeading: string;
  channel: Record<ServiceChannel, string>;
  hours: string;
  /** ISO weekday 1 (Monday) … 7 (Sunday). */
  weekday: (isoWeekday: number) => string;
  weekdayRange: (from: string, to: string) => string;
  listSeparator: string;
  noHours: string;
  print: string;
  printing: string;
  printed: string;
  printFailed: string;
  takeTicket: string;
}

export interface ProgressDictionary {
  needCard: string;
  loading: string;
  empty: string;
  count: (count: number) => string;
  /** Cached data's age in whole minutes; null when unknown. */
  cacheAge: (minutes: number | null) => string;
  cacheNote: string;
  caseNumber: (caseNumber: string) => string;
  status: Record<CaseStatus, string>;
  timeline: string;
  due: (day: string) => string;
  certificate: (title: string) => string;
  printSlip: string;
  slipPrinting: string;
  slipPrinted: string;
  slipFailed: string;
  failed: string;
}

export interface VerifyDictionary {
  prompt: string;
  verifying: string;
  verdict: Record<CertificateVerdict, string>;
  reason: Record<CertificateVerdict, string>;
  title: string;
  holder: string;
  caseNumber: string;
  issuedAt: string;
  unreadable: string;
  scanAnother: string;
  failed: string;
}

export interface RatingDictionary {
  prompt: string;
  loading: string;
  choose: string;
  counter: (counterNumber: number) => string;
  servedAt: (time: string) => string;
  none: string;
  notRateable: string;
  offline: string;
  formHeading: (number: string, service: string) => string;
  dimension: Record<RatingDimension, string>;
  level: Record<RatingLevel, string>;
  phrasesHeading: string;
  phrasesHint: string;
  phrase: Record<RatingPhrase, string>;
  submit: string;
  submitting: string;
  needAll: string;
  thanks: string;
  thanksFor: (number: string) => string;
  queuedOffline: string;
  notQueued: string;
  rateNext: (left: number) => string;
  failed: string;
  submitFailed: string;
}
