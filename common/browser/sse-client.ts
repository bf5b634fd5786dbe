import {
  HallEventEnvelope,
  HallStreamSignal,
  StreamReadyData,
  StreamResyncData,
} from '../contract/hall-events.js';
import { SseParser, type SseMessage } from '../realtime/sse-parser.js';

/** The wire parser lives in common/realtime (the kiosk's Node client uses it too); re-exported for this client's users. */
export { SseParser, type SseMessage } from '../realtime/sse-parser.js';

/**
 * A client of the portal's hall event streams (`GET /v1/display/events`, `/v1/counter/events`) on
 * `fetch` rather than `EventSource`, which cannot send an `Authorization` header (the display's
 * bearer token). It speaks the Server-Sent Events wire, reconnects with backoff sending
 * `Last-Event-ID`, and hands the page each hall event once, in seq order: an event at or below
 * the last one delivered is dropped, and one past a gap makes it reconnect so the portal replays
 * the gap from its table.
 *
 * Typical use (the hall display): load `GET /v1/display/state`, then
 * `openHallEventStream({ url, headers, lastEventId: state.lastEventSeq, onEvent, onResync })`,
 * and on `onResync` load the state again and call `stream.restartFrom(state.lastEventSeq)`.
 */

export enum StreamStatus {
  Connecting = 'connecting',
  /** Caught up (the portal's `ready`) and live. */
  Live = 'live',
  /** Lost; trying again after a backoff. */
  Reconnecting = 'reconnecting',
  Closed = 'closed',
}

export interface StreamFailure {
  /** HTTP status of a refused connection, or null for a network failure / broken stream. */
  status: number | null;
  message: string;
}

export interface HallEventStreamOptions {
  /** The stream's URL (absolute, or relative to the page). */
  url: string;
  /** Headers of every (re)connection, e.g. `{ authorization: 'Bearer …' }`; a function is asked each time. */
  headers?: Record<string, string> | (() => Record<string, string>);
  /** Deliver only events after this seq (a snapshot's `lastEventSeq`); null: from now on. */
  lastEventId?: number | null;
  /** Each hall event, once, in seq order. */
  onEvent: (event: HallEventEnvelope) => void;
  /** Caught up after a (re)connection: everything up to `lastEventSeq` has been delivered. */
  onReady?: (lastEventSeq: number) => void;
  /**
   * The portal cannot replay from where this client stopped (too old, or a restored database):
   * reload the snapshot, then `restartFrom` its seq. Until then the stream goes on after `lastEventSeq`.
   */
  onResync?: (resync: StreamResyncData) => void;
  onStatus?: (status: StreamStatus) => void;
  /** A connection failed or was refused (it is retried), or an event did not match the contract (skipped). */
  onError?: (failure: StreamFailure) => void;
  /** First reconnection delay; doubles up to `maxRetryMs`, jittered ±50 %. */
  minRetryMs?: number;
  maxRetryMs?: number;
  /** No byte for this long (the portal sends a heartbeat every 15 s): the connection is dead, reconnect. */
  idleTimeoutMs?: number;
  /** The fetch to use (tests; a page leaves the default). */
  fetch?: typeof fetch;
}

export interface HallEventStream {
  /** The seq of the last event delivered (or the point the portal said the client is caught up to). */
  readonly lastEventSeq: number | null;
  readonly status: StreamStatus;
  /** Goes on from `seq` (after reloading a snapshot): reconnects with it as Last-Event-ID. */
  restartFrom(seq: number): void;
  close(): void;
}

const DEFAULTS = { minRetryMs: 500, maxRetryMs: 15_000, idleTimeoutMs: 45_000 } as const;
/** A refusal that will not fix itself soon (a revoked token): retry, but at the slowest pace. */
const SLOW_STATUSES = new Set([400, 401, 403, 404]);

/** Opens the stream and keeps it open until `close()`. */
export function openHallEventStream(options: HallEventStreamOptions): HallEventStream {
  const minRetryMs = options.minRetryMs ?? DEFAULTS.minRetryMs;
  const maxRetryMs = options.maxRetryMs ?? DEFAULTS.maxRetryMs;
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULTS.idleTimeoutMs;
  // Called as a plain function: a detached `window.fetch` throws "Illegal invocation".
  const doFetch: typeof fetch = options.fetch ?? ((input, init) => fetch(input, init));

  let lastSeq: number | null = options.lastEventId ?? null;
  let status = StreamStatus.Connecting;
  let closed = false;
  let failures = 0;
  let connection: AbortController | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let idleTimer: ReturnType<typeof setTimeout> | null = null;

  const setStatus = (next: StreamStatus): void => {
    if (status === next) return;
    status = next;
    options.onStatus?.(next);
  };

  const headersOf = (): Record<string, string> =>
    typeof options.headers === 'function' ? options.headers() : { ...options.headers };

  /** Ends the current connection (if any) and schedules the next one. */
  const reconnect = (delayMs: number): void => {
    connection?.abort();
    connection = null;
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = null;
    if (closed) return;
    if (retryTimer) clearTimeout(retryTimer);
    setStatus(StreamStatus.Reconnecting);
    retryTimer = setTimeout(() => {
      retryTimer = null;
      void connect();
    }, delayMs);
  };

  const backoff = (slow = false): number => {
    failures++;
    const base = slow ? maxRetryMs : Math.min(maxRetryMs, minRetryMs * 2 ** Math.min(failures - 1, 16));
    return base * (0.5 + Math.random());
  };

  const fail = (failure: StreamFailure, delayMs: number): void => {
    options.onError?.(failure);
    reconnect(delayMs);
  };

  /** Handles one message; false when the connection must be dropped (a gap: the portal replays it). */
  const handle = (message: SseMessage, current: AbortController): boolean => {
    if (current !== connection) return false;
    let data: unknown;
    try {
      data = JSON.parse(message.data);
    } catch {
      options.onError?.({ status: null, message: `event ${message.event} is not JSON` });
      return true;
    }
    if (message.event === HallStreamSignal.Ready) {
      const ready = StreamReadyData.safeParse(data);
      if (!ready.success) return true;
      lastSeq = Math.max(lastSeq ?? 0, ready.data.lastEventSeq);
      failures = 0;
      setStatus(StreamStatus.Live);
      options.onReady?.(lastSeq);
      return true;
    }
    if (message.event === HallStreamSignal.Resync) {
      const resync = StreamResyncData.safeParse(data);
      if (!resync.success) return true;
      // The portal goes on after this seq, which may be below ours (a restored database).
      lastSeq = resync.data.lastEventSeq;
      options.onResync?.(resync.data);
      return true;
    }
    const seq = message.id !== null && /^\d+$/.test(message.id) ? Number(message.id) : null;
    if (seq === null) return true;
    if (lastSeq !== null && seq <= lastSeq) return true;
    if (lastSeq !== null && seq !== lastSeq + 1) {
      // Never skip: reconnect from the last one delivered and let the portal replay the gap.
      fail({ status: null, message: `event ${seq} came after ${lastSeq}: replaying the gap` }, 0);
      return false;
    }
    lastSeq = seq;
    const event = HallEventEnvelope.safeParse(data);
    if (!event.success || event.data.seq !== seq) {
      // A kind this page does not know yet: skipped, but counted, so it is no gap.
      options.onError?.({ status: null, message: `event ${seq} (${message.event}) does not match the contract; skipped` });
      return true;
    }
    options.onEvent(event.data);
    return true;
  };

  const connect = async (): Promise<void> => {
    if (closed) return;
    const current = new AbortController();
    connection = current;
    const headers: Record<string, string> = { accept: 'text/event-stream', ...headersOf() };
    if (lastSeq !== null) headers['last-event-id'] = String(lastSeq);

    const armIdle = (): void => {
      if (idleTimer) clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        if (current === connection) fail({ status: null, message: `no data for ${idleTimeoutMs} ms` }, backoff());
      }, idleTimeoutMs);
    };

    try {
      armIdle();
      // No cache option: the portal answers every stream with Cache-Control: no-store (and Node's fetch has none).
      const res = await doFetch(options.url, { headers, signal: current.signal });
      if (current !== connection) return;
      if (res.status !== 200 || !res.body) {
        const retryAfter = Number(res.headers.get('retry-after'));
        const delay = res.status === 429 && retryAfter > 0 ? retryAfter * 1000 : backoff(SLOW_STATUSES.has(res.status));
        await res.body?.cancel().catch(() => undefined);
        fail({ status: res.status, message: `stream refused with HTTP ${res.status}` }, delay);
        return;
      }
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      let open = true;
      const parser = new SseParser((message) => {
        if (open) open = handle(message, current);
      });
      while (open && current === connection) {
        const { value, done } = await reader.read();
        if (done) break;
        armIdle();
        parser.push(decoder.decode(value, { stream: true }));
      }
      if (!open || current !== connection) {
        await reader.cancel().catch(() => undefined);
        return;
      }
      // The portal ended the stream (restart, shutdown, dropped as slow): come back soon.
      fail({ status: null, message: 'stream ended' }, backoff());
    } catch (err) {
      if (current !== connection) return;
      fail({ status: null, message: err instanceof Error ? err.message : String(err) }, backoff());
    }
  };

  void connect();

  return {
    get lastEventSeq() {
      return lastSeq;
    },
    get status() {
      return status;
    },
    restartFrom(seq) {
      if (closed) return;
      lastSeq = seq;
      failures = 0;
      reconnect(0);
    },
    close() {
      if (closed) return;
      closed = true;
      connection?.abort();
      connection = null;
      if (retryTimer) clearTimeout(retryTimer);
      if (idleTimer) clearTimeout(idleTimer);
      setStatus(StreamStatus.Closed);
    },
  };
}
