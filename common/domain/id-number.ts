/**
 * 18-character identity numbers that follow GB 11643 (resident ID card, HK/Macau/Taiwan residence
 * permit) or copy its structure (the 2023 foreign permanent residence card, which starts with 9):
 * 6-digit area / issuing code, 8-digit birth date, 3-digit sequence (odd = male), check character.
 *
 * Pure: `today` is injected as `YYYY-MM-DD` (the hall's business day), never read from a clock.
 * Region codes are not checked against a table: the tables drift and a real card must never be
 * turned away because a county was renamed.
 */

export enum IdNumberErrorCode {
  /** Not 17 digits followed by a digit or X. */
  Format = 'id-number.format',
  /** The check character does not match (ISO 7064 MOD 11-2). */
  CheckChar = 'id-number.check-char',
  /** Positions 7-14 are not a calendar date. */
  BirthDate = 'id-number.birth-date',
  /** The birth date lies after `today`. */
  FutureBirthDate = 'id-number.future-birth-date',
  /** A date argument is not `YYYY-MM-DD` or not a calendar date. */
  BadDateArgument = 'id-number.bad-date-argument',
  /** Valid GB 11643 number, but not the kind the caller asked for (e.g. a Y card must start with 9). */
  WrongKind = 'id-number.wrong-kind',
}

export class IdNumberError extends Error {
  readonly code: IdNumberErrorCode;
  constructor(code: IdNumberErrorCode, message: string) {
    super(message);
    this.name = 'IdNumberError';
    this.code = code;
  }
}

export enum IdNumberKind {
  /** 居民身份证: first digit 1-8 (province codes), or anything else not covered below. */
  Resident = 'resident',
  /** 港澳台居民居住证: 810000 Hong Kong, 820000 Macau, 830000 Taiwan. */
  HkMacauTaiwanResidence = 'hk-macau-taiwan-residence',
  /** 外国人永久居留身份证 (2023): starts with 9. */
  ForeignPermanentResidence2023 = 'foreign-permanent-residence-2023',
}

export enum IdGender {
  Male = 'male',
  Female = 'female',
}

export interface ValidIdNumber {
  /** Upper-case: a trailing `x` typed by hand is normalised to `X`. */
  idNumber: string;
  kind: IdNumberKind;
  /** `YYYY-MM-DD` */
  birthDate: string;
  gender: IdGender;
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';
const SHAPE = /^\d{17}[\dX]$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** A proleptic Gregorian date; years before 1800 are not birth dates of living people. */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) && Number.isInteger(month) && Number.isInteger(day) &&
    year >= 1800 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
  );
}

/** The check character (ISO 7064 MOD 11-2) for the first 17 digits. */
export function gb11643CheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new IdNumberError(IdNumberErrorCode.Format, 'need exactly 17 digits to compute a check character');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS[sum % 11] ?? '?';
}

function parseIsoDate(value: string, what: string): { y: number; m: number; d: number } {
  const match = ISO_DATE.exec(value);
  const y = Number(match?.[1]);
  const m = Number(match?.[2]);
  const d = Number(match?.[3]);
  if (!match || !isCalendarDate(y, m, d)) throw new IdNumberError(IdNumberErrorCode.BadDateArgument, `${what} must be a YYYY-MM-DD calendar date, got '${value}'`);
  return { y, m, d };
}

function normalise(id: string): string {
  const trimmed = id.trim();
  return trimmed.endsWith('x') ? `${trimmed.slice(0, -1)}X` : trimmed;
}

/** `YYYY-MM-DD` from positions 7-14, checked strictly (days per month, leap years). */
export function birthDateOf(id: string): string {
  const value = normalise(id);
  if (!SHAPE.test(value)) throw new IdNumberError(IdNumberErrorCode.Format, 'an ID number is 17 digits and a digit or X');
  const y = Number(value.slice(6, 10));
  const m = Number(value.slice(10, 12));
  const d = Number(value.slice(12, 14));
  if (!isCalendarDate(y, m, d)) throw new IdNumberError(IdNumberErrorCode.BirthDate, `birth date ${value.slice(6, 14)} is not a calendar date`);
  return `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
}

/** Whole years completed on `today`; someone born on 29 February turns a year older on 1 March. */
export function ageOn(birth: string, today: string): number {
  const b = parseIsoDate(birth, 'birth');
  const t = parseIsoDate(today, 'today');
  if (birth > today) throw new IdNumberError(IdNumberErrorCode.FutureBirthDate, `birth ${birth} is after ${today}`);
  const hadBirthday = t.m > b.m || (t.m === b.m && t.d >= b.d);
  return t.y - b.y - (hadBirthday ? 0 : 1);
}

export function idNumberKindOf(id: string): IdNumberKind {
  if (id.startsWith('9')) return IdNumberKind.ForeignPermanentResidence2023;
  if (/^8[123]0000/.test(id)) return IdNumberKind.HkMacauTaiwanResidence;
  return IdNumberKind.Resident;
}

/**
 * Validates any 18-character GB 11643-structured number: shape, check character, strict birth
 * date not after `today`. Throws IdNumberError.
 */
export function validateIdNumber(id: string, today: string): ValidIdNumber {
  const todayDate = parseIsoDate(today, 'today');
  const value = normalise(id);
  if (!SHAPE.test(value)) throw new IdNumberError(IdNumberErrorCode.Format, 'an ID number is 17 digits and a digit or X');
  const expected = gb11643CheckChar(value.slice(0, 17));
  if (value[17] !== expected) throw new IdNumberError(IdNumberErrorCode.CheckChar, 'the check character does not match');
  const birthDate = birthDateOf(value);
  const todayIso = `${String(todayDate.y).padStart(4, '0')}-${String(todayDate.m).padStart(2, '0')}-${String(todayDate.d).padStart(2, '0')}`;
  if (birthDate > todayIso) throw new IdNumberError(IdNumberErrorCode.FutureBirthDate, `birth date ${birthDate} is after ${todayIso}`);
  return {
    idNumber: value,
    kind: idNumberKindOf(value),
    birthDate,
    gender: Number(value[16]) % 2 === 1 ? IdGender.Male : IdGender.Female,
  };
}

/**
 * The 2023 foreign permanent residence card number (Y card): 18 characters, first `9`, MOD 11-2
 * check character as GB 11643, birth date at the same positions.
 */
export function validateForeignPermanentResidenceNumber(id: string, today: string): ValidIdNumber {
  const valid = validateIdNumber(id, today);
  if (valid.kind !== IdNumberKind.ForeignPermanentResidence2023) {
    throw new IdNumberError(IdNumberErrorCode.WrongKind, 'a 2023 foreign permanent residence number starts with 9');
  }
  return valid;
}

/** The non-throwing form, for places that branch on the code. */
export function checkIdNumber(id: string, today: string): { ok: true; value: ValidIdNumber } | { ok: false; code: IdNumberErrorCode; message: string } {
  try {
    return { ok: true, value: validateIdNumber(id, today) };
  } catch (err) {
    if (err instanceof IdNumberError) return { ok: false, code: err.code, message: err.message };
    throw err;
  }
}
