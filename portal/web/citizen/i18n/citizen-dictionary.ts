import type { CertificateVerdict } from '../../../../common/contract/cases-api.js';
import type { CaseStatus } from '../../../../common/contract/cases-api.js';
import type { MaterialForm, ServiceChannel } from '../../../../common/contract/guide.js';
import type { RatingLevel } from '../../../../common/contract/ratings-api.js';
import type { IdNumberErrorCode } from '../../../../common/domain/id-number.js';
import type { ErrorMessages } from '../../shared/i18n/error-messages.js';
import type { CitizenPage } from '../routing/citizen-route.js';

/** The rated dimensions of 好差评, as the rating form asks them. */
export type RatingDimension = 'overall' | 'efficiency' | 'expertise' | 'attitude';

/**
 * Every string of the citizen pages, in both languages (typed: neither may miss a key, and each
 * enum-keyed record must word every value). Text from the portal (service names, guides, notes)
 * is never part of it: the pages show that as plain text.
 */
export interface CitizenDictionary {
  appTitle: string;
  skipToContent: string;
  navLabel: string;
  /** The heading (and tab title) of each page. */
  pageTitle: Record<CitizenPage, string>;
  /** The nav's short names; the guide's item leads to the service list. */
  navItem: Record<'guide' | 'book' | 'progress' | 'verify' | 'rate', string>;
  languageToggleLabel: string;
  loading: string;
  dismiss: string;
  retry: string;
  /** What the citizen reads about a failed call, by code. */
  errorByCode: ErrorMessages;
  /** `not-found` means something different on each page. */
  notFoundOn: Record<'cancel' | 'progress' | 'rate' | 'book', string>;

  hall: {
    chooseHeading: string;
    chooseIntro: string;
    none: string;
    unknown: string;
    change: string;
    label: string;
  };

  guide: {
    intro: string;
    searchLabel: string;
    searchHint: string;
    resultCount: (count: number) => string;
    noResults: (query: string) => string;
    noServices: string;
    bookableBadge: string;
    viewGuide: string;
    bookThis: string;
    channel: Record<ServiceChannel, string>;
    channelLabel: string;
    noGuide: string;
    unknownService: string;
    conditionsHeading: string;
    noConditions: string;
    materialsHeading: string;
    noMaterials: string;
    materialForm: Record<MaterialForm, string>;
    materialCount: (count: number) => string;
    feesHeading: string;
    timeLimitsHeading: string;
    legalLimitLabel: string;
    promisedLimitLabel: string;
    workingDays: (days: number) => string;
    noLimit: string;
    whereWhenHeading: string;
    locationLabel: string;
    hoursLabel: string;
    /** Monday first (ISO weekday 1 … 7). */
    weekdays: readonly [string, string, string, string, string, string, string];
    closed: string;
    noHours: string;
    calendarHeading: string;
    holiday: string;
    adjustedWorkday: (weekday: string) => string;
    bookingHeading: string;
    bookingRules: (firstDays: number, lastDays: number) => string;
    notBookable: string;
    backToList: string;
  };

  booking: {
    intro: string;
    chooseServiceHeading: string;
    noBookable: string;
    stepDay: string;
    stepSlot: string;
    stepId: string;
    stepConfirm: string;
    window: (first: string, last: string) => string;
    noSlots: string;
    dayPlaces: (available: number) => string;
    dayFull: string;
    chooseDayFirst: string;
    slotPlaces: (available: number) => string;
    slotFull: string;
    idLabel: string;
    idHint: string;
    idProblem: Record<IdNumberErrorCode, string>;
    holdButton: string;
    holding: string;
    heldHeading: string;
    heldIntro: string;
    countdownLabel: string;
    /** Said by a screen reader once a minute, not every second. */
    countdownAnnouncement: (minutes: number) => string;
    confirmButton: string;
    confirming: string;
    changeSlot: string;
    changeNote: string;
    expiredHeading: string;
    expiredBody: string;
    chooseAgain: string;
    serviceLabel: string;
    dayLabel: string;
    timeLabel: string;
    confirmedHeading: string;
    referenceLabel: string;
    qrLabel: (reference: string) => string;
    qrHint: string;
    checkInLabel: string;
    checkInWindow: (from: string, until: string) => string;
    cancelCodeLabel: string;
    cancelCodeWarning: string;
    printButton: string;
    cancelLink: string;
    anotherBooking: string;
    cancelOffer: string;
  };

  cancel: {
    intro: string;
    referenceLabel: string;
    referenceHint: string;
    referenceFormat: string;
    codeLabel: string;
    codeHint: string;
    codeFormat: string;
    button: string;
    busy: string;
    doneHeading: string;
    doneBody: (reference: string) => string;
  };

  progress: {
    intro: string;
    caseNumberLabel: string;
    caseNumberHint: string;
    caseNumberFormat: string;
    button: string;
    busy: string;
    caseHeading: (caseNumber: string) => string;
    status: Record<CaseStatus, string>;
    currentStatus: string;
    dueDay: string;
    timelineHeading: string;
    stepDone: string;
    stepCurrent: string;
    stepPending: string;
    certificateHeading: string;
    certificateTitle: string;
    holder: string;
    issued: string;
    certificateQrLabel: (title: string) => string;
    verificationCode: string;
    verifyThis: string;
  };

  verify: {
    intro: string;
    codeLabel: string;
    codeHint: string;
    empty: string;
    button: string;
    busy: string;
    verdictTitle: Record<CertificateVerdict, string>;
    verdictBody: Record<CertificateVerdict, string>;
    caseNumber: string;
  };

  rating: {
    intro: string;
    ticketHeading: (number: string) => string;
    typedIntro: string;
    numberLabel: string;
    numberHint: string;
    numberFormat: string;
    codeLabel: string;
    codeHint: string;
    codeFormat: string;
    continueButton: string;
    otherTicket: string;
    level: Record<RatingLevel, string>;
    dimension: Record<RatingDimension, string>;
    commentLabel: string;
    commentCount: (used: number, max: number) => string;
    chooseAll: string;
    button: string;
    busy: string;
    thanksHeading: string;
    thanksBody: (number: string) => string;
    poorFollowUp: string;
  };
}
