import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Where the portal finds its web pages and voice clips. */
export interface PagesConfig {
  /** The Vite build of portal/web (`npm run build:web`): counter/, display/, assets/. */
  webDir: string;
  /** The default clip set, committed: common/voice/clips/<lang>/<clip>.ogg. */
  clipsDir: string;
  /** A hall's own recordings, same layout; a file here replaces the default one. Null: none. */
  hallVoiceDir: string | null;
}

/**
 * From the environment: `HALL_WEB_DIR` (default portal/web/dist) and `HALL_VOICE_DIR` (a hall's
 * recordings; default none). Relative paths are taken from the working directory.
 */
export function pagesConfigFromEnv(env: NodeJS.ProcessEnv): PagesConfig {
  const voice = env.HALL_VOICE_DIR?.trim();
  const web = env.HALL_WEB_DIR?.trim();
  return {
    webDir: web ? path.resolve(web) : path.join(repoRoot, 'portal/web/dist'),
    clipsDir: path.join(repoRoot, 'common/voice/clips'),
    hallVoiceDir: voice ? path.resolve(voice) : null,
  };
}
