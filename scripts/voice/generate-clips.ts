/**
 * `npm run voice:clips`: generates the default offline clip set (common/voice/clips/<lang>/*.ogg)
 * from CLIP_WORDS with Debian's espeak-ng and sox, trimmed of leading and trailing silence,
 * 16 kHz mono Ogg Vorbis (a few KB each). Run once; the files are committed, so halls, tests and
 * CI never need espeak-ng. A hall's own recordings replace files of the same name.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLIP_WORDS, VoiceLanguage } from '../../common/voice/clip-set.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const outRoot = path.join(repoRoot, 'common/voice/clips');
const ESPEAK_VOICE: Record<VoiceLanguage, string> = { [VoiceLanguage.Zh]: 'cmn', [VoiceLanguage.En]: 'en-us' };

function need(command: string): void {
  try {
    execFileSync(command, ['--version'], { stdio: 'ignore' });
  } catch {
    console.error(`${command} is missing: apt-get install espeak-ng sox libsox-fmt-all`);
    process.exit(1);
  }
}

need('espeak-ng');
need('sox');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'voice-'));
let total = 0;
let count = 0;
try {
  for (const language of Object.values(VoiceLanguage)) {
    const dir = path.join(outRoot, language);
    mkdirSync(dir, { recursive: true });
    for (const [clip, words] of Object.entries(CLIP_WORDS[language])) {
      const wav = path.join(tmp, `${clip}.wav`);
      const ogg = path.join(dir, `${clip}.ogg`);
      execFileSync('espeak-ng', ['-v', ESPEAK_VOICE[language], '-s', '150', '-w', wav, words]);
      // Trim silence at both ends so joined clips sound like one sentence.
      execFileSync('sox', ['-V1', wav, '-r', '16000', '-c', '1', '-C', '3', ogg, 'gain', '-n', '-1', 'silence', '1', '0.02', '1%', 'reverse', 'silence', '1', '0.02', '1%', 'reverse']);
      total += statSync(ogg).size;
      count += 1;
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
console.log(JSON.stringify({ event: 'voice-clips', clips: count, bytes: total, dir: path.relative(repoRoot, outRoot) }));
