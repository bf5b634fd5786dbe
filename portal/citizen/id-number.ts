import { gb11643CheckChar, isCalendarDate } from '../../common/domain/id-number.js';

/**
 * The portal's view of a GB 11643 number: which problem, if any, to name in a 400 (format, then
 * birth date, then check character). The arithmetic is common/domain/id-number.ts's, shared with
 * the kiosk's card decoder.
 */
export enum IdNumberProblem {
  Format = 'format',
  BirthDate = 'birth-date',
  CheckCharacter = 'check-character',
}

/** The check character the first 17 digits call for. */
export function idNumberCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('expected 17 digits');
  return gb11643CheckChar(first17);
}

/** Null when `idNumber` (any case of the final X) is a well-formed 18-character number. */
export function idNumberProblem(idNumber: string): IdNumberProblem | null {
  const upper = idNumber.toUpperCase();
  if (!/^\d{17}[\dX]$/.test(upper)) return IdNumberProblem.Format;
  if (!isCalendarDate(Number(upper.slice(6, 10)), Number(upper.slice(10, 12)), Number(upper.slice(12, 14)))) {
    return IdNumberProblem.BirthDate;
  }
  if (idNumberCheckCharacter(upper.slice(0, 17)) !== upper[17]) return IdNumberProblem.CheckCharacter;
  return null;
}
