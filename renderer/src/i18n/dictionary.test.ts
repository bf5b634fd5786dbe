import { describe, expect, it } from 'vitest';
import { KioskErrorCode } from '../../../common/contract/errors.js';
import { PrinterState, PrintState } from '../../../common/contract/kiosk-api.js';
import { formatIssuedTime } from './format-time.js';
import { dictionaries, Language, localized, otherLanguage } from './index.js';

/** Every key path of a dictionary, nested records included, e.g. `printState.failed`. */
function keyPaths(value: object, prefix = ''): string[] {
  return Object.entries(value).flatMap(([key, inner]) =>
    inner !== null && typeof inner === 'object' ? keyPaths(inner as object, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

describe('i18n dictionaries', () => {
  it('have exactly the same keys in Chinese and English', () => {
    const zhKeys = keyPaths(dictionaries[Language.Zh]).sort();
    const enKeys = keyPaths(dictionaries[Language.En]).sort();
    expect(enKeys).toEqual(zhKeys);
    expect(zhKeys.length).toBeGreaterThan(20);
  });

  it('translate every error code, print state and printer state', () => {
    for (const t of Object.values(dictionaries)) {
      expect(Object.keys(t.errorByCode).sort()).toEqual(Object.values(KioskErrorCode).sort());
      expect(Object.keys(t.printState).sort()).toEqual(Object.values(PrintState).sort());
      expect(Object.keys(t.printerNotice).sort()).toEqual(Object.values(PrinterState).sort());
      for (const text of [...Object.values(t.errorByCode), ...Object.values(t.printState)]) expect(text.trim()).not.toBe('');
    }
  });

  it('tells the visitor about a printer that cannot print, and only then', () => {
    const zh = dictionaries[Language.Zh];
    expect(zh.printerNotice[PrinterState.PaperOut]).toBe('打印机缺纸，号码将显示在屏幕上');
    expect(zh.printerNotice[PrinterState.Ready]).toBeNull();
    expect(zh.printerNotice[PrinterState.Unknown]).toBeNull();
    for (const state of [PrinterState.PaperOut, PrinterState.CoverOpen, PrinterState.Offline, PrinterState.Error]) {
      expect(dictionaries[Language.En].printerNotice[state]).toMatch(/shown on screen/);
    }
  });

  it('words people ahead exactly, approximately and unknown', () => {
    const zh = dictionaries[Language.Zh];
    const en = dictionaries[Language.En];
    expect(zh.peopleAhead(3, false)).toBe('前面还有 3 人');
    expect(zh.peopleAhead(3, true)).toBe('前面还有约 3 人');
    expect(zh.peopleAhead(null, false)).toContain('—');
    expect(en.peopleAhead(1, false)).toBe('1 person ahead of you');
    expect(en.peopleAhead(12, true)).toBe('Approx. 12 people ahead of you');
    expect(en.peopleAhead(null, true)).toContain('—');
  });

  it('picks contract texts by language', () => {
    const name = { zh: '社保业务', en: 'Social insurance' };
    expect(localized(name, Language.Zh)).toBe('社保业务');
    expect(localized(name, Language.En)).toBe('Social insurance');
    expect(otherLanguage(Language.Zh)).toBe(Language.En);
    expect(otherLanguage(Language.En)).toBe(Language.Zh);
  });

  it('formats the issued time in the hall time zone, not the machine one', () => {
    expect(formatIssuedTime('2025-03-04T06:05:00.000Z', Language.Zh, 'Asia/Shanghai')).toBe('14:05');
    expect(formatIssuedTime('2025-03-04T06:05:00.000Z', Language.En, 'Asia/Urumqi')).toBe('12:05');
    // An unknown zone falls back rather than throwing.
    expect(formatIssuedTime('2025-03-04T06:05:00.000Z', Language.En, 'Not/AZone')).toMatch(/^\d\d:\d\d$/);
  });
});
