import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createKioskProtocolHandler,
  kioskContentSecurityPolicy,
  registerKioskProtocol,
  registerKioskSchemePrivileges,
} from './app-protocol.js';
import { asElectron, createFakeElectron } from './test-support/fake-electron.js';
import type { Protocol } from 'electron';

let dir: string;
let root: string;
let serve: ReturnType<typeof createKioskProtocolHandler>;
const get = (url: string) => serve({ url, method: 'GET' });

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kiosk-protocol-'));
  root = path.join(dir, 'renderer', 'dist');
  await mkdir(path.join(root, 'assets'), { recursive: true });
  await writeFile(path.join(root, 'index.html'), '<!doctype html><title>Hall Kiosk</title>');
  await writeFile(path.join(root, 'assets', 'index-abc.js'), 'console.warn("hi")');
  await writeFile(path.join(root, 'assets', 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  await writeFile(path.join(dir, 'secret.txt'), 'TOP SECRET');
  await writeFile(path.join(dir, 'renderer', 'dist-sibling.txt'), 'SIBLING');
  serve = createKioskProtocolHandler(root);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('app://kiosk protocol handler', () => {
  it('serves the page with the CSP header and its content type', async () => {
    const res = await get('app://kiosk/index.html');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(kioskContentSecurityPolicy);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('<title>Hall Kiosk</title>');
  });

  it('the CSP allows only the page itself', () => {
    expect(kioskContentSecurityPolicy).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    );
  });

  it('serves / as index.html and assets with module-script content types', async () => {
    expect(await (await get('app://kiosk/')).text()).toContain('Hall Kiosk');
    const js = await get('app://kiosk/assets/index-abc.js?v=1');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const svg = await get('app://kiosk/assets/logo.svg');
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
    expect(svg.headers.get('content-security-policy')).toBe(kioskContentSecurityPolicy);
  });

  it('answers HEAD without a body', async () => {
    const res = await serve({ url: 'app://kiosk/index.html', method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it.each([
    'app://kiosk/../../etc/passwd',
    'app://kiosk/../secret.txt',
    'app://kiosk/..%2f..%2fsecret.txt',
    'app://kiosk/assets/..%2F..%2F..%2Fsecret.txt',
    'app://kiosk/%2e%2e/%2e%2e/secret.txt',
    'app://kiosk/..%5c..%5csecret.txt',
    'app://kiosk/%2e%2e%5c..%5csecret.txt',
    'app://kiosk/..%2fdist-sibling.txt',
    'app://kiosk/%2Fetc%2Fpasswd',
    'app://kiosk/C:%5cWindows%5cwin.ini',
    'app://kiosk/index.html%00.png',
    'app://kiosk/%E0%A4%A',
  ])('refuses to leave renderer/dist: %s -> 404', async (url) => {
    const res = await get(url);
    expect(res.status).toBe(404);
    const body = await res.text();
    expect(body).not.toContain('SECRET');
    expect(body).not.toContain('SIBLING');
  });

  it('refuses an encoded absolute path to a real file', async () => {
    const res = await get(`app://kiosk/${encodeURIComponent(path.join(dir, 'secret.txt'))}`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('SECRET');
  });

  it('404 for missing files, directories and other hosts', async () => {
    expect((await get('app://kiosk/missing.js')).status).toBe(404);
    expect((await get('app://kiosk/assets')).status).toBe(404);
    expect((await get('app://kiosk/assets/')).status).toBe(404);
    expect((await get('app://evil/index.html')).status).toBe(404);
    expect((await get('file:///etc/passwd')).status).toBe(404);
  });

  it('405 for anything but GET and HEAD', async () => {
    expect((await serve({ url: 'app://kiosk/index.html', method: 'POST' })).status).toBe(405);
  });
});

describe('registration with Electron', () => {
  it('registers app:// as standard and secure, then handles it with the same server', async () => {
    const fake = createFakeElectron();
    registerKioskSchemePrivileges(asElectron<Protocol>(fake.protocol));
    expect(fake.protocol.privilegedSchemes).toEqual([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) },
    ]);

    registerKioskProtocol(asElectron<Protocol>(fake.protocol), root);
    const handler = fake.protocol.schemeHandlers.get('app') as unknown as typeof serve;
    expect(handler).toBeTypeOf('function');
    expect((await handler({ url: 'app://kiosk/index.html', method: 'GET' })).status).toBe(200);
    expect((await handler({ url: 'app://kiosk/../../etc/passwd', method: 'GET' })).status).toBe(404);
  });
});
