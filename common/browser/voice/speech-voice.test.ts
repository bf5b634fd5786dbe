import { describe, expect, it } from 'vitest';
import { VoiceLanguage } from '../../voice/clip-set.js';
import { createSpeechVoice, pickVoice } from './speech-voice.js';

const voice = (lang: string, localService = true) => ({ lang, localService, name: lang, default: false, voiceURI: lang }) as SpeechSynthesisVoice;

describe('speech fallback voice', () => {
  it('picks a zh-CN voice for Chinese (local first) and never a Cantonese or Taiwanese one', () => {
    expect(pickVoice([voice('en-US'), voice('zh-HK'), voice('zh-TW')], VoiceLanguage.Zh)).toBeNull();
    expect(pickVoice([voice('zh-CN', false), voice('zh_CN')], VoiceLanguage.Zh)?.lang).toBe('zh_CN');
    expect(pickVoice([voice('cmn')], VoiceLanguage.Zh)?.lang).toBe('cmn');
    expect(pickVoice([voice('zh-CN'), voice('en-GB')], VoiceLanguage.En)?.lang).toBe('en-GB');
  });

  it('claims a language only when the machine has a voice for it, and is silent without speechSynthesis', async () => {
    const synth = { getVoices: () => [voice('en-US')] } as unknown as SpeechSynthesis;
    const speech = createSpeechVoice(synth);
    expect(speech.canSpeak(VoiceLanguage.Zh)).toBe(false);
    expect(speech.canSpeak(VoiceLanguage.En)).toBe(true);
    await expect(speech.speak('请', VoiceLanguage.Zh)).rejects.toThrow(/no speech voice/);
    expect(createSpeechVoice(undefined).canSpeak(VoiceLanguage.Zh)).toBe(false);
  });
});
