import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { CITIZEN_SUB_PATHS } from '../../common/contract/citizen-pages.js';
import { PortalErrorCode } from '../../common/contract/errors.js';
import { VoiceLanguage } from '../../common/voice/clip-set.js';
import { PortalError } from '../http/portal-error.js';
import { registerConsoleRoutes } from './console-routes.js';
import { pagesConfigFromEnv, type PagesConfig } from './pages-config.js';

/**
 * The pages' Content-Security-Policy: their own scripts, styles, API, event streams and voice
 * clips, nothing else: no inline script, no foreign host, no frame, no plugin. (`data:` images
 * only for the empty favicon link that spares a request.)
 */
export const PAGES_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "media-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The pages of portal/web, each at `/<name>/`. */
export const PAGES = ['counter', 'display', 'citizen', 'manager'] as const;

/** Vite's hashed asset names: flat, no path. */
const ASSET_NAME = /^[A-Za-z0-9._-]{1,128}$/;
const CLIP_FILE = /^[A-Za-z0-9-]{1,40}\.ogg$/;
const VOICE_LANGUAGES = new Set<string>(Object.values(VoiceLanguage));

function notBuilt(): PortalError {
  return new PortalError(PortalErrorCode.ServiceUnavailable, 'the web pages are not built: run `npm run build:web`, then reload');
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function pageHeaders(reply: FastifyReply): FastifyReply {
  // Helmet's default policy is replaced, not added to: a second CSP header would only narrow it.
  return reply.header('content-security-policy', PAGES_CSP).header('cache-control', 'no-cache');
}

/**
 * Serves the built web pages (`/counter/`, `/display/`, `/assets/…`) and the voice clips
 * (`/voice/<lang>/<clip>.ogg`, a hall's own recording first). The build is looked for at each
 * request: a portal started before `npm run build:web` serves the pages once they are built, and
 * until then answers a coded 503 that says so.
 */
export function createPagesPlugin(config: PagesConfig) {
  return async function pagesPlugin(app: FastifyInstance): Promise<void> {
    // Only the `sendFile` decorator, in this plugin's scope; the routes below choose the files.
    await app.register(fastifyStatic, { root: config.clipsDir, serve: false });

    for (const page of PAGES) {
      const index = path.join(config.webDir, page, 'index.html');
      app.get(`/${page}`, { schema: { hide: true } }, async (request, reply) => {
        const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
        // Relative, so a portal mounted under a prefix keeps it; the pages need the slash to find their assets.
        return reply.redirect(`${page}/${query}`, 308);
      });
      app.get(`/${page}/`, { schema: { hide: true } }, async (_request, reply) => {
        if (!existsSync(index)) throw notBuilt();
        return pageHeaders(reply).sendFile(`${page}/index.html`, config.webDir, { cacheControl: false });
      });
    }
    // The citizen page routes by its last segment (`/citizen/book`, `/citizen/verify#…`): the same
    // page at each, its assets one level up as from `/citizen/`. No trailing slash: it would move them.
    const citizenIndex = path.join(config.webDir, 'citizen', 'index.html');
    for (const journey of CITIZEN_SUB_PATHS) {
      app.get(`/citizen/${journey}`, { schema: { hide: true } }, async (_request, reply) => {
        if (!existsSync(citizenIndex)) throw notBuilt();
        return pageHeaders(reply).sendFile('citizen/index.html', config.webDir, { cacheControl: false });
      });
    }

    app.get('/assets/*', { schema: { hide: true } }, async (request, reply) => {
      const name = (request.params as { '*': string })['*'];
      if (!existsSync(config.webDir)) throw notBuilt();
      if (!ASSET_NAME.test(name) || !isFile(path.join(config.webDir, 'assets', name))) {
        throw new PortalError(PortalErrorCode.NotFound, `no asset ${name}`);
      }
      // Hashed names: a new build makes new names, so an asset never changes under its name.
      return reply.sendFile(name, path.join(config.webDir, 'assets'), { maxAge: '365d', immutable: true });
    });

    app.get('/voice/:language/:clip', { schema: { hide: true } }, async (request, reply) => {
      const { language, clip } = request.params as { language: string; clip: string };
      if (!VOICE_LANGUAGES.has(language) || !CLIP_FILE.test(clip)) throw new PortalError(PortalErrorCode.NotFound, `no voice clip ${language}/${clip}`);
      const file = `${language}/${clip}`;
      const root = config.hallVoiceDir && isFile(path.join(config.hallVoiceDir, file)) ? config.hallVoiceDir : config.clipsDir;
      if (!isFile(path.join(root, file))) throw new PortalError(PortalErrorCode.NotFound, `no voice clip ${file}`);
      // Revalidated (ETag): a hall that records a new clip is heard at the display's next load.
      return reply.header('cache-control', 'no-cache').sendFile(file, root, { cacheControl: false });
    });

    registerConsoleRoutes(app);
  };
}

/** The pages domain as the portal registers it, configured from the environment. */
export async function pagesDomain(app: FastifyInstance): Promise<void> {
  await createPagesPlugin(pagesConfigFromEnv(process.env))(app);
}
