import { HallStreamSignal } from '../../common/contract/hall-events.js';
import type { HallEventSink } from './hall-event-sink.js';

/** The `event:` name of a frame of portal/realtime/sse-frames.ts (its second line), or null. */
export function frameEventName(frame: string): string | null {
  const match = /^id: \d+\nevent: ([^\n]+)\n/.exec(frame);
  return match?.[1] ?? null;
}

/**
 * A sink that passes on only the hall events of `kinds`, and the stream's own `ready` and `resync`
 * frames: the hub (portal/realtime/hall-event-hub.ts) offers a subscriber every event of its
 * hall, in order, and the frames stay the hub's (ids, replay after `Last-Event-ID`); a client
 * that follows only some kinds simply never sees the others. Its `Last-Event-ID` may then lie
 * behind events it skipped: the replay reads past them again, and drops them again.
 */
export function kindFilterSink(sink: HallEventSink, kinds: ReadonlySet<string>): HallEventSink {
  const passes = (frame: string): boolean => {
    const name = frameEventName(frame);
    return name === null || kinds.has(name) || name === HallStreamSignal.Ready || name === HallStreamSignal.Resync;
  };
  return {
    send(frame) {
      if (passes(frame)) sink.send(frame);
    },
    backlog: () => sink.backlog(),
    drained: () => sink.drained(),
    close: (reason) => sink.close(reason),
  };
}
