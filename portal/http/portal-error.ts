import { z } from 'zod';
import { PortalErrorCode, type PortalErrorBody } from '../../common/contract/errors.js';

const STATUS_BY_CODE: Readonly<Record<PortalErrorCode, number>> = {
  [PortalErrorCode.BadRequest]: 400,
  [PortalErrorCode.Unauthorized]: 401,
  [PortalErrorCode.NotFound]: 404,
  [PortalErrorCode.UnknownService]: 404,
  [PortalErrorCode.InvalidTransition]: 409,
  [PortalErrorCode.Conflict]: 409,
  [PortalErrorCode.AlreadyWaiting]: 409,
  [PortalErrorCode.BandCap]: 409,
  [PortalErrorCode.RateLimited]: 429,
  [PortalErrorCode.Forbidden]: 403,
  [PortalErrorCode.Csrf]: 403,
  [PortalErrorCode.LockedOut]: 423,
  [PortalErrorCode.CounterBusy]: 409,
  [PortalErrorCode.CounterPaused]: 409,
  [PortalErrorCode.CounterSignedOut]: 409,
  [PortalErrorCode.CounterTaken]: 409,
  [PortalErrorCode.DuplicateCaseNumber]: 409,
  [PortalErrorCode.NotRateable]: 409,
  [PortalErrorCode.AlreadyRated]: 409,
  [PortalErrorCode.SlotFull]: 409,
  [PortalErrorCode.NoSuchSlot]: 404,
  [PortalErrorCode.OutsideBookingWindow]: 409,
  [PortalErrorCode.ClosedDay]: 409,
  [PortalErrorCode.AlreadyBooked]: 409,
  [PortalErrorCode.HoldExpired]: 410,
  [PortalErrorCode.NotBookable]: 409,
  [PortalErrorCode.StaleVersion]: 409,
  [PortalErrorCode.PrefixInUse]: 409,
  [PortalErrorCode.PrefixTaken]: 409,
  [PortalErrorCode.DigitTaken]: 409,
  [PortalErrorCode.KioskActive]: 409,
  [PortalErrorCode.DayInProgress]: 409,
  [PortalErrorCode.DailyQuota]: 409,
  [PortalErrorCode.ServiceClosed]: 409,
  [PortalErrorCode.CounterNotAllowed]: 403,
  [PortalErrorCode.ServiceUnavailable]: 503,
  [PortalErrorCode.Internal]: 500,
};

/** A coded error of the portal API; only `code` and `message` are ever sent (plus `headers`, e.g. Allow). */
export class PortalError extends Error {
  readonly code: PortalErrorCode;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  constructor(
    code: PortalErrorCode,
    message: string,
    options?: { status?: number; cause?: unknown; headers?: Record<string, string> },
  ) {
    super(message, options);
    this.name = 'PortalError';
    this.code = code;
    this.status = options?.status ?? STATUS_BY_CODE[code];
    this.headers = options?.headers ?? {};
  }

  toBody(): PortalErrorBody {
    return { code: this.code, message: this.message };
  }
}

const MAX_ISSUES_SHOWN = 3;

/** `events.0.payload.number: ticket number like A023 or A2-047 (+2 more issues)` */
export function summariseZodError(error: z.ZodError): string {
  const shown = error.issues.slice(0, MAX_ISSUES_SHOWN).map((issue) => {
    const where = issue.path.length > 0 ? issue.path.map(String).join('.') : '(body)';
    return `${where}: ${issue.message}`;
  });
  const more = error.issues.length - shown.length;
  return shown.join('; ') + (more > 0 ? ` (+${more} more issues)` : '');
}

export function badRequestFromZod(error: z.ZodError, what: string): PortalError {
  return new PortalError(PortalErrorCode.BadRequest, `invalid ${what}: ${summariseZodError(error)}`);
}
