import { describe, expect, it } from 'vitest';
import { CaseStatus, CertificateVerdict } from '../../../common/contract/cases-api.js';
import { MaterialForm, ServiceChannel } from '../../../common/contract/guide.js';
import { CheckInOutcome, ScanKind } from '../../../common/contract/kiosk-api.js';
import { RatingLevel } from '../../../common/contract/ratings-api.js';
import { RatingDimension, RatingPhrase } from '../state/journeys/rating-draft.js';
import { JOURNEYS } from '../state/screen.js';
import { dictionaries, Language } from './index.js';

const sorted = (values: readonly string[]) => [...values].sort();

describe('journey strings', () => {
  it('word every outcome, status, verdict, level, dimension, phrase, form and channel in both languages', () => {
    for (const t of Object.values(dictionaries)) {
      expect(sorted(Object.keys(t.journeys.title))).toEqual(sorted(JOURNEYS));
      expect(sorted(Object.keys(t.checkIn.outcome))).toEqual(sorted(Object.values(CheckInOutcome)));
      expect(sorted(Object.keys(t.progress.status))).toEqual(sorted(Object.values(CaseStatus)));
      expect(sorted(Object.keys(t.verify.reason))).toEqual(sorted(Object.values(CertificateVerdict)));
      expect(sorted(Object.keys(t.rating.level))).toEqual(sorted(Object.values(RatingLevel)));
      expect(sorted(Object.keys(t.rating.dimension))).toEqual(sorted(Object.values(RatingDimension)));
      expect(sorted(Object.keys(t.rating.phrase))).toEqual(sorted(Object.values(RatingPhrase)));
      expect(sorted(Object.keys(t.guide.materialForm))).toEqual(sorted(Object.values(MaterialForm)));
      expect(sorted(Object.keys(t.guide.channel))).toEqual(sorted(Object.values(ServiceChannel)));
      expect(sorted(Object.keys(t.scanNotice))).toEqual(sorted(Object.values(ScanKind)));
      for (const text of [...Object.values(t.checkIn.outcome), ...Object.values(t.verify.reason), ...Object.values(t.rating.level)]) {
        expect(text.trim()).not.toBe('');
      }
    }
  });

  it('names the five levels as the national standard does', () => {
    expect(Object.values(dictionaries[Language.Zh].rating.level)).toEqual(['非常满意', '满意', '基本满意', '不满意', '非常不满意']);
  });

  it('words the appointment on the ticket and the age of cached cases', () => {
    const zh = dictionaries[Language.Zh];
    const en = dictionaries[Language.En];
    expect(zh.ticketAppointment('09:30')).toBe('预约 09:30');
    expect(en.ticketAppointment('09:30')).toBe('Appointment 09:30');
    expect(zh.progress.cacheAge(5)).toBe('5 分钟前的数据');
    expect(en.progress.cacheAge(5)).toBe('As of 5 minutes ago');
    expect(en.progress.cacheAge(1)).toBe('As of 1 minute ago');
    expect(zh.progress.cacheAge(0)).toBe('不到 1 分钟前的数据');
    expect(zh.progress.cacheAge(150)).toBe('2 小时前的数据');
    expect(en.progress.cacheAge(3 * 24 * 60)).toBe('As of 3 days ago');
    expect(zh.progress.cacheAge(null)).toBe('本机保存的数据');
  });

  it('words time limits, including none and same day', () => {
    expect(dictionaries[Language.Zh].guide.legalLimit(20)).toBe('法定时限：20 个工作日');
    expect(dictionaries[Language.Zh].guide.promisedLimit(0)).toBe('承诺时限：即办');
    expect(dictionaries[Language.En].guide.legalLimit(null)).toBe('Legal time limit: none');
    expect(dictionaries[Language.En].guide.promisedLimit(1)).toBe('Promised time limit: 1 working day');
  });
});
