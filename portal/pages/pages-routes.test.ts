import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildPortalApp } from '../http/build-portal-app.js';
import { pagesConfigFromEnv } from './pages-config.js';
import { PAGES_CSP } from './pages-routes.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'hk-pages-'));
const webDir = path.join(tmp, 'dist');
const hallVoiceDir = path.join(tmp, 'hall-voice');
const clipsDir = pagesConfigFromEnv({}).clipsDir;
// Never reached: the pages touch no database (the app only builds its pool lazily).
const pool = new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:9/none', connectionTimeoutMillis: 200 });

let app: FastifyInstance | null = null;

/** A portal on a real socket with the pages configured as in the environment given. */
async function portal(env: { HALL_WEB_DIR?: string; HALL_VOICE_DIR?: string }): Promise<string> {
  const saved = { web: process.env.HALL_WEB_DIR, voice: process.env.HALL_VOICE_DIR };
  process.env.HALL_WEB_DIR = env.HALL_WEB_DIR ?? path.join(tmp, 'not-built');
  if (env.HALL_VOICE_DIR) process.env.HALL_VOICE_DIR = env.HALL_VOICE_DIR;
  else delete process.env.HALL_VOICE_DIR;
  try {
    app = await buildPortalApp({ pool, logLevel: 'silent' });
  } finally {
    for (const [key, value] of [['HALL_WEB_DIR', saved.web], ['HALL_VOICE_DIR', saved.voice]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

beforeAll(() => {
  for (const page of ['counter', 'display', 'citizen', 'manager']) {
    mkdirSync(path.join(webDir, page), { recursive: true });
    writeFileSync(path.join(webDir, page, 'index.html'), `<!doctype html><title>${page}</title><script type="module" src="../assets/${page}-Ab12.js"></script>`);
  }
  mkdirSync(path.join(webDir, 'assets'));
  writeFileSync(path.join(webDir, 'assets', 'counter-Ab12.js'), 'console.log("counter")');
  mkdirSync(path.join(hallVoiceDir, 'zh'), { recursive: true });
  writeFileSync(path.join(hallVoiceDir, 'zh', 'please.ogg'), 'OggS the hall recorded this');
});

afterEach(async () => {
  await app?.close();
  app = null;
});

afterAll(async () => {
  await pool.end();
  rmSync(tmp, { recursive: true, force: true });
});

describe('the pages of the portal', () => {
  it('serves the counter console, the display and the manager console with a strict CSP of their own', async () => {
    const base = await portal({ HALL_WEB_DIR: webDir });
    for (const page of ['counter', 'display', 'manager']) {
      const res = await fetch(`${base}/${page}/`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await res.text()).toContain(`<title>${page}</title>`);
      const csp = res.headers.get('content-security-policy');
      expect(csp).toBe(PAGES_CSP);
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      // Helmet's default would upgrade the pages' requests to https on a plain-http hall network.
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('serves the citizen page at /citizen/ and at each journey below it, with the same CSP', async () => {
    const base = await portal({ HALL_WEB_DIR: webDir });
    for (const probe of ['/citizen/', '/citizen/guide?hall=h&service=s', '/citizen/book', '/citizen/cancel', '/citizen/progress', '/citizen/verify', '/citizen/rate?ticket=x&number=A001']) {
      const res = await fetch(`${base}${probe}`);
      expect(res.status, probe).toBe(200);
      expect(await res.text(), probe).toContain('<title>citizen</title>');
      expect(res.headers.get('content-security-policy'), probe).toBe(PAGES_CSP);
      expect(res.headers.get('cache-control'), probe).toBe('no-cache');
    }
    // A trailing slash would put the page's relative assets one level too deep; an unknown journey is no page.
    for (const probe of ['/citizen/book/', '/citizen/nothing', '/citizen/book/x']) {
      expect((await fetch(`${base}${probe}`)).status, probe).toBe(404);
    }
  });

  it('sends /counter to /counter/ (the page finds its assets relative to it), keeping the query', async () => {
    const base = await portal({ HALL_WEB_DIR: webDir });
    const res = await fetch(`${base}/display?lang=en`, { redirect: 'manual' });
    expect(res.status).toBe(308);
    expect(new URL(res.headers.get('location') ?? '', `${base}/display?lang=en`).href).toBe(`${base}/display/?lang=en`);
  });

  it('serves hashed assets for a year, and nothing outside the assets folder', async () => {
    const base = await portal({ HALL_WEB_DIR: webDir });
    const asset = await fetch(`${base}/assets/counter-Ab12.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    for (const probe of ['/assets/missing.js', '/assets/..%2Fcounter%2Findex.html', '/assets/%2e%2e/counter/index.html']) {
      const res = await fetch(`${base}${probe}`);
      expect(res.status, probe).toBe(404);
      expect(((await res.json()) as { code: string }).code).toBe('not-found');
    }
  });

  it('answers a coded 503 that says to build the pages when portal/web/dist is missing, and still starts', async () => {
    const base = await portal({});
    for (const probe of ['/counter/', '/display/', '/citizen/', '/citizen/verify', '/assets/counter-Ab12.js']) {
      const res = await fetch(`${base}${probe}`);
      expect(res.status, probe).toBe(503);
      const body = (await res.json()) as { code: string; message: string };
      expect(body.code).toBe('service-unavailable');
      expect(body.message).toContain('npm run build:web');
    }
    // The voice needs no build.
    expect((await fetch(`${base}/voice/zh/please.ogg`)).status).toBe(200);
  });

  it('serves the committed voice clips, a hall’s own recording first', async () => {
    const plain = await portal({ HALL_WEB_DIR: webDir });
    const clip = await fetch(`${plain}/voice/zh/please.ogg`);
    expect(clip.status).toBe(200);
    expect(clip.headers.get('content-type')).toBe('audio/ogg');
    expect(Buffer.from(await clip.arrayBuffer()).equals(readFileSync(path.join(clipsDir, 'zh', 'please.ogg')))).toBe(true);
    await app?.close();

    const hall = await portal({ HALL_WEB_DIR: webDir, HALL_VOICE_DIR: hallVoiceDir });
    expect(await (await fetch(`${hall}/voice/zh/please.ogg`)).text()).toBe('OggS the hall recorded this');
    // A clip the hall did not record comes from the default set.
    const digit = await fetch(`${hall}/voice/zh/digit-5.ogg`);
    expect(Buffer.from(await digit.arrayBuffer()).equals(readFileSync(path.join(clipsDir, 'zh', 'digit-5.ogg')))).toBe(true);
    for (const probe of ['/voice/fr/please.ogg', '/voice/zh/nothing.ogg', '/voice/zh/please.wav', '/voice/zh/..%2F..%2Fclip-set.ts']) {
      expect((await fetch(`${hall}${probe}`)).status, probe).toBe(404);
    }
  });
});
