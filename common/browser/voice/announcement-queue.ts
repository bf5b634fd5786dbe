import type { CallToAnnounce, ClipRef } from '../../voice/call-announcement.js';
import type { VoiceLanguage } from '../../voice/clip-set.js';
import { announcementParts, type AnnouncementPart, type VoiceSettings } from './announcement.js';

/** Plays clips back to back. Rejects, before any sound, when a clip cannot be loaded or decoded. */
export interface ClipPlayer {
  play(clips: readonly ClipRef[]): Promise<void>;
}

/** The browser's own speech (speechSynthesis): the fallback when the clips cannot be played. */
export interface SpeechVoice {
  /** Whether a voice for this language exists on this machine. */
  canSpeak(language: VoiceLanguage): boolean;
  /** Resolves when the sentence has been said (or failed). */
  speak(text: string, language: VoiceLanguage): Promise<void>;
}

/** How one sentence of an announcement reached the hall. */
export enum PartOutcome {
  Clips = 'clips',
  Speech = 'speech',
  /** Neither the clips nor a speech voice: nothing was said. */
  Silent = 'silent',
}

export interface AnnouncedCall extends CallToAnnounce {
  /** Set for calls of a ticket: a later call of the same ticket replaces one still waiting. */
  ticketId?: string | null;
}

/** One announcement, as the queue and its test hook (`window.__hallVoice`) show it. */
export interface AnnouncementRecord {
  id: number;
  ticketId: string | null;
  number: string;
  counterNumber: number;
  recall: boolean;
  /** Every clip of the announcement in the order it is played: all parts, all repetitions. */
  clips: ClipRef[];
  /** The sentences as text (what speech synthesis says instead of the clips). */
  texts: string[];
  /** Per part, once said; empty while waiting. */
  outcomes: PartOutcome[];
  enqueuedAt: number;
  startedAt: number | null;
  endedAt: number | null;
}

export interface AnnouncementQueueOptions {
  player: ClipPlayer;
  speech: SpeechVoice;
  /** The settings in force when a call is queued. */
  settings: () => VoiceSettings;
  /** A breath between two sentences (and two announcements), so repetitions do not run together. */
  gapMs?: number;
  /** Finished announcements kept for the test hook and diagnostics. */
  historyLimit?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** A clip set that failed, a speech error: worth a console warning, never a stop. */
  onProblem?: (what: string, err: unknown) => void;
  /** Called whenever the queue or the history changes. */
  onChange?: () => void;
}

export interface AnnouncementQueue {
  /** Queues a call; a call of a ticket still waiting to be said replaces it in its place. */
  enqueue(call: AnnouncedCall): AnnouncementRecord;
  /** The announcement being said now, then the waiting ones in order. */
  queued(): AnnouncementRecord[];
  /** Announcements said, oldest first. */
  history(): AnnouncementRecord[];
  /** Resolves when nothing is being said or waiting. */
  whenIdle(): Promise<void>;
  /** Stops after the sentence being said; nothing more is said. */
  dispose(): void;
}

export const DEFAULT_GAP_MS = 400;
export const DEFAULT_HISTORY_LIMIT = 50;

interface Entry {
  record: AnnouncementRecord;
  parts: AnnouncementPart[];
}

const copy = (record: AnnouncementRecord): AnnouncementRecord => ({
  ...record,
  clips: record.clips.map((c) => ({ ...c })),
  texts: [...record.texts],
  outcomes: [...record.outcomes],
});

/**
 * The one voice of a hall display (or a kiosk): announcements are said one after the other, never
 * two at once, each sentence from the clip set when it can be played and by speech synthesis when
 * it cannot. The player and the speech are injected, so the order is testable without audio.
 */
export function createAnnouncementQueue(options: AnnouncementQueueOptions): AnnouncementQueue {
  const gapMs = options.gapMs ?? DEFAULT_GAP_MS;
  const historyLimit = options.historyLimit ?? DEFAULT_HISTORY_LIMIT;
  const now = options.now ?? (() => Date.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const onProblem = options.onProblem ?? (() => undefined);
  const changed = () => options.onChange?.();

  const waiting: Entry[] = [];
  const done: AnnouncementRecord[] = [];
  let current: Entry | null = null;
  let running: Promise<void> | null = null;
  let disposed = false;
  let nextId = 1;

  async function sayPart(part: AnnouncementPart): Promise<PartOutcome> {
    try {
      await options.player.play(part.clips);
      return PartOutcome.Clips;
    } catch (err) {
      onProblem(`clips of ${part.language} could not be played`, err);
    }
    if (!options.speech.canSpeak(part.language)) return PartOutcome.Silent;
    try {
      await options.speech.speak(part.text, part.language);
      return PartOutcome.Speech;
    } catch (err) {
      onProblem(`speech in ${part.language} failed`, err);
      return PartOutcome.Silent;
    }
  }

  async function drain(): Promise<void> {
    let first = true;
    for (let entry = waiting.shift(); entry && !disposed; entry = waiting.shift()) {
      current = entry;
      entry.record.startedAt = now();
      changed();
      for (const part of entry.parts) {
        if (disposed) break;
        if (!first) await sleep(gapMs);
        first = false;
        entry.record.outcomes.push(await sayPart(part));
        changed();
      }
      entry.record.endedAt = now();
      done.push(entry.record);
      if (done.length > historyLimit) done.splice(0, done.length - historyLimit);
      current = null;
      changed();
    }
  }

  function kick(): void {
    if (running || disposed) return;
    running = drain().finally(() => {
      running = null;
      // A call queued while the last one finished: start again.
      if (waiting.length > 0) kick();
    });
  }

  return {
    enqueue(call) {
      const parts = announcementParts(call, options.settings());
      const record: AnnouncementRecord = {
        id: nextId++,
        ticketId: call.ticketId ?? null,
        number: call.number,
        counterNumber: call.counterNumber,
        recall: call.recall,
        clips: parts.flatMap((p) => p.clips),
        texts: parts.map((p) => p.text),
        outcomes: [],
        enqueuedAt: now(),
        startedAt: null,
        endedAt: null,
      };
      const entry = { record, parts };
      // A recall of a ticket whose call is still waiting: say the newest call once, where the
      // first one stood, rather than the same visitor twice in a row.
      const same = record.ticketId === null ? -1 : waiting.findIndex((w) => w.record.ticketId === record.ticketId);
      if (same >= 0) waiting.splice(same, 1, entry);
      else waiting.push(entry);
      changed();
      kick();
      return copy(record);
    },
    queued() {
      return [...(current ? [current] : []), ...waiting].map((e) => copy(e.record));
    },
    history() {
      return done.map(copy);
    },
    async whenIdle() {
      while (running) await running;
    },
    dispose() {
      disposed = true;
      waiting.length = 0;
      changed();
    },
  };
}
