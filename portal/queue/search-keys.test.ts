import { describe, expect, it } from 'vitest';
import { matchesQuery, searchServices } from '../../common/domain/guide-search.js';
import { MAX_SEARCH_KEYS, searchKeysOf } from './search-keys.js';

describe('searchKeysOf (pinyin-pro)', () => {
  it('keys 住房公积金 by its full pinyin and initials, whole and by word', () => {
    const keys = searchKeysOf('住房公积金');
    expect(keys.slice(0, 2)).toEqual(['zhufanggongjijin', 'zfgjj']);
    expect(keys).toEqual(expect.arrayContaining(['gongjijin', 'gjj']));
    for (const key of keys) expect(key).toMatch(/^[a-z]{1,64}$/);
  });

  it('reads a character with several readings as its word does', () => {
    expect(searchKeysOf('重庆银行')).toEqual(expect.arrayContaining(['chongqingyinhang', 'cqyh', 'yinhang']));
    expect(searchKeysOf('重庆银行')).not.toContain('zhongqingyinxing');
  });

  it('parts a name at punctuation and keeps Latin letters as a word', () => {
    const keys = searchKeysOf('市场监管/企业开办');
    expect(keys).toEqual(expect.arrayContaining(['shichangjianguanqiyekaiban', 'scjgqykb', 'qiyekaiban', 'qykb', 'shichangjianguan']));
    expect(searchKeysOf('ETC办理')).toEqual(expect.arrayContaining(['etcbanli', 'ebl', 'banli']));
  });

  it('writes ü as v, and never more keys than the contract allows', () => {
    expect(searchKeysOf('旅游')).toContain('lvyou');
    expect(searchKeysOf('中华人民共和国居民身份证申领换领补领').length).toBe(MAX_SEARCH_KEYS);
  });

  it('finds 住房公积金 by gjj through the common search rule, and not 社会保障', () => {
    const services = [
      { name: { zh: '社会保障', en: 'Social Insurance' }, searchKeys: searchKeysOf('社会保障') },
      { name: { zh: '住房公积金', en: 'Housing Provident Fund' }, searchKeys: searchKeysOf('住房公积金') },
    ];
    expect(searchServices(services, 'gjj').map((s) => s.name.zh)).toEqual(['住房公积金']);
    expect(matchesQuery(services[0]!, 'shbz')).toBe(true);
  });
});
