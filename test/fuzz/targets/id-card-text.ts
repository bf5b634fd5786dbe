/**
 * The ID card text decoder (mainland, J, I and Y layouts) over 256-byte blocks: cards encoded by
 * the simulator's encoder (the sample cards, and random valid cards with consistent birth dates
 * and GB 11643 numbers), then mutated by field (UCS-2 units a card must not hold: C0 and C1
 * controls, U+FFFD, lone surrogates, NULs; digits where letters belong, fullwidth digits, 长期),
 * by byte (flips, truncation, insertion), by type marker, and wholly random blocks.
 * Legitimate: IdCardTextError with its code (the decoder promises nothing else). Crashes: any
 * other throw, and a decoded card that breaks what the decoder promises: its type is the marker's,
 * every text is text (no control character, no U+FFFD, no lone surrogate), dates are calendar
 * dates, the number passes GB 11643 for its kind and agrees with the birth date.
 */
import { IdGender, IdNumberKind, gb11643CheckChar, isCalendarDate, validateIdNumber } from '../../../common/domain/id-number.js';
import { I_LAYOUT, J_LAYOUT, MAINLAND_LAYOUT, TEXT_BLOCK_LENGTH, TYPE_MARKER_OFFSET, Y_LAYOUT, type FieldSpan } from '../../../devices/id-card/id-card-layouts.js';
import { decodeIdCardText, IdCardTextError, IdCardTextErrorCode, IdCardType, idCardTypeOf, LONG_TERM, type IdCardData } from '../../../devices/id-card/id-card-text.js';
import { encodeIdCardText } from '../../../devices/id-card/simulator/card-text-encoder.js';
import { sampleCard, SampleCardName } from '../../../devices/id-card/simulator/sample-cards.js';
import { chance, int, pick, randomBytes, weighted, type Random } from '../fuzz-random.js';
import { check, countRejection, newCounters, type FuzzRunner, type FuzzTarget } from '../fuzz-target.js';
import { hex, mutate } from '../mutate.js';

/** The hall's business day the decoder is given (it bounds birth dates). */
export const FUZZ_TODAY = '2025-06-01';
const CODES = new Set<string>(Object.values(IdCardTextErrorCode));
const LAYOUTS: Record<IdCardType, Record<string, FieldSpan>> = {
  [IdCardType.Mainland]: MAINLAND_LAYOUT,
  [IdCardType.HkMacauTaiwanResidence]: J_LAYOUT,
  [IdCardType.ForeignPermanentResidence2017]: I_LAYOUT,
  [IdCardType.ForeignPermanentResidence2023]: Y_LAYOUT,
};
const SAMPLES = Object.values(SampleCardName).map((name) => sampleCard(name));
const CJK = [...'张王李赵陈刘杨黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤䶮𠮷𡈼'];
const LATIN = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ -'];

/** UCS-2 units a field may be given: the ones a card holds, and the ones it must not. */
function unit(r: Random): number[] {
  return weighted(r, [
    [20, () => [0x30 + int(r, 0, 9)]],
    [10, () => [0x41 + int(r, 0, 25)]],
    [10, () => [(pick(r, CJK).codePointAt(0) ?? 0x4e00) & 0xffff]],
    [6, () => [0x20]],
    [6, () => [0x00]],
    [5, () => [int(r, 0x01, 0x1f)]],
    [3, () => [0x7f]],
    [5, () => [int(r, 0x80, 0x9f)]],
    [4, () => [0xfffd]],
    [5, () => [int(r, 0xd800, 0xdbff)]],
    [5, () => [int(r, 0xdc00, 0xdfff)]],
    [4, () => [int(r, 0xd800, 0xdbff), int(r, 0xdc00, 0xdfff)]],
    [3, () => [pick(r, [0x3000, 0xfeff, 0x200b, 0x202e, 0x00a0, 0x2028])]],
    [3, () => [0xff10 + int(r, 0, 9)]],
    [2, () => [0x957f, 0x671f]],
    [4, () => [int(r, 0, 0xffff)]],
  ] as const)();
}

function overwriteField(r: Random, block: Buffer, span: FieldSpan): Buffer {
  const out = Buffer.from(block);
  const units: number[] = [];
  const count = int(r, 0, span.length / 2);
  while (units.length < count) units.push(...unit(r));
  if (chance(r, 0.5)) out.fill(0, span.offset, span.offset + span.length);
  else for (let i = 0; i < span.length; i += 2) out.writeUInt16LE(0x20, span.offset + i);
  units.slice(0, span.length / 2).forEach((u, i) => out.writeUInt16LE(u, span.offset + 2 * i));
  return out;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** A card of the sample's type with a random name, birth date and a number that fits them. */
function randomCard(r: Random): IdCardData {
  const card = structuredClone(pick(r, SAMPLES));
  const birthDate = `${int(r, 1900, 2025)}-${pad(int(r, 1, 12), 2)}-${pad(int(r, 1, 28), 2)}`;
  if (birthDate <= FUZZ_TODAY) card.birthDate = birthDate;
  const born = card.birthDate.replaceAll('-', '');
  const seq = pad(int(r, 0, 999), 3);
  switch (card.cardType) {
    case IdCardType.Mainland:
      card.idNumber = withCheck(`${pick(r, ['110101', '310101', '440304', '640104'])}${born}${seq}`);
      break;
    case IdCardType.HkMacauTaiwanResidence:
      card.idNumber = withCheck(`${pick(r, ['810000', '820000', '830000'])}${born}${seq}`);
      break;
    case IdCardType.ForeignPermanentResidence2023:
      card.idNumber = withCheck(`9${pad(int(r, 0, 99_999), 5)}${born}${seq}`);
      break;
    case IdCardType.ForeignPermanentResidence2017:
      card.idNumber = `${pick(r, ['USA', 'DEU', 'FRA', 'JPN'])}${pad(int(r, 0, 999_999), 6)}${born.slice(2)}`;
      break;
  }
  const nameLength = int(r, 1, 7);
  card.name = Array.from({ length: nameLength }, () => pick(r, CJK)).join('').slice(0, 14);
  if (card.nameEn !== undefined) card.nameEn = Array.from({ length: int(r, 1, 40) }, () => pick(r, LATIN)).join('').trim() || 'X';
  if (card.cardType === IdCardType.ForeignPermanentResidence2017) card.nameEn = card.nameEn?.slice(0, 60);
  card.gender = chance(r, 0.5) ? IdGender.Male : IdGender.Female;
  card.validTo = chance(r, 0.2) ? LONG_TERM : `${int(r, 2000, 2060)}-${pad(int(r, 1, 12), 2)}-${pad(int(r, 1, 28), 2)}`;
  return card;
}

function withCheck(first17: string): string {
  return first17 + gb11643CheckChar(first17);
}

function validBlock(r: Random): Buffer {
  if (chance(r, 0.3)) return encodeIdCardText(pick(r, SAMPLES));
  try {
    return encodeIdCardText(randomCard(r));
  } catch {
    // A random name that does not fit its field: the sample is as good a start.
    return encodeIdCardText(pick(r, SAMPLES));
  }
}

function generate(r: Random): Buffer {
  const mode = weighted(r, [
    [8, 'valid'],
    [45, 'field'],
    [25, 'bytes'],
    [7, 'marker'],
    [5, 'length'],
    [10, 'random'],
  ] as const);
  const block = validBlock(r);
  switch (mode) {
    case 'valid':
      return block;
    case 'field': {
      let out = block;
      const rounds = int(r, 1, 3);
      for (let i = 0; i < rounds; i++) {
        const layout = LAYOUTS[idCardTypeOf(out) ?? pick(r, Object.values(IdCardType))];
        out = overwriteField(r, out, pick(r, Object.values(layout)));
      }
      return out;
    }
    case 'bytes': {
      const out = mutate(r, block, [], 3);
      // Keep most at 256 bytes: the decoder's depth lies behind the length check.
      return out.length === TEXT_BLOCK_LENGTH || chance(r, 0.2) ? out : Buffer.concat([out, Buffer.alloc(TEXT_BLOCK_LENGTH, 0x20)]).subarray(0, TEXT_BLOCK_LENGTH);
    }
    case 'marker': {
      const out = Buffer.from(block);
      out.writeUInt16LE(pick(r, [0x20, 0x4a, 0x49, 0x59, 0x00, 0x6a, 0x5a, int(r, 0, 0xffff)]), TYPE_MARKER_OFFSET);
      return out;
    }
    case 'length':
      return chance(r, 0.5) ? block.subarray(0, int(r, 0, TEXT_BLOCK_LENGTH - 1)) : Buffer.concat([block, randomBytes(r, int(r, 1, 300))]);
    case 'random': {
      const out = randomBytes(r, TEXT_BLOCK_LENGTH);
      if (chance(r, 0.7)) out.writeUInt16LE(pick(r, [0x20, 0x4a, 0x49, 0x59]), TYPE_MARKER_OFFSET);
      return out;
    }
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
const CONTROL = /[\u0000-\u001f\u007f-\u009f\ufffd]/;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const EXPECTED_KIND: Partial<Record<IdCardType, IdNumberKind>> = {
  [IdCardType.Mainland]: IdNumberKind.Resident,
  [IdCardType.HkMacauTaiwanResidence]: IdNumberKind.HkMacauTaiwanResidence,
  [IdCardType.ForeignPermanentResidence2023]: IdNumberKind.ForeignPermanentResidence2023,
};

function checkDay(value: string, field: string): void {
  const m = ISO_DAY.exec(value);
  check(m !== null && isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3])), () => `${field} ${JSON.stringify(value)} is not a calendar date`);
}

/** What a decoded card promises, checked without the decoder's own helpers where it matters. */
function checkCard(card: IdCardData, block: Buffer): void {
  check(card.cardType === idCardTypeOf(block), () => `card type ${card.cardType} for marker ${hex(block.subarray(TYPE_MARKER_OFFSET, TYPE_MARKER_OFFSET + 2))}`);
  for (const [field, value] of Object.entries(card)) {
    const texts = typeof value === 'string' ? [value] : field === 'nation' ? [(value as { code: string }).code] : [];
    for (const text of texts) {
      check(!CONTROL.test(text), () => `${field} holds a control character or U+FFFD: ${JSON.stringify(text)}`);
      check(!LONE_SURROGATE.test(text), () => `${field} holds a lone surrogate: ${JSON.stringify(text)}`);
    }
  }
  check(card.name.length > 0, () => 'empty name');
  check(card.gender === IdGender.Male || card.gender === IdGender.Female, () => `gender ${String(card.gender)}`);
  checkDay(card.birthDate, 'birthDate');
  check(card.birthDate <= FUZZ_TODAY, () => `birthDate ${card.birthDate} after today`);
  checkDay(card.validFrom, 'validFrom');
  if (card.validTo !== LONG_TERM) checkDay(card.validTo, 'validTo');
  const kind = EXPECTED_KIND[card.cardType];
  if (kind) {
    const valid = validateIdNumber(card.idNumber, FUZZ_TODAY);
    check(valid.idNumber === card.idNumber && valid.kind === kind, () => `number of kind ${valid.kind} on a ${card.cardType} card`);
    check(valid.birthDate === card.birthDate, () => 'number and birth date disagree');
  } else {
    check(/^[A-Z]{3}\d{12}$/.test(card.idNumber), () => `2017 permit number ${JSON.stringify(card.idNumber)}`);
  }
  if (card.nation) check(/^\d{2}$/.test(card.nation.code), () => `nation code ${JSON.stringify(card.nation?.code)}`);
  if (card.issueCount !== undefined) check(Number.isInteger(card.issueCount) && card.issueCount >= 0 && card.issueCount <= 99, () => `issue count ${card.issueCount}`);
}

class IdCardTextRunner implements FuzzRunner<Buffer> {
  readonly counters = newCounters();

  run(block: Buffer): void {
    let card: IdCardData;
    try {
      card = decodeIdCardText(block, { today: FUZZ_TODAY });
    } catch (err) {
      if (err instanceof IdCardTextError && CODES.has(err.code)) {
        countRejection(this.counters, err.code);
        return;
      }
      throw err;
    }
    checkCard(card, block);
    this.counters.accepted++;
  }

  close(): void {}
}

export const idCardTextTarget: FuzzTarget<Buffer> = {
  name: 'id-card-text',
  generate,
  describe: hex,
  createRunner: () => new IdCardTextRunner(),
};
