import { describe, expect, it } from 'vitest';
import { matchesQuery, searchServices } from './guide-search.js';

const fund = { id: 'housing-fund', name: { zh: '住房公积金', en: 'Housing Provident Fund' }, searchKeys: ['zhufanggongjijin', 'zfgjj', 'gongjijin', 'gjj'] };
const tax = { id: 'tax', name: { zh: '税务', en: 'Taxation' }, searchKeys: ['shuiwu', 'sw'] };
const social = { id: 'social', name: { zh: '社会保障', en: 'Social Insurance' }, searchKeys: ['shehuibaozhang', 'shbz'] };

describe('guide search', () => {
  it('finds by pinyin initials, full pinyin, Chinese and English name', () => {
    expect(matchesQuery(fund, 'gjj')).toBe(true);
    expect(matchesQuery(fund, 'Gong Ji Jin')).toBe(true);
    expect(matchesQuery(fund, '公积金')).toBe(true);
    expect(matchesQuery(fund, 'provident')).toBe(true);
    expect(matchesQuery(fund, 'sw')).toBe(false);
  });

  it('puts exact and prefix matches first and keeps catalog order otherwise', () => {
    expect(searchServices([social, tax, fund], 's').map((s) => s.id)).toEqual(['social', 'tax', 'housing-fund']);
    expect(searchServices([social, tax, fund], 'sw').map((s) => s.id)).toEqual(['tax']);
    expect(searchServices([social, tax, fund], '').map((s) => s.id)).toEqual(['social', 'tax', 'housing-fund']);
  });
});
