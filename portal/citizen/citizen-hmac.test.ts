import { describe, expect, it } from 'vitest';
import { citizenHmacOf, newCitizenKey } from './citizen-hmac.js';

const KEY = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';

describe('citizenHmacOf', () => {
  it('keys HMAC-SHA256 with the decoded key bytes over the upper-cased number', () => {
    // printf '11010519491231002X' | openssl dgst -sha256 -mac HMAC -macopt hexkey:<KEY>
    const expected = 'a66755453b106dcea0cfa264214ae59ff1e8b067f3e5f3aa8085e1d8757880eb';
    expect(citizenHmacOf(KEY, '11010519491231002X')).toBe(expected);
    expect(citizenHmacOf(KEY, '11010519491231002x')).toBe(expected);
  });

  it('differs between halls and refuses a key that is not 64 hex digits', () => {
    expect(citizenHmacOf(newCitizenKey(), '11010519491231002X')).not.toBe(citizenHmacOf(KEY, '11010519491231002X'));
    expect(() => citizenHmacOf('abc', '11010519491231002X')).toThrow(RangeError);
  });

  it('makes fresh 32-byte keys', () => {
    const a = newCitizenKey();
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(newCitizenKey()).not.toBe(a);
  });
});
