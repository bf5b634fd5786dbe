import { describe, expect, it } from 'vitest';
import type { ClipRef } from '../../voice/call-announcement.js';
import { VoiceLanguage } from '../../voice/clip-set.js';
import { AudioBlockedError, ClipUnavailableError, createWebAudioPlayer } from './web-audio-player.js';

/** Decoded clip lengths in seconds, by file name. */
const DURATIONS: Record<string, number> = { 'please.ogg': 0.4, 'letter-A.ogg': 0.3, 'digit-5.ogg': 0.25 };

interface Started {
  name: string;
  at: number;
}

/**
 * Just enough of an AudioContext: decodes "files" whose body is their name, records when each
 * source is scheduled, and ends the last one at once (the test does not wait for real audio).
 */
function fakeContext(options: { state?: AudioContextState; resumes?: boolean } = {}) {
  const started: Started[] = [];
  let state: AudioContextState = options.state ?? 'running';
  const ctx = {
    currentTime: 10,
    destination: {},
    get state() {
      return state;
    },
    resume() {
      if (options.resumes === false) return new Promise<void>(() => undefined);
      state = 'running';
      return Promise.resolve();
    },
    async decodeAudioData(data: ArrayBuffer) {
      const name = new TextDecoder().decode(data);
      if (name === 'garbage') throw new Error('EncodingError');
      return { duration: DURATIONS[name] ?? 0.5, name } as unknown as AudioBuffer;
    },
    createBufferSource() {
      const source = {
        buffer: null as (AudioBuffer & { name: string }) | null,
        onended: null as (() => void) | null,
        connect: () => undefined,
        start(at: number) {
          started.push({ name: source.buffer?.name ?? '?', at });
          setTimeout(() => source.onended?.(), 0);
        },
      };
      return source;
    },
  };
  return { ctx: ctx as unknown as AudioContext, started };
}

function fakeFetch(bodies: Record<string, string | number>) {
  const fetched: string[] = [];
  const doFetch = (async (input: RequestInfo | URL) => {
    const url = String(input);
    fetched.push(url);
    const file = url.slice(url.lastIndexOf('/') + 1);
    const body = bodies[file] ?? file;
    if (typeof body === 'number') return new Response(null, { status: body });
    return new Response(new TextEncoder().encode(body));
  }) as typeof fetch;
  return { doFetch, fetched };
}

const clips = (...names: string[]): ClipRef[] => names.map((clip) => ({ language: VoiceLanguage.Zh, clip }));

describe('Web Audio clip player', () => {
  it('schedules every clip at the end of the one before, on the audio clock', async () => {
    const { ctx, started } = fakeContext();
    const { doFetch, fetched } = fakeFetch({});
    const player = createWebAudioPlayer({ baseUrl: 'http://portal.test/', createContext: () => ctx, fetch: doFetch });
    await player.play(clips('please', 'letter-A', 'digit-5'));
    expect(fetched).toEqual([
      'http://portal.test/voice/zh/please.ogg',
      'http://portal.test/voice/zh/letter-A.ogg',
      'http://portal.test/voice/zh/digit-5.ogg',
    ]);
    expect(started.map((s) => s.name)).toEqual(['please.ogg', 'letter-A.ogg', 'digit-5.ogg']);
    const [first, second, third] = started.map((s) => s.at);
    expect(first).toBeCloseTo(10.05, 6);
    expect(second).toBeCloseTo(10.45, 6);
    expect(third).toBeCloseTo(10.75, 6);
  });

  it('fetches and decodes each clip once, however often it is said', async () => {
    const { ctx } = fakeContext();
    const { doFetch, fetched } = fakeFetch({});
    const player = createWebAudioPlayer({ baseUrl: 'http://portal.test/display/../', createContext: () => ctx, fetch: doFetch });
    await player.preload(clips('please', 'digit-5'));
    await player.play(clips('please', 'digit-5', 'digit-5', 'please'));
    await player.play(clips('digit-5'));
    expect(fetched.sort()).toEqual(['http://portal.test/voice/zh/digit-5.ogg', 'http://portal.test/voice/zh/please.ogg']);
  });

  it('refuses the whole sentence, before any sound, when a clip is missing or undecodable, and retries it later', async () => {
    const { ctx, started } = fakeContext();
    const bodies: Record<string, string | number> = { 'digit-5.ogg': 404, 'letter-A.ogg': 'garbage' };
    const { doFetch, fetched } = fakeFetch(bodies);
    const player = createWebAudioPlayer({ baseUrl: 'http://portal.test/', createContext: () => ctx, fetch: doFetch });
    const missing = await player.play(clips('please', 'digit-5')).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ClipUnavailableError);
    expect((missing as ClipUnavailableError).clip).toEqual({ language: VoiceLanguage.Zh, clip: 'digit-5' });
    await expect(player.play(clips('letter-A'))).rejects.toBeInstanceOf(ClipUnavailableError);
    expect(started).toEqual([]);
    // The hall fixed its file: the next announcement fetches it again.
    delete bodies['digit-5.ogg'];
    await player.play(clips('digit-5'));
    expect(fetched.filter((u) => u.endsWith('digit-5.ogg'))).toHaveLength(2);
    expect(started.map((s) => s.name)).toEqual(['digit-5.ogg']);
  });

  it('starts a suspended context, and reports audio as blocked when it will not start', async () => {
    const resumable = fakeContext({ state: 'suspended' });
    const { doFetch } = fakeFetch({});
    await createWebAudioPlayer({ baseUrl: 'http://portal.test/', createContext: () => resumable.ctx, fetch: doFetch }).play(clips('please'));
    expect(resumable.started).toHaveLength(1);

    const blocked = fakeContext({ state: 'suspended', resumes: false });
    const player = createWebAudioPlayer({ baseUrl: 'http://portal.test/', createContext: () => blocked.ctx, fetch: doFetch, resumeTimeoutMs: 10 });
    await expect(player.play(clips('please'))).rejects.toBeInstanceOf(AudioBlockedError);
    expect(blocked.started).toEqual([]);
  });
});
