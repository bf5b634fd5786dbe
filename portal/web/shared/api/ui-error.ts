import { PortalErrorCode } from '../../../../common/contract/errors.js';

/** Failures that happen in the page, not at the portal. */
export enum ClientErrorCode {
  /** The portal could not be reached (network down, portal stopped). */
  Network = 'network',
  /** The portal answered something the contract does not allow (a version mismatch). */
  BadAnswer = 'bad-answer',
}

export type UiErrorCode = PortalErrorCode | ClientErrorCode;

/** What a page shows about a failed call: the code picks the translated message. */
export interface UiError {
  code: UiErrorCode;
  /** HTTP status, null when the portal was not reached. */
  status: number | null;
  /** The portal's own message, kept for diagnostics (English, for the log); people see the translation. */
  detail: string;
}

/** A coded failure of a portal call. */
export class PortalCallError extends Error implements UiError {
  readonly code: UiErrorCode;
  readonly status: number | null;
  readonly detail: string;
  constructor(code: UiErrorCode, status: number | null, detail: string, options?: { cause?: unknown }) {
    super(`${code}${status === null ? '' : ` (${status})`}: ${detail}`, options);
    this.name = 'PortalCallError';
    this.code = code;
    this.status = status;
    this.detail = detail;
  }
}

const portalCodes = new Set<string>(Object.values(PortalErrorCode));

export function isPortalErrorCode(value: unknown): value is PortalErrorCode {
  return typeof value === 'string' && portalCodes.has(value);
}

/** Reads a UiError off anything a call threw. */
export function toUiError(err: unknown): UiError {
  if (err instanceof PortalCallError) return { code: err.code, status: err.status, detail: err.detail };
  return { code: PortalErrorCode.Internal, status: null, detail: err instanceof Error ? err.message : String(err) };
}
