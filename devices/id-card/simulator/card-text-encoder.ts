import { IdGender } from '../../../common/domain/id-number.js';
import { I_LAYOUT, J_LAYOUT, MAINLAND_LAYOUT, TEXT_BLOCK_LENGTH, TYPE_MARKER_OFFSET, Y_LAYOUT, type FieldSpan } from '../id-card-layouts.js';
import { IdCardType, LONG_TERM, type IdCardData } from '../id-card-text.js';

/**
 * The inverse of decodeIdCardText: builds the 256-byte UCS-2LE block a card holds, for the
 * simulator and for tests. Throws RangeError when a value does not fit its field.
 */
export function encodeIdCardText(card: IdCardData): Buffer {
  const block = Buffer.alloc(TEXT_BLOCK_LENGTH);
  for (let i = 0; i < TEXT_BLOCK_LENGTH; i += 2) block.writeUInt16LE(0x20, i);
  const put = (span: FieldSpan, value: string | undefined, field: string): void => {
    if (value === undefined) return;
    const bytes = Buffer.from(value, 'utf16le');
    if (bytes.length > span.length) throw new RangeError(`${field} '${value}' needs ${bytes.length} bytes; the field has ${span.length}`);
    bytes.copy(block, span.offset);
  };
  const ymd = (iso: string): string => iso.replaceAll('-', '');
  const to = card.validTo === LONG_TERM ? '长期' : ymd(card.validTo);
  const sex = card.gender === IdGender.Male ? '1' : '2';

  switch (card.cardType) {
    case IdCardType.Mainland: {
      const L = MAINLAND_LAYOUT;
      put(L.name, card.name, 'name');
      put(L.gender, sex, 'gender');
      put(L.nation, card.nation?.code ?? '01', 'nation');
      put(L.birth, ymd(card.birthDate), 'birth');
      put(L.address, card.address, 'address');
      put(L.idNumber, card.idNumber, 'idNumber');
      put(L.authority, card.authority, 'authority');
      put(L.validFrom, ymd(card.validFrom), 'validFrom');
      put(L.validTo, to, 'validTo');
      break;
    }
    case IdCardType.HkMacauTaiwanResidence: {
      const L = J_LAYOUT;
      put(L.name, card.name, 'name');
      put(L.gender, sex, 'gender');
      put(L.birth, ymd(card.birthDate), 'birth');
      put(L.address, card.address, 'address');
      put(L.idNumber, card.idNumber, 'idNumber');
      put(L.authority, card.authority, 'authority');
      put(L.validFrom, ymd(card.validFrom), 'validFrom');
      put(L.validTo, to, 'validTo');
      put(L.passNumber, card.passNumber, 'passNumber');
      put(L.issueCount, card.issueCount === undefined ? undefined : String(card.issueCount).padStart(2, '0'), 'issueCount');
      put(L.type, 'J', 'type');
      break;
    }
    case IdCardType.ForeignPermanentResidence2017: {
      const L = I_LAYOUT;
      put(L.nameEn, card.nameEn ?? card.name, 'nameEn');
      put(L.gender, sex, 'gender');
      put(L.permitNumber, card.idNumber, 'permitNumber');
      put(L.nationality, card.nationality, 'nationality');
      put(L.name, card.name === card.nameEn ? undefined : card.name, 'name');
      put(L.validFrom, ymd(card.validFrom), 'validFrom');
      put(L.validTo, to, 'validTo');
      put(L.birth, ymd(card.birthDate), 'birth');
      put(L.version, card.cardVersion, 'version');
      put(L.authorityCode, card.authorityCode, 'authorityCode');
      put(L.type, 'I', 'type');
      break;
    }
    case IdCardType.ForeignPermanentResidence2023: {
      const L = Y_LAYOUT;
      const nameEn = card.nameEn ?? '';
      const head = nameEn.slice(0, L.nameEn.length / 2);
      put(L.name, card.name === card.nameEn ? undefined : card.name, 'name');
      put(L.gender, sex, 'gender');
      put(L.birth, ymd(card.birthDate), 'birth');
      put(L.nameEn, head, 'nameEn');
      put(L.nameEnContinued, nameEn.slice(head.length), 'nameEnContinued');
      put(L.idNumber, card.idNumber, 'idNumber');
      put(L.authority, card.authority, 'authority');
      put(L.validFrom, ymd(card.validFrom), 'validFrom');
      put(L.validTo, to, 'validTo');
      put(L.nationality, card.nationality, 'nationality');
      put(L.type, 'Y', 'type');
      break;
    }
  }
  if (card.cardType !== IdCardType.Mainland && block.readUInt16LE(TYPE_MARKER_OFFSET) === 0x20) {
    throw new RangeError('a non-mainland card needs its type marker');
  }
  return block;
}
