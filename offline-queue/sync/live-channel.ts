import { HallEventKind } from '../../common/contract/hall-events.js';
import { KIOSK_EVENTS_PATH } from '../../common/contract/sync-api.js';
import { SseParser, type SseMessage } from '../../common/realtime/sse-parser.js';
import { fullJitterDelay, type BackoffPolicy } from './backoff.js';

/** Why the live channel wants a pull now. */
export enum LiveChange {
  /** Appointments of today or tomorrow were booked, cancelled or checked in. */
  Appointments = 'appointments',
  /** Services, hours, guides or the calendar changed. */
  Catalog = 'catalog',
  /** (Re)connected: whatever happened while the channel was down is pulled now. */
  Connected = 'connected',
}

export enum LiveChannelState {
  Connecting = 'connecting',
  /** Connected and caught up: changes arrive within moments. */
  Live = 'live',
  /** Lost or refused: the periodic pull carries on; trying again after a backoff. */
  Retrying = 'retrying',
  Closed = 'closed',
}

export interface LiveChannelOptions {
  baseUrl: string;
  token: string;
  /** The portal transport's fetch (the hall CA); default the runtime's own. */
  fetchImpl?: typeof fetch;
  /** Called for every change the kiosk should pull for; the caller coalesces (SyncEngine.pullSoon). */
  onChange: (change: LiveChange) => void;
  onState?: (state: LiveChannelState, detail: string | null) => void;
  /** Reconnection backoff (full jitter); a refusal (401/403/404) waits the maximum. */
  backoff?: BackoffPolicy;
  /** No byte for this long (the portal sends a heartbeat every 15 s): the connection is dead. */
  idleTimeoutMs?: number;
  random?: () => number;
}

export interface LiveChannel {
  readonly state: LiveChannelState;
  close(): Promise<void>;
}

/** The stream's other frames (`ready`, `resync`, other kinds) change nothing here: a connection pulls once by itself. */
const CHANGES: Readonly<Record<string, LiveChange>> = {
  [HallEventKind.AppointmentsChanged]: LiveChange.Appointments,
  [HallEventKind.CatalogChanged]: LiveChange.Catalog,
};
/** A refusal that will not fix itself soon (a revoked token, a portal without the route). */
const SLOW_STATUSES = new Set([400, 401, 403, 404]);
const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 30_000 };

/**
 * The kiosk's live channel (`GET /v1/kiosk/stream`, Server-Sent Events, kiosk token): the portal
 * says when the hall's appointments or catalog changed, and the kiosk pulls at once instead of
 * waiting for its periodic pull, which stays as the safety net. The channel carries no data of
 * its own, only "pull now": no Last-Event-ID is kept, a (re)connection simply pulls once, so
 * nothing missed while it was down is lost. Reconnects with backoff and full jitter (thousands of
 * kiosks lose one portal at the same moment). Never throws: failures only change its state.
 */
export function followLiveChannel(opts: LiveChannelOptions): LiveChannel {
  const url = `${opts.baseUrl.replace(/\/+$/, '')}${KIOSK_EVENTS_PATH}`;
  const doFetch: typeof fetch = opts.fetchImpl ?? ((input, init) => fetch(input, init));
  const backoff = opts.backoff ?? DEFAULT_BACKOFF;
  const idleTimeoutMs = opts.idleTimeoutMs ?? 45_000;
  const random = opts.random ?? Math.random;

  let state = LiveChannelState.Connecting;
  let closed = false;
  let failures = 0;
  let connection: AbortController | null = null;
  let retryTimer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();

  const setState = (next: LiveChannelState, detail: string | null = null): void => {
    if (state === next && detail === null) return;
    state = next;
    opts.onState?.(next, detail);
  };

  const retry = (detail: string, slow: boolean): void => {
    if (closed) return;
    failures += 1;
    // A refusal waits between half the maximum and the maximum: no hammering, still spread out.
    const delay = slow ? Math.floor(backoff.maxMs * (0.5 + random() / 2)) : fullJitterDelay(backoff, failures, random);
    setState(LiveChannelState.Retrying, detail);
    retryTimer = setTimeout(() => {
      retryTimer = null;
      running = connect();
    }, delay);
    retryTimer.unref();
  };

  const notify = (change: LiveChange): void => {
    try {
      opts.onChange(change);
    } catch (err) {
      console.error('live channel: onChange listener threw', err);
    }
  };

  const dispatch = (message: SseMessage): void => {
    const change = Object.hasOwn(CHANGES, message.event) ? CHANGES[message.event] : undefined;
    if (change !== undefined) notify(change);
  };

  async function connect(): Promise<void> {
    if (closed) return;
    const current = new AbortController();
    connection = current;
    setState(LiveChannelState.Connecting);
    let idle: NodeJS.Timeout | null = null;
    const armIdle = (): void => {
      if (idle) clearTimeout(idle);
      idle = setTimeout(() => current.abort(new Error(`no data for ${idleTimeoutMs} ms`)), idleTimeoutMs);
      idle.unref();
    };
    try {
      armIdle();
      const res = await doFetch(url, {
        headers: { authorization: `Bearer ${opts.token}`, accept: 'text/event-stream' },
        signal: current.signal,
      });
      if (res.status !== 200 || !res.body) {
        await res.body?.cancel().catch(() => undefined);
        retry(`stream refused with HTTP ${res.status}`, SLOW_STATUSES.has(res.status));
        return;
      }
      // Connected: every change from now on comes as an event; one pull covers what came before.
      failures = 0;
      setState(LiveChannelState.Live);
      notify(LiveChange.Connected);
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      const parser = new SseParser(dispatch);
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        armIdle();
        parser.push(decoder.decode(value, { stream: true }));
      }
      retry('stream ended', false);
    } catch (err) {
      if (closed) return;
      const reason = current.signal.aborted && current.signal.reason instanceof Error ? current.signal.reason : err;
      retry(reason instanceof Error ? reason.message : String(reason), false);
    } finally {
      if (idle) clearTimeout(idle);
      if (connection === current) connection = null;
    }
  }

  running = connect();

  return {
    get state() {
      return state;
    },
    async close() {
      if (closed) return;
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      connection?.abort(new Error('closed'));
      await running;
      setState(LiveChannelState.Closed);
    },
  };
}
