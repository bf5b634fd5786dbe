import type { AnnouncementQueue, AnnouncementRecord } from './announcement-queue.js';

/**
 * `window.__hallVoice`: what the voice is saying, has said and will say, so an end-to-end test
 * can check the clip sequence of a call without hearing it. Read-only snapshots; it holds what
 * the wall display says aloud anyway, nothing secret.
 */
export interface HallVoiceHook {
  /** The announcement being said, then the waiting ones. */
  readonly queue: AnnouncementRecord[];
  /** Announcements said, oldest first, each with its clip sequence and how it was said. */
  readonly history: AnnouncementRecord[];
  /** Nothing said or waiting. */
  readonly idle: boolean;
}

declare global {
  interface Window {
    __hallVoice?: HallVoiceHook;
  }
}

export function installHallVoiceHook(target: Window, queue: AnnouncementQueue): HallVoiceHook {
  const hook: HallVoiceHook = {
    get queue() {
      return queue.queued();
    },
    get history() {
      return queue.history();
    },
    get idle() {
      return queue.queued().length === 0;
    },
  };
  Object.defineProperty(target, '__hallVoice', { value: hook, configurable: true, enumerable: false, writable: false });
  return hook;
}
