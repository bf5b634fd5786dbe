import { describe, expect, it } from 'vitest';
import { MaterialForm } from '../../common/contract/guide.js';
import { composeGuideReceipt, type GuideReceipt } from './guide-receipt.js';
import { decodeEscPos } from './simulator/escpos-decoder.js';

function sample(overrides: Partial<GuideReceipt> = {}): GuideReceipt {
  return {
    hallName: { zh: '市民中心', en: 'Civic Centre' },
    serviceName: { zh: '住房公积金', en: 'Housing fund' },
    materials: [
      { name: { zh: '居民身份证', en: 'Resident ID card' }, form: MaterialForm.Original, count: 1, note: null },
      { name: { zh: '劳动合同', en: 'Employment contract' }, form: MaterialForm.OriginalAndCopy, count: 2, note: { zh: '加盖公章', en: 'stamped' } },
      { name: { zh: '户口簿', en: 'Household register' }, form: MaterialForm.Copy, count: 1, note: null },
    ],
    fees: { zh: '不收费', en: 'Free of charge' },
    location: { zh: '二楼 12 号窗口', en: 'Floor 2, window 12' },
    promisedTimeLimitDays: 5,
    // 02:00Z is 10:00 in Shanghai.
    printedAt: new Date('2025-03-10T02:00:00.000Z'),
    timeZone: 'Asia/Shanghai',
    ...overrides,
  };
}

describe('composeGuideReceipt', () => {
  it('prints "请携带以下材料 / Please bring" with each material, its form and count, in both languages, then cuts', () => {
    const receipt = decodeEscPos(composeGuideReceipt(sample()));
    const bring = receipt.lines.indexOf('请携带以下材料 / Please bring');
    expect(bring).toBeGreaterThan(receipt.lines.indexOf('住房公积金'));
    expect(receipt.lines.slice(bring + 1, bring + 8)).toEqual([
      '1. 居民身份证 原件 1份',
      '   Resident ID card: original x1',
      '2. 劳动合同 原件及复印件 2份',
      '   Employment contract: original and copy x2',
      '   (加盖公章 / stamped)',
      '3. 户口簿 复印件 1份',
      '   Household register: copy x1',
    ]);
    expect(receipt.lines).toContain('收费 / Fees: 不收费 / Free of charge');
    expect(receipt.lines).toContain('地点 / Where: 二楼 12 号窗口 / Floor 2, window 12');
    expect(receipt.lines).toContain('承诺时限 / Promised: 5 个工作日 / 5 working days');
    expect(receipt.lines.at(-1)).toBe('打印时间 / Printed 2025-03-10 10:00');
    expect(receipt.text).not.toContain('?');
    expect(receipt.cut).toBe(true);
  });

  it('says so when nothing is needed, and leaves out a time limit nobody promised', () => {
    const receipt = decodeEscPos(composeGuideReceipt(sample({ materials: [], promisedTimeLimitDays: null })));
    expect(receipt.lines).toContain('无需携带材料 / Nothing to bring');
    expect(receipt.text).not.toContain('承诺时限');
  });

  it('prints a material with a character the printer lacks as a raster line, never as "?"', () => {
    const rare = sample({ materials: [{ name: { zh: '䶮字证明', en: 'Name proof' }, form: MaterialForm.Copy, count: 1, note: null }] });
    const receipt = decodeEscPos(composeGuideReceipt(rare));
    expect(receipt.rasters).toHaveLength(1);
    expect(receipt.lines).toContain('   Name proof: copy x1');
    expect(receipt.text).not.toContain('?');
  });
});
