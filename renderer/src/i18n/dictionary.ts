import type { KioskErrorCode } from '../../../common/contract/errors.js';
import type { CardRejectReason, PrinterState, PrintState, ScanKind, VisitorCardType } from '../../../common/contract/kiosk-api.js';
import type { Priority } from '../../../common/domain/priority.js';
import type {
  CheckInDictionary,
  GuideDictionary,
  JourneysDictionary,
  ProgressDictionary,
  RatingDictionary,
  VerifyDictionary,
} from './journey-dictionary.js';
import type { TechnicianDictionary } from './technician-dictionary.js';

export enum Language {
  Zh = 'zh',
  En = 'en',
}

export const DEFAULT_LANGUAGE = Language.Zh;

/**
 * Every string the visitor sees. Both languages are typed as this interface, so a key present
 * in one and missing (or extra) in the other fails to compile.
 */
export interface Dictionary {
  /** Shown until the catalog has loaded. */
  hallNameLoading: string;
  chooseService: string;
  loadingServices: string;
  takingTicket: string;
  languageToggleLabel: string;
  offlineNotice: string;
  /** Visitor notice per printer state; null where the visitor need not be told. */
  printerNotice: Record<PrinterState, string | null>;
  ticketHeading: string;
  peopleAhead: (count: number | null, approximate: boolean) => string;
  issuedAt: (time: string) => string;
  issuedOffline: string;
  printState: Record<PrintState, string>;
  qrCaption: string;
  done: string;
  autoReturnHint: string;
  errorByCode: Record<KioskErrorCode, string>;
  dismiss: string;
  /** The identity panel after a card read: masked data only. */
  visitorGreeting: (maskedName: string) => string;
  visitorIdLabel: string;
  visitorChooseService: string;
  cardType: Record<VisitorCardType, string>;
  /** A badge for the priority the card earns; null where none is shown. */
  priorityBadge: Record<Priority, string | null>;
  cardRejected: Record<CardRejectReason, string>;
  scanNotice: Record<ScanKind, string>;
  /** Shown when the ID card reader cannot be used: tickets are still issued. */
  readerUnavailable: string;
  ticketHolder: (maskedName: string) => string;
  /** A check-in ticket's booked slot, "预约 09:30". */
  ticketAppointment: (time: string) => string;
  /** The ticket an earlier check-in of the same appointment got. */
  ticketAlreadyCheckedIn: string;
  journeys: JourneysDictionary;
  checkIn: CheckInDictionary;
  guide: GuideDictionary;
  progress: ProgressDictionary;
  verify: VerifyDictionary;
  rating: RatingDictionary;
  technician: TechnicianDictionary;
}
