import { LETTERS, VoiceLanguage } from './clip-set.js';

/** One clip of an announcement: played one after the other, never two at once. */
export interface ClipRef {
  language: VoiceLanguage;
  clip: string;
}

export interface CallToAnnounce {
  /** The printed number: `A051`, `A1024` or the kiosk series `A2-047`. */
  number: string;
  /** The counter's number as the hall signs it (3 号窗口). */
  counterNumber: number;
  /** A recall (重呼) is announced with its own lead-in. */
  recall: boolean;
}

/** Ticket numbers are read one character at a time: `A051` is "A 零 五 一", never "A 五十一". */
function numberClips(number: string): string[] {
  return [...number].map((ch) => {
    if (ch === '-') return 'dash';
    if (/[0-9]/.test(ch)) return `digit-${ch}`;
    if (LETTERS.includes(ch)) return `letter-${ch}`;
    throw new RangeError(`cannot announce character ${JSON.stringify(ch)} of ${number}`);
  });
}

/**
 * Counter numbers are read as Chinese numerals (3 -> 三, 12 -> 十二, 20 -> 二十), as halls sign
 * them; past 99 digit by digit.
 */
function zhCounterClips(n: number): string[] {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`counter number ${n}`);
  if (n < 10 || n > 99) return [...String(n)].map((d) => `digit-${d}`);
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return [...(tens === 1 ? [] : [`digit-${tens}`]), 'ten', ...(ones === 0 ? [] : [`digit-${ones}`])];
}

/** "请 A051 号 到 3 号窗口 办理" in clips, with 重呼 in front of a recall. */
export function callClips(call: CallToAnnounce, language: VoiceLanguage): ClipRef[] {
  const names =
    language === VoiceLanguage.Zh
      ? [
          ...(call.recall ? ['recall'] : []),
          'please',
          ...numberClips(call.number),
          'number',
          'to',
          ...zhCounterClips(call.counterNumber),
          'counter-suffix',
          'handle',
        ]
      : [
          ...(call.recall ? ['recall'] : []),
          'number',
          ...numberClips(call.number),
          'go-to-counter',
          ...[...String(call.counterNumber)].map((d) => `digit-${d}`),
        ];
  return names.map((clip) => ({ language, clip }));
}

/** The same announcement as text, for speechSynthesis and for the screen reader's live region. */
export function callText(call: CallToAnnounce, language: VoiceLanguage): string {
  const spaced = [...call.number].join(' ');
  return language === VoiceLanguage.Zh
    ? `${call.recall ? '重呼，' : ''}请 ${spaced} 号 到 ${call.counterNumber} 号窗口 办理`
    : `${call.recall ? 'Calling again. ' : ''}Number ${spaced}, please go to counter ${call.counterNumber}`;
}
