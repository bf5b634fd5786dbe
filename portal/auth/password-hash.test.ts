import { describe, expect, it } from 'vitest';
import { DEFAULT_PASSWORD_COST, hashPassword, needsRehash, verifyAgainstNothing, verifyPassword } from './password-hash.js';

const CHEAP = { N: 1024, r: 8, p: 1 };

describe('staff password hashes', () => {
  it('keeps the cost in the hash, verifies the right password only, and salts every hash', async () => {
    const hash = await hashPassword('correct horse battery', { cost: CHEAP });
    expect(hash).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/]+={0,2}\$[A-Za-z0-9+/]+={0,2}$/);
    expect(hash).not.toContain('correct horse');
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
    expect(await hashPassword('correct horse battery', { cost: CHEAP })).not.toBe(hash);
  });

  it('treats the same password typed in composed or decomposed form as one (NFC)', async () => {
    const hash = await hashPassword('caf\u00e9-password', { cost: CHEAP });
    expect(await verifyPassword('cafe\u0301-password', hash)).toBe(true);
  });

  it('never matches a malformed hash, nor one asking for an absurd cost', async () => {
    const good = await hashPassword('a-long-password', { cost: CHEAP });
    const [, , r, p, salt, key] = good.split('$');
    expect(await verifyPassword('a-long-password', 'plain-text')).toBe(false);
    expect(await verifyPassword('a-long-password', `scrypt$1000$${r}$${p}$${salt}$${key}`)).toBe(false);
    expect(await verifyPassword('a-long-password', `scrypt$${2 ** 24}$${r}$${p}$${salt}$${key}`)).toBe(false);
    expect(await verifyPassword('a-long-password', `scrypt$1024$${r}$${p}$${salt}$AAAA`)).toBe(false);
  });

  it('asks for a re-hash when the cost was raised since', async () => {
    expect(needsRehash(await hashPassword('a-long-password', { cost: CHEAP }))).toBe(true);
    expect(needsRehash(await hashPassword('a-long-password'))).toBe(false);
    expect(needsRehash('garbage')).toBe(true);
    expect(DEFAULT_PASSWORD_COST.N).toBeGreaterThanOrEqual(2 ** 15);
  });

  it('spends a check for nothing and answers false', async () => {
    expect(await verifyAgainstNothing('no account has this password: it only spends the time of a check')).toBe(false);
  });
});
