import type pg from 'pg';
import { ResyncReason } from '../../common/contract/hall-events.js';
import { HALL_EVENT_PAGE, lastHallEventSeq, readHallEvents } from './hall-event-store.js';
import { startHallListener, type HallListener } from './hall-listener.js';
import { purgeHallEvents, HALL_EVENT_RETENTION } from './purge-hall-events.js';
import { DropReason, type HallEventSink } from './hall-event-sink.js';
import { hallEventFrame, readyFrame, resyncFrame } from './sse-frames.js';

export interface HallEventHubLimits {
  /** Live streams per hall in this process; past it a new one is refused. */
  maxStreamsPerHall: number;
  /** Live streams per principal (a display token, a member of staff); a new one ends the oldest. */
  maxStreamsPerPrincipal: number;
  /**
   * A client whose unread backlog stays above this for `slowClientGraceMs` is dropped: it does
   * not read. A burst may pass it for a moment; a client that reads catches up well within that.
   */
  maxBacklogBytes: number;
  slowClientGraceMs: number;
  /** A backlog above this drops the client at once, whatever the grace: the bound on memory per client. */
  hardBacklogBytes: number;
  /** How long a replay waits for a client to take a page before dropping it as slow. */
  replayDrainTimeoutMs: number;
}

export const DEFAULT_HUB_LIMITS: Readonly<HallEventHubLimits> = {
  maxStreamsPerHall: 200,
  // A display that lost its network reconnects before the portal sees the old socket die.
  maxStreamsPerPrincipal: 4,
  maxBacklogBytes: 1024 * 1024,
  slowClientGraceMs: 5_000,
  hardBacklogBytes: 8 * 1024 * 1024,
  replayDrainTimeoutMs: 30_000,
};

export interface HallEventHubOptions {
  pool: pg.Pool;
  /** The LISTEN connection's settings; default the pool's. */
  connection?: pg.ClientConfig;
  limits?: Partial<HallEventHubLimits>;
  /**
   * Every so often each followed hall is read even without a notification: a safety net under
   * LISTEN (default 30 s; 0 turns it off).
   */
  resyncIntervalMs?: number;
  /** How often old events are purged (default hourly; 0 turns it off, e.g. in tests). */
  purgeIntervalMs?: number;
  /** The streams' heartbeat comment interval (default 15 s). */
  heartbeatMs?: number;
  /** LISTEN reconnection and ping settings (tests shorten them). */
  listener?: { minRetryMs?: number; maxRetryMs?: number; pingIntervalMs?: number; pingTimeoutMs?: number };
  /** How events are read (default readHallEvents); tests slow it down to open race windows. */
  readEvents?: typeof readHallEvents;
  /** Anything that went wrong in the background (a read, the LISTEN connection, a purge). */
  onError?: (err: unknown, what: string) => void;
}

export interface HallSubscription {
  /** Stops delivery (the client went away). Idempotent. */
  close(): void;
}

export interface SubscribeRequest {
  hallId: string;
  /** The principal's rate-limit key (`display:hall:id`): the unit of `maxStreamsPerPrincipal`. */
  principalKey: string;
  sink: HallEventSink;
  /** The client's `Last-Event-ID`: replay the events after it; null: from now on. */
  lastEventId: number | null;
}

export interface HallEventHub {
  /** Throws `HubFull` when the hall has no room for another stream: call before opening one. */
  admit(hallId: string): void;
  subscribe(request: SubscribeRequest): HallSubscription;
  /** How often a stream sends its heartbeat comment. */
  readonly heartbeatMs: number;
  /**
   * Starts listening (else the first stream does) and the hourly purge of old events; resolves
   * once LISTEN is in place. The portal process calls it at start-up.
   */
  start(): Promise<void>;
  /** Whether the LISTEN connection is in place. */
  readonly listening: boolean;
  /** The LISTEN connection's backend pid (tests terminate it). */
  listenerPid(): number | null;
  /** Streams open in this process (all halls). */
  streamCount(): number;
  /** Ends every stream, stops listening and the timers. */
  close(): Promise<void>;
}

export class HubFull extends Error {
  constructor(hallId: string) {
    super(`too many live streams for hall ${hallId}`);
    this.name = 'HubFull';
  }
}

interface Subscriber {
  readonly hallId: string;
  readonly principalKey: string;
  readonly sink: HallEventSink;
  /** The seq of the last event written to it: it gets seq+1 next, never anything at or below. */
  sent: number;
  /** False while it replays from the table; live events are then left to the replay to read. */
  live: boolean;
  closed: boolean;
  /** Armed while its backlog is above `maxBacklogBytes`: drops it unless it drains first. */
  slowTimer: NodeJS.Timeout | null;
}

/** The subscribers of one hall in this process, and how far the hall has been read for them. */
interface HallChannel {
  readonly hallId: string;
  readonly subscribers: Set<Subscriber>;
  /** The last seq read and offered to the subscribers; null until the first subscriber caught up. */
  delivered: number | null;
  pumping: boolean;
  /** A notification came during a pump: read again when it ends. */
  again: boolean;
}

const PUMP_RETRY_MS = 1_000;
/** A comment line this often keeps proxies, the client and the portal's idle-socket timeout satisfied. */
export const DEFAULT_HEARTBEAT_MS = 15_000;

/**
 * The fan-out of hall events to live pages in one portal process. One LISTEN connection tells it
 * which hall has new events; it reads them once (`delivered` onwards) and offers each to every
 * subscriber of that hall. A subscriber takes an event only if it is exactly the next one it
 * needs (`sent + 1`): an older one is a duplicate and skipped, a newer one means it missed some,
 * and it goes back to reading the table itself until caught up. That one rule makes the replay
 * after `Last-Event-ID`, the race between a replay and live notifications, and a LISTEN
 * connection lost for a while all end the same way: every event once, in order.
 */
export function createHallEventHub(options: HallEventHubOptions): HallEventHub {
  const { pool } = options;
  const limits: HallEventHubLimits = { ...DEFAULT_HUB_LIMITS, ...options.limits };
  const onError = options.onError ?? (() => undefined);
  const readEvents = options.readEvents ?? readHallEvents;
  const channels = new Map<string, HallChannel>();
  const byPrincipal = new Map<string, Subscriber[]>();
  let closed = false;

  const channelOf = (hallId: string): HallChannel => {
    let channel = channels.get(hallId);
    if (!channel) {
      channel = { hallId, subscribers: new Set(), delivered: null, pumping: false, again: false };
      channels.set(hallId, channel);
    }
    return channel;
  };

  const drop = (sub: Subscriber, reason: DropReason): void => {
    if (sub.closed) return;
    sub.closed = true;
    if (sub.slowTimer) clearTimeout(sub.slowTimer);
    const channel = channels.get(sub.hallId);
    if (channel) {
      channel.subscribers.delete(sub);
      // Nobody follows the hall here any more: forget how far it was read.
      if (channel.subscribers.size === 0) channels.delete(sub.hallId);
    }
    const same = byPrincipal.get(sub.principalKey);
    if (same) {
      const left = same.filter((s) => s !== sub);
      if (left.length === 0) byPrincipal.delete(sub.principalKey);
      else byPrincipal.set(sub.principalKey, left);
    }
    sub.sink.close(reason);
  };

  /** A live write; a client that does not take what it is sent is dropped (see the limits). */
  const write = (sub: Subscriber, frame: string): void => {
    sub.sink.send(frame);
    const backlog = sub.sink.backlog();
    if (backlog > limits.hardBacklogBytes) drop(sub, DropReason.Slow);
    else if (backlog > limits.maxBacklogBytes && sub.slowTimer === null) {
      sub.slowTimer = setTimeout(() => {
        sub.slowTimer = null;
        if (sub.sink.backlog() > limits.maxBacklogBytes) drop(sub, DropReason.Slow);
      }, limits.slowClientGraceMs);
      sub.slowTimer.unref();
    }
  };

  /** Waits until the client took what it was sent; false (and dropped) if it does not in time. */
  const drained = async (sub: Subscriber): Promise<boolean> => {
    if (sub.sink.backlog() <= limits.maxBacklogBytes / 2) return true;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), limits.replayDrainTimeoutMs);
    });
    const ok = await Promise.race([sub.sink.drained().then(() => true), timedOut]);
    clearTimeout(timer);
    if (!ok) drop(sub, DropReason.Slow);
    return ok && !sub.closed;
  };

  /**
   * Reads the table for `sub` from `sub.sent` until it has everything this process has read for
   * the hall, then puts it live. `first`: the opening replay, which checks the client's
   * Last-Event-ID against the table and ends with the `ready` frame.
   */
  const replay = async (sub: Subscriber, first: boolean): Promise<void> => {
    sub.live = false;
    try {
      if (first) {
        const last = await lastHallEventSeq(pool, sub.hallId);
        if (sub.closed) return;
        if (sub.sent === -1) sub.sent = last;
        else if (sub.sent > last) {
          sub.sent = last;
          write(sub, resyncFrame(last, ResyncReason.Ahead));
        } else if (sub.sent < last) {
          const next = await readEvents(pool, sub.hallId, sub.sent, 1);
          if (sub.closed) return;
          // Seqs have no gaps: a first event other than the next one means the rest were purged.
          if (next[0]?.seq !== sub.sent + 1) {
            sub.sent = last;
            write(sub, resyncFrame(last, ResyncReason.Expired));
          }
        }
      }
      for (;;) {
        if (sub.closed) return;
        const events = await readEvents(pool, sub.hallId, sub.sent, HALL_EVENT_PAGE);
        for (const event of events) {
          if (sub.closed) return;
          if (event.seq <= sub.sent) continue;
          // A replay writes a page, then waits for the client to take it (drained, below).
          sub.sink.send(hallEventFrame(event));
          sub.sent = event.seq;
        }
        if (!(await drained(sub))) return;
        if (events.length === HALL_EVENT_PAGE) continue;
        const channel = channelOf(sub.hallId);
        // The hall's pump offered events past ours while we read: they were left to us.
        if (channel.delivered !== null && channel.delivered > sub.sent) continue;
        sub.live = true;
        if (first) write(sub, readyFrame(sub.sent));
        if (channel.delivered === null) {
          // The first subscriber to catch up sets where the hall's reads start. A notification
          // may have come while it read: one pump finds whatever that was.
          channel.delivered = sub.sent;
          pump(channel);
        }
        return;
      }
    } catch (err) {
      onError(err, 'hall event replay');
      drop(sub, DropReason.Failed);
    }
  };

  const offer = (sub: Subscriber, seq: number, frame: string): void => {
    if (sub.closed || !sub.live || seq <= sub.sent) return;
    if (seq !== sub.sent + 1) {
      void replay(sub, false);
      return;
    }
    sub.sent = seq;
    write(sub, frame);
  };

  /** Reads the hall's new events once and offers them to its subscribers; one pump per hall at a time. */
  const pump = (channel: HallChannel): void => {
    if (channel.delivered === null || closed) return;
    if (channel.pumping) {
      channel.again = true;
      return;
    }
    channel.pumping = true;
    void (async () => {
      try {
        do {
          channel.again = false;
          for (;;) {
            const from: number = channel.delivered ?? 0;
            const events = await readEvents(pool, channel.hallId, from, HALL_EVENT_PAGE);
            for (const event of events) {
              const frame = hallEventFrame(event);
              channel.delivered = event.seq;
              for (const sub of [...channel.subscribers]) offer(sub, event.seq, frame);
            }
            if (events.length < HALL_EVENT_PAGE || channel.subscribers.size === 0) break;
          }
        } while (channel.again && channel.subscribers.size > 0 && !closed);
      } catch (err) {
        onError(err, 'hall event read');
        // The notification is spent: try again shortly rather than wait for the next one.
        setTimeout(() => pump(channel), PUMP_RETRY_MS).unref();
      } finally {
        channel.pumping = false;
      }
    })();
  };

  const pumpAll = (): void => {
    for (const channel of channels.values()) pump(channel);
  };

  let listener: HallListener | null = null;
  /** LISTEN starts with the first stream, or with start(): a process nobody follows holds no connection. */
  const ensureListening = (): HallListener => {
    listener ??= startHallListener({
      connection: options.connection ?? pool.options,
      ...options.listener,
      onNotify: (hallId) => {
        const channel = channels.get(hallId);
        if (channel) pump(channel);
      },
      // Notifications sent while the connection was down are lost: read every followed hall.
      onListening: pumpAll,
      onConnectionError: (err) => onError(err, 'LISTEN connection'),
    });
    return listener;
  };

  const timers: NodeJS.Timeout[] = [];
  const resyncIntervalMs = options.resyncIntervalMs ?? 30_000;
  if (resyncIntervalMs > 0) timers.push(setInterval(pumpAll, resyncIntervalMs));
  let purging: Promise<unknown> | null = null;
  const purgeStop = new AbortController();
  const purge = (): void => {
    if (purging || closed) return;
    purging = purgeHallEvents(pool, {
      before: new Date(Date.now() - HALL_EVENT_RETENTION.maxAgeMs),
      keepLatest: HALL_EVENT_RETENTION.keepLatest,
      signal: purgeStop.signal,
    })
      .catch((err: unknown) => onError(err, 'hall event purge'))
      .finally(() => (purging = null));
  };
  let started = false;
  const start = async (): Promise<void> => {
    if (!started && !closed) {
      started = true;
      const purgeIntervalMs = options.purgeIntervalMs ?? HALL_EVENT_RETENTION.purgeIntervalMs;
      if (purgeIntervalMs > 0) {
        const timer = setInterval(purge, purgeIntervalMs);
        timer.unref();
        timers.push(timer);
        purge();
      }
    }
    await ensureListening().whenListening();
  };
  for (const timer of timers) timer.unref();

  return {
    admit(hallId) {
      if (closed || (channels.get(hallId)?.subscribers.size ?? 0) >= limits.maxStreamsPerHall) throw new HubFull(hallId);
    },

    subscribe({ hallId, principalKey, sink, lastEventId }) {
      const sub: Subscriber = { hallId, principalKey, sink, sent: lastEventId ?? -1, live: false, closed: false, slowTimer: null };
      if (closed) {
        sub.closed = true;
        sink.close(DropReason.ShuttingDown);
        return { close: () => undefined };
      }
      const same = byPrincipal.get(principalKey) ?? [];
      while (same.length >= limits.maxStreamsPerPrincipal) {
        const oldest = same[0];
        if (!oldest) break;
        drop(oldest, DropReason.Replaced);
        same.shift();
      }
      byPrincipal.set(principalKey, [...same.filter((s) => !s.closed), sub]);
      channelOf(hallId).subscribers.add(sub);
      ensureListening();
      void replay(sub, true);
      return { close: () => drop(sub, DropReason.Gone) };
    },

    heartbeatMs: options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
    start,
    get listening() {
      return listener?.listening ?? false;
    },
    listenerPid: () => listener?.backendPid() ?? null,
    streamCount: () => [...channels.values()].reduce((n, c) => n + c.subscribers.size, 0),

    async close() {
      if (closed) return;
      closed = true;
      for (const timer of timers) clearInterval(timer);
      purgeStop.abort();
      for (const channel of [...channels.values()]) {
        for (const sub of [...channel.subscribers]) drop(sub, DropReason.ShuttingDown);
      }
      await listener?.stop();
      await purging;
    },
  };
}
