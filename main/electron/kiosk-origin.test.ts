import { describe, expect, it } from 'vitest';
import { isTrustedKioskFrame, kioskEntryUrl, kioskOrigin, originOf } from './kiosk-origin.js';

describe('originOf', () => {
  it('gives scheme://host for the custom scheme, where URL.origin says "null"', () => {
    expect(new URL(kioskEntryUrl).origin).toBe('null');
    expect(originOf(kioskEntryUrl)).toBe('app://kiosk');
    expect(originOf('app://kiosk/assets/index-abc.js?x=1#y')).toBe(kioskOrigin);
  });

  it('keeps hosts and ports apart', () => {
    expect(originOf('https://evil.example/x')).toBe('https://evil.example');
    expect(originOf('app://kiosk.evil.example/')).toBe('app://kiosk.evil.example');
    expect(originOf('app://kiosk:8080/')).toBe('app://kiosk:8080');
    expect(originOf('http://kiosk/')).toBe('http://kiosk');
  });

  it('is null for opaque origins and garbage', () => {
    for (const url of ['about:blank', 'data:text/html,hi', 'file:///etc/passwd', 'javascript:alert(1)', 'not a url', '']) {
      expect(originOf(url)).toBeNull();
    }
  });
});

describe('isTrustedKioskFrame', () => {
  it('trusts only frames showing app://kiosk', () => {
    expect(isTrustedKioskFrame({ url: 'app://kiosk/index.html' })).toBe(true);
    expect(isTrustedKioskFrame({ url: 'https://evil.example/' })).toBe(false);
    expect(isTrustedKioskFrame({ url: 'app://kiosk.evil.example/index.html' })).toBe(false);
    expect(isTrustedKioskFrame(null)).toBe(false);
  });

  it('treats a disposed frame (property access throws) as untrusted', () => {
    const disposed = {
      get url(): string {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      },
    };
    expect(isTrustedKioskFrame(disposed)).toBe(false);
  });
});
