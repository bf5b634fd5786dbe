import { describe, expect, it } from 'vitest';
import { callClips, type ClipRef } from '../../voice/call-announcement.js';
import { VoiceLanguage } from '../../voice/clip-set.js';
import { createAnnouncementQueue, PartOutcome, type ClipPlayer, type SpeechVoice } from './announcement-queue.js';
import { clipsInUse, type VoiceSettings } from './announcement.js';

/** What the fake audio heard: one line per sentence, and how many voices were ever on at once. */
interface Ear {
  said: string[];
  maxTogether: number;
}

const sentence = (clips: readonly ClipRef[]) => clips.map((c) => `${c.language}/${c.clip}`).join(' ');

/**
 * A player whose sentences last until the test releases them (or one tick when `auto`), and a
 * speech voice on the same ear: both count toward "voices at once".
 */
function fakeAudio(options: { auto?: boolean; failClips?: (clips: readonly ClipRef[]) => boolean; speechLanguages?: VoiceLanguage[] } = {}) {
  const ear: Ear = { said: [], maxTogether: 0 };
  let together = 0;
  const releases: (() => void)[] = [];
  async function voice(line: string): Promise<void> {
    together += 1;
    ear.maxTogether = Math.max(ear.maxTogether, together);
    ear.said.push(line);
    if (options.auto ?? true) await new Promise((r) => setTimeout(r, 1));
    else await new Promise<void>((resolve) => releases.push(resolve));
    together -= 1;
  }
  const player: ClipPlayer = {
    async play(clips) {
      if (options.failClips?.(clips)) throw new Error('clip missing');
      await voice(sentence(clips));
    },
  };
  const speech: SpeechVoice = {
    canSpeak: (language) => (options.speechLanguages ?? []).includes(language),
    speak: (text, language) => voice(`speech:${language}:${text}`),
  };
  return { ear, player, speech, release: () => releases.shift()?.() };
}

function queueWith(audio: ReturnType<typeof fakeAudio>, settings: VoiceSettings = { voiceRepeat: 1, voiceEnglish: false }) {
  let current = settings;
  const queue = createAnnouncementQueue({
    player: audio.player,
    speech: audio.speech,
    settings: () => current,
    gapMs: 0,
    sleep: async () => undefined,
  });
  return { queue, setSettings: (s: VoiceSettings) => (current = s) };
}

const call = (number: string, counterNumber: number, recall = false, ticketId: string | null = null) => ({ number, counterNumber, recall, ticketId });
const zh = (number: string, counterNumber: number, recall = false) => sentence(callClips({ number, counterNumber, recall }, VoiceLanguage.Zh));
const en = (number: string, counterNumber: number, recall = false) => sentence(callClips({ number, counterNumber, recall }, VoiceLanguage.En));

describe('announcement queue', () => {
  it('says calls in the order they came, one after the other', async () => {
    const audio = fakeAudio();
    const { queue } = queueWith(audio);
    queue.enqueue(call('A051', 3));
    queue.enqueue(call('B002', 12));
    queue.enqueue(call('C2-047', 1));
    await queue.whenIdle();
    expect(audio.ear.said).toEqual([zh('A051', 3), zh('B002', 12), zh('C2-047', 1)]);
    expect(queue.history().map((r) => r.number)).toEqual(['A051', 'B002', 'C2-047']);
    expect(queue.queued()).toEqual([]);
  });

  it('never lets two voices overlap, even when calls arrive while one is being said', async () => {
    const audio = fakeAudio({ auto: false, failClips: (clips) => clips.some((c) => c.clip === 'letter-B'), speechLanguages: [VoiceLanguage.Zh] });
    const { queue } = queueWith(audio, { voiceRepeat: 2, voiceEnglish: false });
    queue.enqueue(call('A001', 1));
    queue.enqueue(call('B001', 2));
    queue.enqueue(call('A002', 3));
    for (let i = 0; i < 20; i++) {
      await new Promise((r) => setTimeout(r, 1));
      audio.release();
    }
    await queue.whenIdle();
    expect(audio.ear.maxTogether).toBe(1);
    // Two sentences per call, the failed clips of B001 said by speech synthesis instead.
    expect(audio.ear.said).toHaveLength(6);
    expect(audio.ear.said.filter((line) => line.startsWith('speech:'))).toHaveLength(2);
  });

  it('repeats each call voiceRepeat times, English after each Chinese sentence when asked', async () => {
    const audio = fakeAudio();
    const { queue } = queueWith(audio, { voiceRepeat: 2, voiceEnglish: true });
    const record = queue.enqueue(call('A051', 3));
    await queue.whenIdle();
    expect(audio.ear.said).toEqual([zh('A051', 3), en('A051', 3), zh('A051', 3), en('A051', 3)]);
    const once = [...callClips({ number: 'A051', counterNumber: 3, recall: false }, VoiceLanguage.Zh), ...callClips({ number: 'A051', counterNumber: 3, recall: false }, VoiceLanguage.En)];
    expect(record.clips).toEqual([...once, ...once]);
    expect(queue.history()[0]?.outcomes).toEqual([PartOutcome.Clips, PartOutcome.Clips, PartOutcome.Clips, PartOutcome.Clips]);
  });

  it('takes the settings in force when the call is queued', async () => {
    const audio = fakeAudio();
    const { queue, setSettings } = queueWith(audio, { voiceRepeat: 3, voiceEnglish: false });
    queue.enqueue(call('A001', 1));
    setSettings({ voiceRepeat: 1, voiceEnglish: false });
    queue.enqueue(call('A002', 1));
    await queue.whenIdle();
    expect(audio.ear.said).toEqual([zh('A001', 1), zh('A001', 1), zh('A001', 1), zh('A002', 1)]);
  });

  it('leads a recall with 重呼 (and "Calling again" in English)', async () => {
    const audio = fakeAudio();
    const { queue } = queueWith(audio, { voiceRepeat: 1, voiceEnglish: true });
    const record = queue.enqueue(call('A051', 3, true));
    await queue.whenIdle();
    expect(record.clips[0]).toEqual({ language: VoiceLanguage.Zh, clip: 'recall' });
    expect(audio.ear.said[0]?.startsWith('zh/recall zh/please zh/letter-A')).toBe(true);
    expect(audio.ear.said[1]?.startsWith('en/recall en/number en/letter-A')).toBe(true);
  });

  it('says callText with the zh-CN speech voice when a clip cannot be played', async () => {
    const audio = fakeAudio({ failClips: () => true, speechLanguages: [VoiceLanguage.Zh] });
    const { queue } = queueWith(audio, { voiceRepeat: 1, voiceEnglish: true });
    queue.enqueue(call('A051', 3, true));
    await queue.whenIdle();
    // No English voice on this machine: the English sentence is not said with a Chinese one.
    expect(audio.ear.said).toEqual(['speech:zh:重呼，请 A 0 5 1 号 到 3 号窗口 办理']);
    expect(queue.history()[0]?.outcomes).toEqual([PartOutcome.Speech, PartOutcome.Silent]);
  });

  it('stays silent, and goes on with the next call, when neither clips nor a voice work', async () => {
    const audio = fakeAudio({ failClips: (clips) => clips.some((c) => c.clip === 'letter-Z') });
    const { queue } = queueWith(audio);
    queue.enqueue(call('Z001', 1));
    queue.enqueue(call('A001', 2));
    await queue.whenIdle();
    expect(audio.ear.said).toEqual([zh('A001', 2)]);
    expect(queue.history().map((r) => r.outcomes)).toEqual([[PartOutcome.Silent], [PartOutcome.Clips]]);
  });

  it('replaces a waiting call of the same ticket by its recall, in its place', async () => {
    const audio = fakeAudio({ auto: false });
    const { queue } = queueWith(audio);
    queue.enqueue(call('A001', 1, false, 't-1'));
    queue.enqueue(call('A002', 2, false, 't-2'));
    queue.enqueue(call('A003', 3, false, 't-3'));
    queue.enqueue(call('A002', 2, true, 't-2'));
    expect(queue.queued().map((r) => `${r.number}${r.recall ? '+' : ''}`)).toEqual(['A001', 'A002+', 'A003']);
    // A recall of the call being said now is said again afterwards.
    queue.enqueue(call('A001', 1, true, 't-1'));
    for (let i = 0; i < 10; i++) {
      await new Promise((r) => setTimeout(r, 1));
      audio.release();
    }
    await queue.whenIdle();
    expect(audio.ear.said).toEqual([zh('A001', 1), zh('A002', 2, true), zh('A003', 3), zh('A001', 1, true)]);
  });

  it('says nothing more once disposed', async () => {
    const audio = fakeAudio({ auto: false });
    const { queue } = queueWith(audio);
    queue.enqueue(call('A001', 1));
    queue.enqueue(call('A002', 1));
    queue.dispose();
    audio.release();
    await queue.whenIdle();
    queue.enqueue(call('A003', 1));
    await queue.whenIdle();
    expect(audio.ear.said).toEqual([zh('A001', 1)]);
  });
});

describe('clips in use', () => {
  it('are the Chinese set, and the English one only when the hall turned English on', () => {
    const zhOnly = clipsInUse({ voiceEnglish: false });
    expect(new Set(zhOnly.map((c) => c.language))).toEqual(new Set([VoiceLanguage.Zh]));
    expect(zhOnly.map((c) => c.clip)).toContain('counter-suffix');
    const both = clipsInUse({ voiceEnglish: true });
    expect(both.filter((c) => c.language === VoiceLanguage.En).map((c) => c.clip)).toContain('go-to-counter');
    // Every clip any call can name is preloaded.
    const call = { number: 'Z9-999', counterNumber: 47, recall: true };
    for (const language of [VoiceLanguage.Zh, VoiceLanguage.En]) {
      for (const clip of callClips(call, language)) expect(both).toContainEqual(clip);
    }
  });
});
