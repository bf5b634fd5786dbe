import type { ClipRef } from '../../voice/call-announcement.js';
import { clipUrl } from '../../voice/clip-set.js';
import type { ClipPlayer } from './announcement-queue.js';

/** A clip that could not be fetched or decoded: the announcement falls back to speech. */
export class ClipUnavailableError extends Error {
  readonly clip: ClipRef;
  constructor(clip: ClipRef, cause: unknown) {
    super(`voice clip ${clip.language}/${clip.clip} unavailable`, { cause });
    this.name = 'ClipUnavailableError';
    this.clip = clip;
  }
}

/** The browser will not let this page make a sound (no autoplay permission, no user gesture). */
export class AudioBlockedError extends Error {
  constructor() {
    super('audio output is blocked: start Chromium with --autoplay-policy=no-user-gesture-required');
    this.name = 'AudioBlockedError';
  }
}

export interface WebAudioPlayerOptions {
  /** Where `voice/<lang>/<clip>.ogg` lives: the portal's root for the display, the page's folder on a kiosk. */
  baseUrl: string | URL;
  /** Made on first use; injected by tests. */
  createContext?: () => AudioContext;
  fetch?: typeof fetch;
  /** How long to wait for a suspended context to start before giving up on the clips. */
  resumeTimeoutMs?: number;
}

export interface WebAudioPlayer extends ClipPlayer {
  /** Fetches and decodes clips ahead of the first call (failures are left for `play` to report). */
  preload(clips: readonly ClipRef[]): Promise<void>;
  /** Starts the audio output from a user gesture (a browser without the autoplay flag needs one). */
  unlock(): Promise<void>;
}

/** The first clip starts this far ahead of "now" on the audio clock, so none is cut short. */
const LEAD_SECONDS = 0.05;
/** Past the scheduled end, the announcement counts as done even if no `ended` event came. */
const END_GRACE_MS = 1_000;

/**
 * Plays clip sequences with Web Audio: each clip fetched once and decoded, then every clip of a
 * sentence scheduled at the end of the previous one on the AudioContext clock, so the sentence
 * sounds joined, with no gap from timers or network.
 */
export function createWebAudioPlayer(options: WebAudioPlayerOptions): WebAudioPlayer {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const resumeTimeoutMs = options.resumeTimeoutMs ?? 1_500;
  const buffers = new Map<string, Promise<AudioBuffer>>();
  let context: AudioContext | null = null;

  const contextOf = (): AudioContext => (context ??= options.createContext?.() ?? new AudioContext());

  function load(clip: ClipRef): Promise<AudioBuffer> {
    const url = new URL(clipUrl(clip.language, clip.clip), options.baseUrl).href;
    let buffer = buffers.get(url);
    if (!buffer) {
      buffer = (async () => {
        const response = await doFetch(url, { credentials: 'same-origin' });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return contextOf().decodeAudioData(await response.arrayBuffer());
      })().catch((err: unknown) => {
        // Forget the failure: the next announcement tries again (the portal may be back).
        buffers.delete(url);
        throw new ClipUnavailableError(clip, err);
      });
      buffers.set(url, buffer);
    }
    return buffer;
  }

  async function running(ctx: AudioContext): Promise<void> {
    if (ctx.state === 'running') return;
    // Without the autoplay permission resume() stays pending until a gesture that never comes.
    await Promise.race([ctx.resume().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, resumeTimeoutMs))]);
    if ((ctx.state as AudioContextState) !== 'running') throw new AudioBlockedError();
  }

  return {
    async preload(clips) {
      await Promise.allSettled(clips.map(load));
    },

    async unlock() {
      await contextOf().resume().catch(() => undefined);
    },

    async play(clips) {
      if (clips.length === 0) return;
      const decoded = await Promise.all(clips.map(load));
      const ctx = contextOf();
      await running(ctx);
      let at = ctx.currentTime + LEAD_SECONDS;
      let last: AudioBufferSourceNode | null = null;
      for (const buffer of decoded) {
        const source = ctx.createBufferSource();
        source.buffer = buffer;
        source.connect(ctx.destination);
        source.start(at);
        at += buffer.duration;
        last = source;
      }
      const endsInMs = (at - ctx.currentTime) * 1000;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, endsInMs + END_GRACE_MS);
        if (last) {
          last.onended = () => {
            clearTimeout(timer);
            resolve();
          };
        }
      });
    },
  };
}
