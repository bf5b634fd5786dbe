import { KioskErrorCode } from '../../../common/contract/errors.js';

/** What the screen needs to know about a failed call: the code picks the translated message. */
export interface UiError {
  code: KioskErrorCode;
  /** The core's own message, kept for diagnostics; the visitor sees the translation of `code`. */
  detail: string;
}

const knownCodes = new Set<string>(Object.values(KioskErrorCode));

function isKioskErrorCode(value: unknown): value is KioskErrorCode {
  return typeof value === 'string' && knownCodes.has(value);
}

/**
 * Reads the code off anything a KioskApi call rejected with. Duck-typed rather than instanceof:
 * the Electron preload's errors are built in another JavaScript world.
 */
export function toUiError(err: unknown): UiError {
  if (typeof err === 'object' && err !== null) {
    const { code, message } = err as { code?: unknown; message?: unknown };
    const detail = typeof message === 'string' ? message : '';
    if (isKioskErrorCode(code)) return { code, detail };
    return { code: KioskErrorCode.Internal, detail };
  }
  return { code: KioskErrorCode.Internal, detail: String(err) };
}
