import { gb11643CheckChar, IdGender } from '../../../common/domain/id-number.js';
import { IdCardType, LONG_TERM, type IdCardData } from '../id-card-text.js';

/** Cards the simulator can place by name (tests, the demo CLI's `place card <name>`). */
export enum SampleCardName {
  Mainland = 'mainland',
  /** HK/Macau/Taiwan residence permit (J). */
  HkMacauTaiwan = 'j',
  /** Foreign permanent residence card 2017 (I). */
  Foreign2017 = 'i',
  /** Foreign permanent residence card 2023 (Y). */
  Foreign2023 = 'y',
  /** A name with 䶮 (U+4DAE), outside GB2312/GBK: printed as raster. */
  RareName = 'rare-name',
  /** validTo in the past. */
  Expired = 'expired',
  /** Born 1950, long-term validity: elderly priority. */
  Elderly = 'elderly',
}

const withCheck = (body17: string): string => body17 + gb11643CheckChar(body17);

const CARDS: Record<SampleCardName, IdCardData> = {
  [SampleCardName.Mainland]: {
    cardType: IdCardType.Mainland,
    name: '张三',
    gender: IdGender.Male,
    nation: { code: '01', name: '汉' },
    birthDate: '1990-03-07',
    address: '北京市东城区景山前街4号',
    idNumber: withCheck('11010119900307123'),
    authority: '北京市公安局东城分局',
    validFrom: '2015-03-07',
    validTo: '2035-03-07',
  },
  [SampleCardName.HkMacauTaiwan]: {
    cardType: IdCardType.HkMacauTaiwanResidence,
    name: '陈大文',
    gender: IdGender.Male,
    birthDate: '1980-01-01',
    address: '广东省深圳市福田区福华三路88号',
    idNumber: withCheck('81000019800101001'),
    authority: '深圳市公安局',
    validFrom: '2020-01-01',
    validTo: '2030-01-01',
    passNumber: 'H12345678',
    issueCount: 1,
  },
  [SampleCardName.Foreign2017]: {
    cardType: IdCardType.ForeignPermanentResidence2017,
    name: '约翰',
    nameEn: 'SMITH JOHN',
    gender: IdGender.Male,
    birthDate: '1985-06-15',
    idNumber: 'USA110085061501',
    validFrom: '2017-06-16',
    validTo: '2027-06-15',
    nationality: 'USA',
    cardVersion: '01',
    authorityCode: '1100',
  },
  [SampleCardName.Foreign2023]: {
    cardType: IdCardType.ForeignPermanentResidence2023,
    name: '安娜',
    nameEn: 'SCHMIDT ANNA MARIA',
    gender: IdGender.Female,
    birthDate: '1985-06-15',
    idNumber: withCheck('91156019850615002'),
    authority: '国家移民管理局',
    validFrom: '2023-12-01',
    validTo: '2033-12-01',
    nationality: '276',
  },
  [SampleCardName.RareName]: {
    cardType: IdCardType.Mainland,
    name: '䶮华',
    gender: IdGender.Female,
    nation: { code: '01', name: '汉' },
    birthDate: '1995-11-11',
    address: '广东省广州市越秀区中山五路1号',
    idNumber: withCheck('44010419951111002'),
    authority: '广州市公安局越秀分局',
    validFrom: '2016-11-11',
    validTo: '2036-11-11',
  },
  [SampleCardName.Expired]: {
    cardType: IdCardType.Mainland,
    name: '李四',
    gender: IdGender.Male,
    nation: { code: '03', name: '回' },
    birthDate: '1975-08-20',
    address: '宁夏回族自治区银川市兴庆区解放西街2号',
    idNumber: withCheck('64010419750820003'),
    authority: '银川市公安局兴庆分局',
    validFrom: '2000-08-20',
    validTo: '2020-08-20',
  },
  [SampleCardName.Elderly]: {
    cardType: IdCardType.Mainland,
    name: '王秀英',
    gender: IdGender.Female,
    nation: { code: '01', name: '汉' },
    birthDate: '1950-05-05',
    address: '上海市黄浦区人民大道200号',
    idNumber: withCheck('31010119500505004'),
    authority: '上海市公安局黄浦分局',
    validFrom: '2010-05-05',
    validTo: LONG_TERM,
  },
};

export function sampleCard(name: SampleCardName): IdCardData {
  return structuredClone(CARDS[name]);
}

export function isSampleCardName(value: string): value is SampleCardName {
  return (Object.values(SampleCardName) as string[]).includes(value);
}
