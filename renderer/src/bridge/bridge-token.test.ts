import { describe, expect, it } from 'vitest';
import { takeBridgeToken, type TokenHistory, type TokenStorage } from './bridge-token.js';

function fakeHistory(): TokenHistory & { urls: string[] } {
  const urls: string[] = [];
  return { state: { page: 1 }, urls, replaceState: (_data, _unused, url) => void urls.push(url ?? '') };
}

function fakeStorage(): TokenStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return { items, getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v) };
}

const TOKEN = '9f86d081884c7d659a2feaa0c55ad015';

describe('takeBridgeToken', () => {
  it('reads the token from the hash and removes it from the address bar', () => {
    const history = fakeHistory();
    const token = takeBridgeToken({ hash: `#token=${TOKEN}`, pathname: '/index.html', search: '?kiosk=1' }, history);
    expect(token).toBe(TOKEN);
    expect(history.urls).toEqual(['/index.html?kiosk=1']);
  });

  it('keeps other hash parameters', () => {
    const history = fakeHistory();
    takeBridgeToken({ hash: `#token=${TOKEN}&debug=1`, pathname: '/', search: '' }, history);
    expect(history.urls).toEqual(['/#debug=1']);
  });

  it('remembers the token for a reload in the same tab', () => {
    const storage = fakeStorage();
    expect(takeBridgeToken({ hash: `#token=${TOKEN}`, pathname: '/', search: '' }, fakeHistory(), storage)).toBe(TOKEN);
    const history = fakeHistory();
    expect(takeBridgeToken({ hash: '', pathname: '/', search: '' }, history, storage)).toBe(TOKEN);
    expect(history.urls).toEqual([]);
  });

  it('refuses a token that is not hex, and still removes it from the address bar', () => {
    const history = fakeHistory();
    expect(takeBridgeToken({ hash: '#token=<script>', pathname: '/', search: '' }, history)).toBeNull();
    expect(history.urls).toEqual(['/']);
    expect(takeBridgeToken({ hash: '#token=abc', pathname: '/', search: '' }, fakeHistory())).toBeNull();
  });

  it('survives storage that throws', () => {
    const throwing: TokenStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('SecurityError');
      },
    };
    expect(takeBridgeToken({ hash: `#token=${TOKEN}`, pathname: '/', search: '' }, fakeHistory(), throwing)).toBe(TOKEN);
    expect(takeBridgeToken({ hash: '', pathname: '/', search: '' }, fakeHistory(), throwing)).toBeNull();
  });
});
