import { describe, expect, it } from 'vitest';
import { CaseStatus, CertificateVerdict } from '../../../../common/contract/cases-api.js';
import { PortalErrorCode } from '../../../../common/contract/errors.js';
import { MaterialForm, ServiceChannel } from '../../../../common/contract/guide.js';
import { RatingLevel } from '../../../../common/contract/ratings-api.js';
import { IdNumberErrorCode } from '../../../../common/domain/id-number.js';
import { ClientErrorCode } from '../../shared/api/ui-error.js';
import { keyPaths, Language } from '../../shared/i18n/language.js';
import { CitizenPage } from '../routing/citizen-route.js';
import { citizenDictionaries } from './index.js';

describe('citizen dictionaries', () => {
  it('have exactly the same keys in Chinese and English, none empty', () => {
    const zh = keyPaths(citizenDictionaries[Language.Zh]).sort();
    expect(keyPaths(citizenDictionaries[Language.En]).sort()).toEqual(zh);
    expect(zh.length).toBeGreaterThan(150);
    const strings = (value: object): string[] =>
      Object.values(value).flatMap((inner: unknown) => (typeof inner === 'string' ? [inner] : inner !== null && typeof inner === 'object' ? strings(inner) : []));
    for (const t of Object.values(citizenDictionaries)) {
      expect(strings(t).length).toBeGreaterThan(150);
      expect(strings(t).filter((text) => text.trim() === '')).toEqual([]);
    }
  });

  it('word every value of each enum they are keyed by', () => {
    const sorted = (o: object) => Object.keys(o).sort();
    for (const t of Object.values(citizenDictionaries)) {
      expect(sorted(t.errorByCode)).toEqual([...Object.values(PortalErrorCode), ...Object.values(ClientErrorCode)].sort());
      expect(sorted(t.pageTitle)).toEqual(Object.values(CitizenPage).sort());
      expect(sorted(t.guide.channel)).toEqual(Object.values(ServiceChannel).sort());
      expect(sorted(t.guide.materialForm)).toEqual(Object.values(MaterialForm).sort());
      expect(sorted(t.booking.idProblem)).toEqual(Object.values(IdNumberErrorCode).sort());
      expect(sorted(t.progress.status)).toEqual(Object.values(CaseStatus).sort());
      expect(sorted(t.verify.verdictTitle)).toEqual(Object.values(CertificateVerdict).sort());
      expect(sorted(t.verify.verdictBody)).toEqual(Object.values(CertificateVerdict).sort());
      expect(sorted(t.rating.level)).toEqual(Object.values(RatingLevel).sort());
      expect(t.guide.weekdays).toHaveLength(7);
    }
  });

  it('name the five national rating levels and the four on-site dimensions in Chinese', () => {
    const zh = citizenDictionaries[Language.Zh];
    expect(Object.values(zh.rating.level)).toEqual(['非常满意', '满意', '基本满意', '不满意', '非常不满意']);
    expect(zh.rating.dimension).toEqual({ overall: '整体评价', efficiency: '办事效率', expertise: '业务水平', attitude: '服务态度' });
    expect(Object.values(zh.progress.status)).toEqual(['受理', '办理中', '办结', '不予受理', '待取件', '已取件']);
  });

  it('format counts and days in each language', () => {
    const [zh, en] = [citizenDictionaries[Language.Zh], citizenDictionaries[Language.En]];
    expect(zh.booking.slotPlaces(3)).toBe('余 3 个名额');
    expect(en.booking.slotPlaces(1)).toBe('1 place left');
    expect(zh.guide.workingDays(0)).toBe('即办（当场办结）');
    expect(en.guide.workingDays(5)).toBe('5 working days');
    expect(en.guide.materialCount(1)).toBe('1 copy');
    // The citizen's wording, not the clerk's: the booking codes say what to do next.
    expect(zh.errorByCode[PortalErrorCode.SlotFull]).toContain('其他时段');
    expect(en.errorByCode[PortalErrorCode.AlreadyRated]).toContain('once');
  });
});
