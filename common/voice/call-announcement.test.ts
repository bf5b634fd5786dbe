import { describe, expect, it } from 'vitest';
import { callClips, callText } from './call-announcement.js';
import { CLIP_WORDS, VoiceLanguage } from './clip-set.js';

const names = (call: Parameters<typeof callClips>[0], language = VoiceLanguage.Zh): string[] =>
  callClips(call, language).map((c) => c.clip);

describe('callClips', () => {
  it('reads the ticket number digit by digit and the counter as a numeral', () => {
    expect(names({ number: 'A051', counterNumber: 3, recall: false })).toEqual([
      'please', 'letter-A', 'digit-0', 'digit-5', 'digit-1', 'number', 'to', 'digit-3', 'counter-suffix', 'handle',
    ]);
  });

  it('says 十二 for counter 12, 二十 for 20, 十 for 10, digits past 99', () => {
    const counter = (n: number): string[] => names({ number: 'B001', counterNumber: n, recall: false }).slice(7, -2);
    expect(counter(12)).toEqual(['ten', 'digit-2']);
    expect(counter(20)).toEqual(['digit-2', 'ten']);
    expect(counter(10)).toEqual(['ten']);
    expect(counter(101)).toEqual(['digit-1', 'digit-0', 'digit-1']);
  });

  it('leads a recall with 重呼 and reads four-digit and kiosk-series numbers', () => {
    expect(names({ number: 'A1024', counterNumber: 1, recall: true }).slice(0, 7)).toEqual([
      'recall', 'please', 'letter-A', 'digit-1', 'digit-0', 'digit-2', 'digit-4',
    ]);
    expect(names({ number: 'C2-047', counterNumber: 1, recall: false }).slice(1, 7)).toEqual([
      'letter-C', 'digit-2', 'dash', 'digit-0', 'digit-4', 'digit-7',
    ]);
  });

  it('only ever names clips the set has, in both languages', () => {
    for (const language of [VoiceLanguage.Zh, VoiceLanguage.En]) {
      for (const clip of callClips({ number: 'Z9-999', counterNumber: 47, recall: true }, language)) {
        expect(CLIP_WORDS[language][clip.clip], `${language}/${clip.clip}`).toBeDefined();
      }
    }
  });

  it('refuses a character it cannot say', () => {
    expect(() => callClips({ number: 'a01', counterNumber: 1, recall: false }, VoiceLanguage.Zh)).toThrow(RangeError);
  });
});

describe('callText', () => {
  it('says the same in words', () => {
    expect(callText({ number: 'A051', counterNumber: 3, recall: false }, VoiceLanguage.Zh)).toBe('请 A 0 5 1 号 到 3 号窗口 办理');
    expect(callText({ number: 'A051', counterNumber: 3, recall: true }, VoiceLanguage.En)).toBe(
      'Calling again. Number A 0 5 1, please go to counter 3',
    );
  });
});
