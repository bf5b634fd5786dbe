import { describe, expect, it } from 'vitest';
import { DISPLAY_TOKEN_KEY, takeDisplayToken } from './token.js';

function storage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v), items };
}

describe('display token', () => {
  it('moves the token from the URL fragment to storage and takes it out of the address', () => {
    const store = storage();
    const replaced: string[] = [];
    const token = takeDisplayToken({ hash: '#token=abc-123_XYZ', pathname: '/display/', search: '?lang=en' }, store, (u) => replaced.push(u));
    expect(token).toBe('abc-123_XYZ');
    expect(store.items.get(DISPLAY_TOKEN_KEY)).toBe('abc-123_XYZ');
    expect(replaced).toEqual(['/display/?lang=en']);
  });

  it('reads storage on later loads, and a new fragment replaces the old token', () => {
    const store = storage({ [DISPLAY_TOKEN_KEY]: 'old' });
    const replaced: string[] = [];
    expect(takeDisplayToken({ hash: '', pathname: '/display/', search: '' }, store, (u) => replaced.push(u))).toBe('old');
    expect(replaced).toEqual([]);
    expect(takeDisplayToken({ hash: '#token=new', pathname: '/display/', search: '' }, store, () => undefined)).toBe('new');
    expect(store.items.get(DISPLAY_TOKEN_KEY)).toBe('new');
  });

  it('has none without fragment or storage, and still clears a stray fragment', () => {
    const replaced: string[] = [];
    expect(takeDisplayToken({ hash: '#token=', pathname: '/display/', search: '' }, storage(), (u) => replaced.push(u))).toBeNull();
    expect(replaced).toEqual(['/display/']);
  });
});
