import { z } from 'zod';

/** The closed set of error codes that may cross the renderer <-> core bridge. */
export enum KioskErrorCode {
  BadRequest = 'bad-request',
  UnknownMethod = 'unknown-method',
  Unauthorized = 'unauthorized',
  NotFound = 'not-found',
  UnknownService = 'unknown-service',
  ServiceUnavailable = 'service-unavailable',
  StorageFailure = 'storage-failure',
  PrinterUnavailable = 'printer-unavailable',
  /** One waiting ticket per ID card per service: the visitor already holds one. */
  AlreadyWaiting = 'already-waiting',
  /** Technician login: the PIN does not match (the message says how many attempts are left). */
  WrongPin = 'wrong-pin',
  /** Too many wrong PINs: the technician screen is locked for a while. */
  LockedOut = 'locked-out',
  /** The technician session ended (timeout or logout): log in again. */
  SessionExpired = 'session-expired',
  /** The device is not in this kiosk's configuration. */
  DeviceNotConfigured = 'device-not-configured',
  /** The device is busy with another self-test. */
  DeviceBusy = 'device-busy',
  /** 好差评 一次一评: this ticket was rated from this kiosk already. */
  AlreadyRated = 'already-rated',
  /** The service takes tickets only in its opening hours, and it is closed now (the message gives today's hours). */
  ServiceClosed = 'service-closed',
  /** The service issued its daily quota of tickets: no more today. */
  QuotaReached = 'quota-reached',
  Internal = 'internal',
}

export const KioskErrorPayload = z.object({
  code: z.enum(KioskErrorCode),
  message: z.string(),
});
export type KioskErrorPayload = z.infer<typeof KioskErrorPayload>;

/** A coded error; only `code` and `message` ever leave the process. */
export class KioskError extends Error {
  readonly code: KioskErrorCode;
  constructor(code: KioskErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KioskError';
    this.code = code;
  }

  toPayload(): KioskErrorPayload {
    return { code: this.code, message: this.message };
  }
}

/** Turns anything thrown into a payload that is safe to send: no stack, no internals. */
export function toKioskErrorPayload(err: unknown): KioskErrorPayload {
  if (err instanceof KioskError) return err.toPayload();
  return { code: KioskErrorCode.Internal, message: 'internal error' };
}

/** Error codes of the portal HTTP API (kiosk sync and counter endpoints). */
export enum PortalErrorCode {
  BadRequest = 'bad-request',
  Unauthorized = 'unauthorized',
  NotFound = 'not-found',
  UnknownService = 'unknown-service',
  InvalidTransition = 'invalid-transition',
  Conflict = 'conflict',
  /** The citizen already holds a waiting ticket for this service (one per card per service). */
  AlreadyWaiting = 'already-waiting',
  /** The kiosk holds as many bands for this service and day as it may (409): it numbers from its series. */
  BandCap = 'band-cap',
  /** Too many requests from this token, or too many failed ones from this address (429). */
  RateLimited = 'rate-limited',
  /** Signed in, but the role is below what the route needs (403). */
  Forbidden = 'forbidden',
  /** A write with the session cookie lacks the session's X-CSRF-Token, or comes from another origin (403). */
  Csrf = 'csrf',
  /** Too many wrong passwords for this account: sign-in is locked for a while (423, Retry-After). */
  LockedOut = 'locked-out',
  /** The counter holds a called or serving ticket: finish, hold or transfer it first (409). */
  CounterBusy = 'counter-busy',
  /** The counter is paused: no calls until it is resumed (409). */
  CounterPaused = 'counter-paused',
  /** Nobody is signed in at the counter: sign in first (409). */
  CounterSignedOut = 'counter-signed-out',
  /** Someone else is signed in at the counter (409). */
  CounterTaken = 'counter-taken',
  /** 办件: the hall already has a case with this number; the completion that named it did not happen (409). */
  DuplicateCaseNumber = 'duplicate-case-number',
  /** 好差评: the ticket is not one this caller may rate (unknown, not served yet, another hall's) (409). */
  NotRateable = 'not-rateable',
  /** 好差评: the ticket was rated already (一次一评): the first rating stands (409). */
  AlreadyRated = 'already-rated',
  /** Online booking: the slot has no place left (409); another slot may. */
  SlotFull = 'slot-full',
  /** Online booking: no slot of the service starts at that time on that day (404). */
  NoSuchSlot = 'no-such-slot',
  /** Online booking: the day is before the first or after the last bookable day (409). */
  OutsideBookingWindow = 'outside-booking-window',
  /** Online booking: the service (or the hall, by its calendar) is closed that day (409). */
  ClosedDay = 'closed-day',
  /** Online booking: the citizen already holds or booked this service on that day (409; one at a time). */
  AlreadyBooked = 'already-booked',
  /** Online booking: the hold ran out before it was confirmed, and the place went back (410). */
  HoldExpired = 'hold-expired',
  /** Online booking: the service is not booked online (409). */
  NotBookable = 'not-bookable',
  /** Configuration: the write names a version the thing no longer has; someone changed it meanwhile (409). Reload and edit again. */
  StaleVersion = 'stale-version',
  /** Configuration: the service has tickets today; its prefix changes after the day is over (409). */
  PrefixInUse = 'prefix-in-use',
  /** Configuration: another service of the hall has this prefix (409). */
  PrefixTaken = 'prefix-taken',
  /** Configuration: another active kiosk of the hall has this digit (409). */
  DigitTaken = 'digit-taken',
  /** Configuration: an active kiosk's digit marks numbers it may hold offline; revoke it first (409). */
  KioskActive = 'kiosk-active',
  /** Configuration: the hall has tickets today; its time zone and business-day start change after the day (409). */
  DayInProgress = 'day-in-progress',
  /** The service issued its daily quota of tickets today (409): the kiosk stops issuing. */
  DailyQuota = 'daily-quota',
  /** The hall takes tickets only in opening hours, and the service is closed now (409). */
  ServiceClosed = 'service-closed',
  /** Counter sign-in: this member of staff is not among those allowed at the counter (403). */
  CounterNotAllowed = 'counter-not-allowed',
  /** The portal is overloaded or its database does not answer in time (503): try again shortly. */
  ServiceUnavailable = 'service-unavailable',
  Internal = 'internal',
}

export const PortalErrorBody = z.object({
  code: z.enum(PortalErrorCode),
  message: z.string(),
});
export type PortalErrorBody = z.infer<typeof PortalErrorBody>;
