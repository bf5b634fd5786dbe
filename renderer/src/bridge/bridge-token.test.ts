import { describe, expect, it } from 'vitest';
import { exchangeLaunchCode, takeBridgeCredential, type FetchLike, type TokenHistory, type TokenStorage } from './bridge-token.js';

function fakeHistory(): TokenHistory & { urls: string[] } {
  const urls: string[] = [];
  return { state: { page: 1 }, urls, replaceState: (_data, _unused, url) => void urls.push(url ?? '') };
}

function fakeStorage(): TokenStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return { items, getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v) };
}

const TOKEN = '9f86d081884c7d659a2feaa0c55ad015';
const CODE = 'c0de'.repeat(16);

describe('takeBridgeCredential', () => {
  it('reads the token from the hash and removes it from the address bar', () => {
    const history = fakeHistory();
    const credential = takeBridgeCredential({ hash: `#token=${TOKEN}`, pathname: '/index.html', search: '?kiosk=1' }, history);
    expect(credential).toEqual({ kind: 'token', token: TOKEN });
    expect(history.urls).toEqual(['/index.html?kiosk=1']);
  });

  it('reads a launch code, removes it from the address bar, and keeps nothing yet', () => {
    const history = fakeHistory();
    const storage = fakeStorage();
    expect(takeBridgeCredential({ hash: `#code=${CODE}`, pathname: '/', search: '' }, history, storage)).toEqual({ kind: 'code', code: CODE });
    expect(history.urls).toEqual(['/']);
    expect(storage.items.size).toBe(0);
  });

  it('prefers a fresh launch code to a token kept from an earlier launch', () => {
    const storage = fakeStorage();
    takeBridgeCredential({ hash: `#token=${TOKEN}`, pathname: '/', search: '' }, fakeHistory(), storage);
    expect(takeBridgeCredential({ hash: `#code=${CODE}`, pathname: '/', search: '' }, fakeHistory(), storage)).toEqual({ kind: 'code', code: CODE });
  });

  it('keeps other hash parameters', () => {
    const history = fakeHistory();
    takeBridgeCredential({ hash: `#code=${CODE}&debug=1`, pathname: '/', search: '' }, history);
    expect(history.urls).toEqual(['/#debug=1']);
  });

  it('remembers the token for a reload in the same tab', () => {
    const storage = fakeStorage();
    expect(takeBridgeCredential({ hash: `#token=${TOKEN}`, pathname: '/', search: '' }, fakeHistory(), storage)).toEqual({ kind: 'token', token: TOKEN });
    const history = fakeHistory();
    expect(takeBridgeCredential({ hash: '', pathname: '/', search: '' }, history, storage)).toEqual({ kind: 'token', token: TOKEN });
    expect(history.urls).toEqual([]);
  });

  it('refuses a token or code that is not hex, and still removes it from the address bar', () => {
    const history = fakeHistory();
    expect(takeBridgeCredential({ hash: '#token=<script>', pathname: '/', search: '' }, history)).toBeNull();
    expect(history.urls).toEqual(['/']);
    expect(takeBridgeCredential({ hash: '#token=abc', pathname: '/', search: '' }, fakeHistory())).toBeNull();
    expect(takeBridgeCredential({ hash: '#code=javascript:1', pathname: '/', search: '' }, fakeHistory())).toBeNull();
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
    expect(takeBridgeCredential({ hash: `#token=${TOKEN}`, pathname: '/', search: '' }, fakeHistory(), throwing)).toEqual({ kind: 'token', token: TOKEN });
    expect(takeBridgeCredential({ hash: '', pathname: '/', search: '' }, fakeHistory(), throwing)).toBeNull();
  });
});

describe('exchangeLaunchCode', () => {
  const HOST_TOKEN = 'ab'.repeat(32);

  function fakeFetch(status: number, body: unknown): FetchLike & { requests: Array<{ url: string; init: Parameters<FetchLike>[1] }> } {
    const requests: Array<{ url: string; init: Parameters<FetchLike>[1] }> = [];
    const fn: FetchLike = async (url, init) => {
      requests.push({ url, init });
      return { status, json: async () => body };
    };
    return Object.assign(fn, { requests });
  }

  it('posts the code as JSON to the host and returns the token', async () => {
    const fetchFn = fakeFetch(200, { token: HOST_TOKEN });
    await expect(exchangeLaunchCode(CODE, fetchFn)).resolves.toBe(HOST_TOKEN);
    expect(fetchFn.requests).toEqual([
      {
        url: '/bridge/exchange',
        init: { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code: CODE }), cache: 'no-store', credentials: 'omit' },
      },
    ]);
  });

  it('resolves null for a refused code, and for an answer that is not a token', async () => {
    await expect(exchangeLaunchCode(CODE, fakeFetch(401, { code: 'unauthorized', message: 'used' }))).resolves.toBeNull();
    await expect(exchangeLaunchCode(CODE, fakeFetch(200, { token: '<script>' }))).resolves.toBeNull();
  });

  it('rejects when the host could not answer, so the page may ask again', async () => {
    await expect(exchangeLaunchCode(CODE, fakeFetch(503, {}))).rejects.toThrow('HTTP 503');
  });
});
