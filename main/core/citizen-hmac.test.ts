import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { citizenHmacOf } from './citizen-hmac.js';

const KEY = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';
const ID = '11010519491231002X';

describe('citizenHmacOf', () => {
  it('matches the portal on the vector its test pins (the two sides must hash a card alike)', () => {
    // The same key, number and openssl result as portal/citizen/citizen-hmac.test.ts.
    const portalKey = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';
    expect(citizenHmacOf(portalKey, '11010519491231002x')).toBe('a66755453b106dcea0cfa264214ae59ff1e8b067f3e5f3aa8085e1d8757880eb');
  });

  it('is HMAC-SHA256 over the upper-case number, keyed with the key bytes (the portal rule)', () => {
    const expected = createHmac('sha256', Buffer.from(KEY, 'hex')).update(ID, 'utf8').digest('hex');
    expect(citizenHmacOf(KEY, ID)).toBe(expected);
    // Keyed with the bytes, not the hex text: the two differ.
    expect(citizenHmacOf(KEY, ID)).not.toBe(createHmac('sha256', KEY).update(ID).digest('hex'));
  });

  it('never contains the raw number and matches whatever the case of the X', () => {
    const hmac = citizenHmacOf(KEY, ID);
    expect(hmac).toMatch(/^[0-9a-f]{64}$/);
    expect(hmac).not.toContain(ID.slice(0, 6));
    expect(citizenHmacOf(KEY, ID.toLowerCase())).toBe(hmac);
    expect(citizenHmacOf(KEY, '110105194912310021')).not.toBe(hmac);
  });

  it('refuses a key that is not 32 bytes of hex', () => {
    expect(() => citizenHmacOf('abc', ID)).toThrow(RangeError);
    expect(() => citizenHmacOf(KEY.toUpperCase(), ID)).toThrow(RangeError);
  });
});
