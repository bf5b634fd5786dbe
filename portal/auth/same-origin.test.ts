import { describe, expect, it } from 'vitest';
import { fromOwnOrigin, notFromForeignOrigin, ownOrigin } from './same-origin.js';

const own = { protocol: 'https', host: 'hall.example' };

describe('same-origin checks of staff writes', () => {
  it('derives the portal origin from protocol and host, default port dropped', () => {
    expect(ownOrigin({ protocol: 'https', host: 'hall.example:443' })).toBe('https://hall.example');
    expect(ownOrigin({ protocol: 'http', host: '127.0.0.1:8080' })).toBe('http://127.0.0.1:8080');
    expect(ownOrigin({ protocol: 'http', host: '' })).toBeNull();
  });

  it('accepts the own Origin, or the own Referer when there is no Origin', () => {
    expect(fromOwnOrigin({ ...own, origin: 'https://hall.example', referer: undefined })).toBe(true);
    expect(fromOwnOrigin({ ...own, origin: undefined, referer: 'https://hall.example/counter/?x=1' })).toBe(true);
  });

  it('refuses another origin, a sibling port or scheme, `null`, and a request that shows none', () => {
    expect(fromOwnOrigin({ ...own, origin: 'https://evil.example', referer: undefined })).toBe(false);
    expect(fromOwnOrigin({ ...own, origin: 'https://hall.example:8443', referer: undefined })).toBe(false);
    expect(fromOwnOrigin({ ...own, origin: 'http://hall.example', referer: undefined })).toBe(false);
    expect(fromOwnOrigin({ ...own, origin: 'null', referer: 'https://hall.example/' })).toBe(false);
    expect(fromOwnOrigin({ ...own, origin: undefined, referer: undefined })).toBe(false);
    // Origin, when sent, decides: a matching Referer does not rescue a foreign Origin.
    expect(fromOwnOrigin({ ...own, origin: 'https://evil.example', referer: 'https://hall.example/' })).toBe(false);
  });

  it('lets a sign-in without Origin through (a script), but not one from a foreign page', () => {
    expect(notFromForeignOrigin({ ...own, origin: undefined, referer: undefined })).toBe(true);
    expect(notFromForeignOrigin({ ...own, origin: 'https://hall.example', referer: undefined })).toBe(true);
    expect(notFromForeignOrigin({ ...own, origin: 'https://evil.example', referer: undefined })).toBe(false);
  });
});
