import { KioskErrorCode } from '../../../common/contract/errors.js';
import { CardRejectReason, PrinterState, PrintState, ScanKind, VisitorCardType } from '../../../common/contract/kiosk-api.js';
import { Priority } from '../../../common/domain/priority.js';
import { journeysEn } from './strings-journeys-en.js';
import { technicianEn } from './strings-technician-en.js';
import type { Dictionary } from './dictionary.js';

export const en: Dictionary = {
  hallNameLoading: 'Government Service Hall',
  chooseService: 'Please choose a service',
  loadingServices: 'Loading services…',
  takingTicket: 'Taking your number, please wait…',
  languageToggleLabel: 'Switch language',
  offlineNotice: 'Network interrupted — tickets are still issued',
  printerNotice: {
    [PrinterState.Ready]: null,
    [PrinterState.Unknown]: null,
    [PrinterState.PaperNearEnd]: null,
    [PrinterState.PaperOut]: 'The printer is out of paper — your number will be shown on screen',
    [PrinterState.CoverOpen]: 'The printer cover is open — your number will be shown on screen',
    [PrinterState.Offline]: 'The printer is unavailable — your number will be shown on screen',
    [PrinterState.Error]: 'The printer has a fault — your number will be shown on screen',
  },
  ticketHeading: 'Your queue number',
  peopleAhead: (count, approximate) => {
    if (count === null) return 'People ahead of you: —';
    const people = count === 1 ? '1 person' : `${count} people`;
    return approximate ? `Approx. ${people} ahead of you` : `${people} ahead of you`;
  },
  issuedAt: (time) => `Issued at ${time}`,
  issuedOffline: 'Issued offline',
  printState: {
    [PrintState.Pending]: 'Printing…',
    [PrintState.Printing]: 'Printing…',
    [PrintState.Printed]: 'Printed — please take your ticket',
    [PrintState.Failed]: 'Printing failed — please photograph the number on screen',
    [PrintState.PossiblyPrinted]: 'If no ticket came out, please photograph the number on screen',
    [PrintState.OnScreenOnly]: 'Please photograph the number and QR code on screen',
  },
  qrCaption: 'Scan or photograph to keep your number',
  done: 'Done',
  autoReturnHint: 'This screen returns to the start automatically',
  errorByCode: {
    [KioskErrorCode.BadRequest]: 'Something went wrong with the request — please try again',
    [KioskErrorCode.UnknownMethod]: 'This action is not supported — please ask the staff',
    [KioskErrorCode.Unauthorized]: 'This terminal is not authorised — please ask the staff',
    [KioskErrorCode.NotFound]: 'Nothing was found',
    [KioskErrorCode.UnknownService]: 'This service is not available — please choose another',
    [KioskErrorCode.ServiceUnavailable]: 'The service is temporarily unavailable — please try again shortly',
    [KioskErrorCode.StorageFailure]: 'Terminal fault — please ask the staff',
    [KioskErrorCode.PrinterUnavailable]: 'The printer is unavailable — please ask the staff',
    [KioskErrorCode.AlreadyWaiting]: 'You already hold a number for this service — please wait to be called',
    [KioskErrorCode.WrongPin]: 'Wrong PIN',
    [KioskErrorCode.LockedOut]: 'Too many wrong PINs — please try again later',
    [KioskErrorCode.SessionExpired]: 'The session has expired — please enter the PIN again',
    [KioskErrorCode.DeviceNotConfigured]: 'This kiosk has no such device configured',
    [KioskErrorCode.DeviceBusy]: 'The device is busy — please try again shortly',
    [KioskErrorCode.AlreadyRated]: 'This ticket has been rated already — thank you',
    [KioskErrorCode.ServiceClosed]: 'This service is not taking tickets now — please see its opening hours',
    [KioskErrorCode.QuotaReached]: "Today's tickets for this service have all been issued — please come back on another day",
    [KioskErrorCode.Internal]: 'The system is busy — please try again shortly',
  },
  dismiss: 'Close',
  visitorGreeting: (maskedName) => `Hello, ${maskedName}`,
  visitorIdLabel: 'ID number',
  visitorChooseService: 'Please choose a service',
  cardType: {
    [VisitorCardType.Mainland]: 'Resident ID card',
    [VisitorCardType.HkMacauTaiwanResidence]: 'HK/Macau/Taiwan residence permit',
    [VisitorCardType.ForeignPermanentResidence2017]: 'Foreign permanent resident ID card',
    [VisitorCardType.ForeignPermanentResidence2023]: 'Foreign permanent resident ID card',
  },
  priorityBadge: {
    [Priority.Appointment]: 'Appointment priority',
    [Priority.Elderly]: 'Senior priority',
    [Priority.GreenChannel]: 'Green channel',
    [Priority.Normal]: null,
  },
  cardRejected: {
    [CardRejectReason.Expired]: 'This card has expired — please use a valid card, or choose a service without one',
    [CardRejectReason.Unreadable]: 'The card could not be read — please place it on the reader again',
  },
  scanNotice: {
    [ScanKind.Appointment]: 'Booking code recognised',
    [ScanKind.Certificate]: 'Certificate verification slip recognised',
    [ScanKind.Ticket]: 'Queue ticket of this hall recognised',
    [ScanKind.Unknown]: 'This code is not recognised',
    [ScanKind.Invalid]: 'Invalid code — please scan again',
  },
  readerUnavailable: 'The ID card reader is unavailable — you can still choose a service',
  ticketHolder: (maskedName) => `Holder: ${maskedName}`,
  ticketAppointment: (time) => `Appointment ${time}`,
  ticketAlreadyCheckedIn: 'You are checked in already — this is the number you got',
  ...journeysEn,
  technician: technicianEn,
};
