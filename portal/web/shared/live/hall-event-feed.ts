import type { HallEventEnvelope } from '../../../../common/contract/hall-events.js';

/** How the live connection to the portal stands, as a page shows it. */
export enum FeedStatus {
  Connecting = 'connecting',
  Live = 'live',
  /** Lost; retrying with Last-Event-ID, so nothing is missed once back. */
  Reconnecting = 'reconnecting',
  /** The portal refused the credentials (display token revoked, session ended): no retry. */
  Refused = 'refused',
}

export interface HallEventFeedOptions {
  /** Absolute URL of the stream (`/v1/display/events`, `/v1/counter/events`). */
  url: string;
  /** Bearer header of a display; none for the console (its cookie goes by itself). */
  headers?: () => Record<string, string>;
  /** The seq the page's snapshot includes: the stream starts after it. */
  lastEventId: number | null;
  onEvent(event: HallEventEnvelope): void;
  /** The stream cannot replay what the page missed: reload the snapshot (the stream goes on). */
  onResync(lastEventSeq: number): void;
  onStatus(status: FeedStatus): void;
}

export interface HallEventFeed {
  /** Goes on after `seq` (a reloaded snapshot's): reconnects with it as Last-Event-ID. */
  restartFrom(seq: number): void;
  close(): void;
}

/** Opens a hall event stream; injected into the stores so tests drive events by hand. */
export type OpenHallEventFeed = (options: HallEventFeedOptions) => HallEventFeed;
