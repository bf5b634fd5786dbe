import { describe, expect, it } from 'vitest';
import { decodeGb18030, encodeGb18030, printerFontLacks } from './gb18030.js';

describe('GB18030', () => {
  it('encodes 社会保障卡 as its GB2312 double bytes and back', () => {
    const bytes = encodeGb18030('社会保障卡');
    expect(bytes.toString('hex')).toBe('c9e7bbe1b1a3d5cfbfa8');
    expect(decodeGb18030(bytes)).toBe('社会保障卡');
  });

  it('round-trips a masked name and mixed text', () => {
    for (const text of ['张*三', '欧阳娜娜', '前面还有约 12 人 / approx. 12 ahead', '—']) {
      expect(decodeGb18030(encodeGb18030(text))).toBe(text);
    }
  });

  it('keeps characters outside GBK as four-byte sequences, never "?"', () => {
    const bytes = encodeGb18030('䶮𠮷');
    expect(bytes.includes(0x3f)).toBe(false);
    expect(bytes.length).toBe(6); // 䶮 is two bytes in GB18030-2005, 𠮷 four
    expect(decodeGb18030(bytes)).toBe('䶮𠮷');
  });

  it('turns a lone surrogate into U+FFFD instead of a silent "?"', () => {
    const bytes = encodeGb18030('a\uD800b');
    expect(bytes.includes(0x3f)).toBe(false);
    expect(decodeGb18030(bytes)).toBe('a\uFFFDb');
  });
});

describe('printerFontLacks', () => {
  it('flags what GBK printer fonts do not have, including 䶮 at its GB18030-2022 two-byte code', () => {
    expect(printerFontLacks('䶮')).toBe(true);
    expect(printerFontLacks('𠮷')).toBe(true);
    expect(printerFontLacks('\ue843')).toBe(true);
    for (const ok of ['张', '龑', '〇', '·', 'A', ' ']) expect(printerFontLacks(ok)).toBe(false);
  });
});
