import { callClips, callText, type CallToAnnounce, type ClipRef } from '../../voice/call-announcement.js';
import { CLIP_WORDS, VoiceLanguage } from '../../voice/clip-set.js';

/** The hall's voice settings (display settings of the portal): how often, and whether in English too. */
export interface VoiceSettings {
  /** How many times each call is said (1..5). */
  voiceRepeat: number;
  /** Say it in English after the Chinese. */
  voiceEnglish: boolean;
}

export const MAX_VOICE_REPEAT = 5;

/** One spoken sentence: its clips, and the same words as text for speech synthesis. */
export interface AnnouncementPart {
  language: VoiceLanguage;
  clips: ClipRef[];
  text: string;
}

/**
 * What one call sounds like: the Chinese sentence (with its English one right after it when the
 * hall wants English), the whole repeated `voiceRepeat` times. Each repetition keeps the pair
 * together so a visitor who only understands one language hears it at every repetition.
 */
export function announcementParts(call: CallToAnnounce, settings: VoiceSettings): AnnouncementPart[] {
  const repeat = Math.min(MAX_VOICE_REPEAT, Math.max(1, Math.trunc(settings.voiceRepeat)));
  const languages = settings.voiceEnglish ? [VoiceLanguage.Zh, VoiceLanguage.En] : [VoiceLanguage.Zh];
  const once = languages.map((language) => ({ language, clips: callClips(call, language), text: callText(call, language) }));
  return Array.from({ length: repeat }, () => once.map((part) => ({ ...part, clips: [...part.clips] }))).flat();
}

/**
 * Every clip the hall's settings can use (English only when it is on): what a display preloads so
 * no call waits for the network.
 */
export function clipsInUse(settings: Pick<VoiceSettings, 'voiceEnglish'>): ClipRef[] {
  const languages = settings.voiceEnglish ? [VoiceLanguage.Zh, VoiceLanguage.En] : [VoiceLanguage.Zh];
  return languages.flatMap((language) => Object.keys(CLIP_WORDS[language]).map((clip) => ({ language, clip })));
}
