import {
  IdGender,
  IdNumberError,
  IdNumberKind,
  isCalendarDate,
  validateIdNumber,
} from '../../common/domain/id-number.js';
import { I_LAYOUT, J_LAYOUT, MAINLAND_LAYOUT, TEXT_BLOCK_LENGTH, TYPE_MARKER_OFFSET, Y_LAYOUT, type FieldSpan } from './id-card-layouts.js';
import { nationName } from './nations.js';

export { IdGender } from '../../common/domain/id-number.js';

export enum IdCardType {
  /** 居民身份证 */
  Mainland = 'mainland',
  /** 港澳台居民居住证, marker J */
  HkMacauTaiwanResidence = 'hk-macau-taiwan-residence',
  /** 外国人永久居留身份证 2017, marker I */
  ForeignPermanentResidence2017 = 'foreign-permanent-residence-2017',
  /** 外国人永久居留身份证 2023, marker Y */
  ForeignPermanentResidence2023 = 'foreign-permanent-residence-2023',
}

export const LONG_TERM = 'long-term';

/**
 * What the card says, decoded and validated. The photo is never part of it: the reader keeps it
 * opaque and reports only its length.
 */
export interface IdCardData {
  cardType: IdCardType;
  /** Chinese name; on a foreign card without one, the English name. */
  name: string;
  /** Foreign cards only. */
  nameEn?: string;
  gender: IdGender;
  /** YYYY-MM-DD */
  birthDate: string;
  /** The 18-character number (15 characters on a 2017 foreign card). */
  idNumber: string;
  /** Mainland only: two-digit GB 3304 code and its name (null for a code outside the table). */
  nation?: { code: string; name: string | null };
  /** Mainland and J. */
  address?: string;
  /** Issuing authority (mainland, J, Y). */
  authority?: string;
  /** 2017 foreign card: code of the accepting authority. */
  authorityCode?: string;
  /** YYYY-MM-DD */
  validFrom: string;
  /** YYYY-MM-DD or 'long-term' (长期). */
  validTo: string;
  /** Foreign cards: country code (ISO 3166 alpha-3 on the 2017 card). */
  nationality?: string;
  /** J: the HK/Macau/Taiwan travel permit number. */
  passNumber?: string;
  /** J: how many times the permit has been issued. */
  issueCount?: number;
  /** 2017 foreign card: card version. */
  cardVersion?: string;
}

export enum IdCardTextErrorCode {
  WrongLength = 'id-card-text.wrong-length',
  UnknownCardType = 'id-card-text.unknown-card-type',
  /** A field is empty, not text, or not in its format. */
  BadField = 'id-card-text.bad-field',
  /** The ID number fails GB 11643 (see `idNumberCode`). */
  BadIdNumber = 'id-card-text.bad-id-number',
}

export class IdCardTextError extends Error {
  readonly code: IdCardTextErrorCode;
  /** Which field, when one is to blame. */
  readonly field: string | undefined;
  constructor(code: IdCardTextErrorCode, message: string, field?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IdCardTextError';
    this.code = code;
    this.field = field;
  }
}

const MARKERS: Record<string, IdCardType> = {
  ' ': IdCardType.Mainland,
  J: IdCardType.HkMacauTaiwanResidence,
  I: IdCardType.ForeignPermanentResidence2017,
  Y: IdCardType.ForeignPermanentResidence2023,
};

const utf16 = new TextDecoder('utf-16le', { fatal: false });

/**
 * C0 and C1 controls and DEL would end up on paper and screens (U+0085 breaks a line, U+009B
 * starts a terminal escape); U+FFFD marks a lone surrogate.
 */
function isNotText(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0xfffd;
}

/** Field text with the `20 00` padding (and stray NULs) trimmed; control characters rejected. */
function text(block: Uint8Array, span: FieldSpan, field: string): string {
  const raw = utf16.decode(block.subarray(span.offset, span.offset + span.length));
  let end = raw.length;
  while (end > 0 && (raw.charCodeAt(end - 1) === 0x20 || raw.charCodeAt(end - 1) === 0)) end--;
  let start = 0;
  while (start < end && raw.charCodeAt(start) === 0x20) start++;
  const value = raw.slice(start, end);
  for (let i = 0; i < value.length; i++) {
    if (isNotText(value.charCodeAt(i))) throw new IdCardTextError(IdCardTextErrorCode.BadField, `${field} holds characters that are not text`, field);
  }
  return value;
}

function required(block: Uint8Array, span: FieldSpan, field: string): string {
  const value = text(block, span, field);
  if (value === '') throw new IdCardTextError(IdCardTextErrorCode.BadField, `${field} is empty`, field);
  return value;
}

function date(block: Uint8Array, span: FieldSpan, field: string): string {
  const value = required(block, span, field);
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  if (!match || !isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]))) {
    throw new IdCardTextError(IdCardTextErrorCode.BadField, `${field} is not a YYYYMMDD date`, field);
  }
  return `${match[1]}-${match[2]}-${match[3]}`;
}

function validTo(block: Uint8Array, span: FieldSpan): string {
  return text(block, span, 'validTo') === '长期' ? LONG_TERM : date(block, span, 'validTo');
}

function gender(block: Uint8Array, span: FieldSpan): IdGender {
  const value = required(block, span, 'gender');
  if (value === '1') return IdGender.Male;
  if (value === '2') return IdGender.Female;
  throw new IdCardTextError(IdCardTextErrorCode.BadField, `gender code '${value}' is neither 1 nor 2`, 'gender');
}

function optional(value: string): string | undefined {
  return value === '' ? undefined : value;
}

/** GB 11643 check, the expected kind, and agreement with the card's own birth field. */
function idNumber(block: Uint8Array, span: FieldSpan, kind: IdNumberKind, birthDate: string, today: string): string {
  const value = required(block, span, 'idNumber');
  let valid;
  try {
    valid = validateIdNumber(value, today);
  } catch (err) {
    if (err instanceof IdNumberError) {
      throw new IdCardTextError(IdCardTextErrorCode.BadIdNumber, `ID number: ${err.message} (${err.code})`, 'idNumber', { cause: err });
    }
    throw err;
  }
  if (valid.kind !== kind) throw new IdCardTextError(IdCardTextErrorCode.BadIdNumber, `ID number is a ${valid.kind} number on a ${kind} card`, 'idNumber');
  if (valid.birthDate !== birthDate) throw new IdCardTextError(IdCardTextErrorCode.BadField, 'birth field and ID number disagree', 'birth');
  return valid.idNumber;
}

function decodeMainland(b: Uint8Array, today: string): IdCardData {
  const L = MAINLAND_LAYOUT;
  const birthDate = date(b, L.birth, 'birth');
  const nationCode = required(b, L.nation, 'nation');
  if (!/^\d{2}$/.test(nationCode)) throw new IdCardTextError(IdCardTextErrorCode.BadField, `nation code '${nationCode}' is not two digits`, 'nation');
  return {
    cardType: IdCardType.Mainland,
    name: required(b, L.name, 'name'),
    gender: gender(b, L.gender),
    nation: { code: nationCode, name: nationName(nationCode) },
    birthDate,
    address: required(b, L.address, 'address'),
    idNumber: idNumber(b, L.idNumber, IdNumberKind.Resident, birthDate, today),
    authority: required(b, L.authority, 'authority'),
    validFrom: date(b, L.validFrom, 'validFrom'),
    validTo: validTo(b, L.validTo),
  };
}

function decodeJ(b: Uint8Array, today: string): IdCardData {
  const L = J_LAYOUT;
  const birthDate = date(b, L.birth, 'birth');
  const issueCount = text(b, L.issueCount, 'issueCount');
  if (issueCount !== '' && !/^\d{1,2}$/.test(issueCount)) throw new IdCardTextError(IdCardTextErrorCode.BadField, 'issue count is not a number', 'issueCount');
  const card: IdCardData = {
    cardType: IdCardType.HkMacauTaiwanResidence,
    name: required(b, L.name, 'name'),
    gender: gender(b, L.gender),
    birthDate,
    address: required(b, L.address, 'address'),
    idNumber: idNumber(b, L.idNumber, IdNumberKind.HkMacauTaiwanResidence, birthDate, today),
    authority: required(b, L.authority, 'authority'),
    validFrom: date(b, L.validFrom, 'validFrom'),
    validTo: validTo(b, L.validTo),
  };
  const passNumber = optional(text(b, L.passNumber, 'passNumber'));
  if (passNumber !== undefined) card.passNumber = passNumber;
  if (issueCount !== '') card.issueCount = Number(issueCount);
  return card;
}

function decodeI(b: Uint8Array, today: string): IdCardData {
  const L = I_LAYOUT;
  const nameEn = required(b, L.nameEn, 'nameEn');
  const permit = required(b, L.permitNumber, 'permitNumber');
  if (!/^[A-Z]{3}\d{12}$/.test(permit)) throw new IdCardTextError(IdCardTextErrorCode.BadIdNumber, 'a 2017 permit number is 3 letters and 12 digits', 'idNumber');
  const nationality = required(b, L.nationality, 'nationality');
  if (!/^[A-Z]{3}$/.test(nationality)) throw new IdCardTextError(IdCardTextErrorCode.BadField, 'nationality is not a 3-letter code', 'nationality');
  const card: IdCardData = {
    cardType: IdCardType.ForeignPermanentResidence2017,
    name: optional(text(b, L.name, 'name')) ?? nameEn,
    nameEn,
    gender: gender(b, L.gender),
    birthDate: date(b, L.birth, 'birth'),
    idNumber: permit,
    validFrom: date(b, L.validFrom, 'validFrom'),
    validTo: validTo(b, L.validTo),
    nationality,
  };
  // The other layouts bound the birth date through their GB 11643 number; this permit number is
  // not one, so the date is bounded here.
  if (card.birthDate > today) throw new IdCardTextError(IdCardTextErrorCode.BadField, 'birth date is after today', 'birth');
  const version = optional(text(b, L.version, 'version'));
  if (version !== undefined) card.cardVersion = version;
  const authorityCode = optional(text(b, L.authorityCode, 'authorityCode'));
  if (authorityCode !== undefined) card.authorityCode = authorityCode;
  return card;
}

function decodeY(b: Uint8Array, today: string): IdCardData {
  const L = Y_LAYOUT;
  const birthDate = date(b, L.birth, 'birth');
  const nameEn = `${text(b, L.nameEn, 'nameEn')}${text(b, L.nameEnContinued, 'nameEnContinued')}`.trim();
  const chinese = text(b, L.name, 'name');
  if (chinese === '' && nameEn === '') throw new IdCardTextError(IdCardTextErrorCode.BadField, 'neither a Chinese nor an English name', 'name');
  const card: IdCardData = {
    cardType: IdCardType.ForeignPermanentResidence2023,
    name: chinese === '' ? nameEn : chinese,
    gender: gender(b, L.gender),
    birthDate,
    idNumber: idNumber(b, L.idNumber, IdNumberKind.ForeignPermanentResidence2023, birthDate, today),
    validFrom: date(b, L.validFrom, 'validFrom'),
    validTo: validTo(b, L.validTo),
  };
  if (nameEn !== '') card.nameEn = nameEn;
  const authority = optional(text(b, L.authority, 'authority'));
  if (authority !== undefined) card.authority = authority;
  const nationality = optional(text(b, L.nationality, 'nationality'));
  if (nationality !== undefined) card.nationality = nationality;
  return card;
}

export function idCardTypeOf(block: Uint8Array): IdCardType | null {
  const marker = String.fromCharCode((block[TYPE_MARKER_OFFSET] ?? 0) | ((block[TYPE_MARKER_OFFSET + 1] ?? 0) << 8));
  return MARKERS[marker] ?? null;
}

/**
 * Decodes the 256-byte text block of a 30 01 reply. `today` (YYYY-MM-DD, the hall's day) bounds
 * birth dates. Throws IdCardTextError; never anything else for any input bytes.
 */
export function decodeIdCardText(block: Uint8Array, opts: { today: string }): IdCardData {
  if (block.length !== TEXT_BLOCK_LENGTH) {
    throw new IdCardTextError(IdCardTextErrorCode.WrongLength, `text block is ${block.length} bytes, not ${TEXT_BLOCK_LENGTH}`);
  }
  const type = idCardTypeOf(block);
  switch (type) {
    case IdCardType.Mainland:
      return decodeMainland(block, opts.today);
    case IdCardType.HkMacauTaiwanResidence:
      return decodeJ(block, opts.today);
    case IdCardType.ForeignPermanentResidence2017:
      return decodeI(block, opts.today);
    case IdCardType.ForeignPermanentResidence2023:
      return decodeY(block, opts.today);
    default:
      throw new IdCardTextError(IdCardTextErrorCode.UnknownCardType, 'bytes 248-249 name no known card type', 'type');
  }
}

/** A card whose validity ended before `today` (YYYY-MM-DD). Long-term cards never expire. */
export function isIdCardExpired(card: Pick<IdCardData, 'validTo'>, today: string): boolean {
  return card.validTo !== LONG_TERM && card.validTo < today;
}
