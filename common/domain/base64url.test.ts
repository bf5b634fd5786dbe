import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64Url, decodeUtf8, encodeBase64Url, encodeUtf8 } from './base64url.js';

describe('base64url', () => {
  it('matches RFC 4648 test vectors, without padding', () => {
    const vectors: [string, string][] = [['', ''], ['f', 'Zg'], ['fo', 'Zm8'], ['foo', 'Zm9v'], ['foob', 'Zm9vYg'], ['fooba', 'Zm9vYmE'], ['foobar', 'Zm9vYmFy']];
    for (const [plain, encoded] of vectors) {
      expect(encodeBase64Url(encodeUtf8(plain))).toBe(encoded);
      expect(decodeUtf8(decodeBase64Url(encoded) ?? new Uint8Array([0xff]))).toBe(plain);
    }
    expect(encodeBase64Url(Uint8Array.from([0xfb, 0xff, 0xbf]))).toBe('-_-_');
  });

  it('round-trips any bytes, as Node encodes them', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const text = encodeBase64Url(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64url'));
        expect(decodeBase64Url(text)).toEqual(bytes);
      }),
    );
  });

  it('refuses every other spelling: padding, the other alphabet, dangling or non-zero leftover bits', () => {
    for (const bad of ['Zg==', 'Z+8', 'Z/8', 'Zm9v Yg', 'Z', 'Zh', 'Zm9']) expect(decodeBase64Url(bad), bad).toBeNull();
    expect(decodeBase64Url('Zm8')).not.toBeNull();
  });
});

describe('UTF-8', () => {
  it('encodes as Node does, astral characters included', () => {
    for (const text of ['社保参保证明', '𠮷野家', 'Ünïcödé', '欧**娜', '']) expect(Buffer.from(encodeUtf8(text)).toString('utf8')).toBe(text);
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 50 }), (text) => {
        expect(encodeUtf8(text)).toEqual(new Uint8Array(Buffer.from(text, 'utf8')));
      }),
    );
  });

  it('decodes only well-formed UTF-8', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 50 }), (text) => {
        expect(decodeUtf8(encodeUtf8(text))).toBe(text);
      }),
    );
    const bad = [[0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe4, 0xb8], [0x80], [0xff]];
    for (const bytes of bad) expect(decodeUtf8(Uint8Array.from(bytes)), JSON.stringify(bytes)).toBeNull();
  });
});
