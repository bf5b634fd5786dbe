import type { KioskErrorCode } from '../../../common/contract/errors.js';
import type { PrinterState, PrintState } from '../../../common/contract/kiosk-api.js';

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
}
