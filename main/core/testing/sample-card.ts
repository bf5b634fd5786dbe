import { IdCardType, IdGender, LONG_TERM, type IdCardData } from '../../../devices/id-card/id-card-text.js';

/** A decoded mainland card whose name has a 生僻字 (䶮), born 1958-03-04. */
export function sampleCard(overrides: Partial<IdCardData> = {}): IdCardData {
  return {
    cardType: IdCardType.Mainland,
    name: '刘一䶮',
    gender: IdGender.Male,
    birthDate: '1958-03-04',
    idNumber: '110105195803040019',
    address: '北京市朝阳区某街道1号',
    authority: '北京市公安局朝阳分局',
    validFrom: '2018-01-01',
    validTo: LONG_TERM,
    ...overrides,
  };
}
