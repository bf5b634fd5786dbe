import { PortalErrorCode } from '../../../../common/contract/errors.js';
import type { ErrorMessages } from '../../shared/i18n/error-messages.js';
import type { CitizenDictionary } from './citizen-dictionary.js';

/** The error sentences of one journey: `not-found` says what was not found there. */
export function messagesFor(t: CitizenDictionary, journey: keyof CitizenDictionary['notFoundOn'] | null): ErrorMessages {
  return journey === null ? t.errorByCode : { ...t.errorByCode, [PortalErrorCode.NotFound]: t.notFoundOn[journey] };
}
