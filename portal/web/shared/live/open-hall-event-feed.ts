import { openHallEventStream, StreamStatus } from '../../../../common/browser/sse-client.js';
import { FeedStatus, type HallEventFeed, type HallEventFeedOptions } from './hall-event-feed.js';

/** Refusals that mean the credentials are gone (revoked token, ended session): retrying cannot help. */
const REFUSED = new Set([401, 403]);

/**
 * The pages' hall event feed over the shared stream client (common/browser/sse-client.ts): its
 * statuses in the pages' terms, and a refused credential ends the feed instead of retrying.
 */
export function openHallEventFeed(options: HallEventFeedOptions): HallEventFeed {
  let refused = false;
  const stream = openHallEventStream({
    url: options.url,
    ...(options.headers ? { headers: options.headers } : {}),
    lastEventId: options.lastEventId,
    onEvent: options.onEvent,
    onResync: (resync) => options.onResync(resync.lastEventSeq),
    onStatus: (status) => {
      if (refused) return;
      if (status === StreamStatus.Live) options.onStatus(FeedStatus.Live);
      else if (status === StreamStatus.Reconnecting) options.onStatus(FeedStatus.Reconnecting);
      else if (status === StreamStatus.Connecting) options.onStatus(FeedStatus.Connecting);
    },
    onError: (failure) => {
      if (failure.status !== null && REFUSED.has(failure.status) && !refused) {
        refused = true;
        stream.close();
        options.onStatus(FeedStatus.Refused);
      } else if (failure.status === null) {
        console.warn('hall events:', failure.message);
      }
    },
  });
  return { restartFrom: (seq) => stream.restartFrom(seq), close: () => stream.close() };
}
