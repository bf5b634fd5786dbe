import { VoiceLanguage } from '../../voice/clip-set.js';
import type { SpeechVoice } from './announcement-queue.js';

/** BCP 47 tags (as browsers spell them) that speak Mandarin as read in mainland China. */
const ZH_CN = /^(zh|cmn)([-_](cn|hans([-_]cn)?))?$/i;
const EN = /^en([-_].*)?$/i;

/** The best installed voice for a language: zh-CN for Chinese, any English one for English. */
export function pickVoice(voices: readonly SpeechSynthesisVoice[], language: VoiceLanguage): SpeechSynthesisVoice | null {
  const matches = voices.filter((v) => (language === VoiceLanguage.Zh ? ZH_CN : EN).test(v.lang));
  // A voice on this machine works without a network; a remote one may not.
  return matches.find((v) => v.localService) ?? matches[0] ?? null;
}

/** How long a sentence may take before we stop waiting for its `end` event. */
const SPEECH_TIMEOUT_MS = 20_000;

/**
 * speechSynthesis as the announcement queue's fallback voice. It only claims a language when the
 * machine has a voice for it (a display without a zh-CN voice stays silent rather than reading
 * Chinese with an English voice).
 */
export function createSpeechVoice(synth: SpeechSynthesis | undefined = globalThis.speechSynthesis): SpeechVoice {
  return {
    canSpeak(language) {
      return synth !== undefined && pickVoice(synth.getVoices(), language) !== null;
    },
    speak(text, language) {
      const voice = synth ? pickVoice(synth.getVoices(), language) : null;
      if (!synth || !voice) return Promise.reject(new Error(`no speech voice for ${language}`));
      return new Promise<void>((resolve, reject) => {
        const utterance = new SpeechSynthesisUtterance(text);
        utterance.voice = voice;
        utterance.lang = voice.lang;
        const timer = setTimeout(resolve, SPEECH_TIMEOUT_MS);
        utterance.onend = () => {
          clearTimeout(timer);
          resolve();
        };
        utterance.onerror = (event) => {
          clearTimeout(timer);
          reject(new Error(`speech failed: ${event.error}`));
        };
        synth.speak(utterance);
      });
    },
  };
}
