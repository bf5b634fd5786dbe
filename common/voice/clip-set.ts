/**
 * The offline voice of the hall: every clip an announcement is joined from, with the words it
 * says. The default set is generated once with espeak-ng (`npm run voice:clips`) and committed; a
 * hall replaces any file with its own recording of the same words (same name, Ogg Vorbis, mono).
 * The hall display and the kiosk use the same set, so one recording serves both.
 */
export enum VoiceLanguage {
  Zh = 'zh',
  En = 'en',
}

export const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;
export const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');

/** Clip name -> the words it says, per language. Names are file names without `.ogg`. */
export const CLIP_WORDS: Readonly<Record<VoiceLanguage, Readonly<Record<string, string>>>> = {
  [VoiceLanguage.Zh]: {
    please: '请',
    number: '号',
    to: '到',
    'counter-suffix': '号窗口',
    handle: '办理',
    recall: '重呼',
    dash: '杠',
    ten: '十',
    ...Object.fromEntries(DIGITS.map((d) => [`digit-${d}`, '零一二三四五六七八九'[Number(d)] ?? d])),
    ...Object.fromEntries(LETTERS.map((l) => [`letter-${l}`, l])),
  },
  [VoiceLanguage.En]: {
    number: 'Number',
    'go-to-counter': 'please go to counter',
    recall: 'Calling again',
    dash: 'dash',
    ...Object.fromEntries(DIGITS.map((d) => [`digit-${d}`, ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'][Number(d)] ?? d])),
    ...Object.fromEntries(LETTERS.map((l) => [`letter-${l}`, l])),
  },
};

/** Where a clip is served from, relative to the page: the same path on the portal and the kiosk. */
export function clipUrl(language: VoiceLanguage, clip: string): string {
  return `voice/${language}/${clip}.ogg`;
}
