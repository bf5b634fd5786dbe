import pg from 'pg';
import { HALL_EVENTS_CHANNEL } from './emit-hall-event.js';

export interface HallListenerOptions {
  /** Where to connect: a dedicated connection, never one of the pool's (LISTEN is per session). */
  connection: pg.ClientConfig;
  /** A hall event was committed: `seq` in hall `hallId`. */
  onNotify: (hallId: string, seq: number) => void;
  /**
   * LISTEN is in place (again): notifications sent while it was not were lost, so whoever follows
   * halls must read what they may have missed. Called after every (re)connection.
   */
  onListening: () => void;
  /** The connection failed or dropped; a reconnection is scheduled. */
  onConnectionError?: (err: Error) => void;
  /** First reconnection delay; it doubles up to `maxRetryMs` (jittered ±50 %). */
  minRetryMs?: number;
  maxRetryMs?: number;
  /** A `SELECT 1` this often finds a connection that died without a word (a cut network). */
  pingIntervalMs?: number;
  /** A ping not answered within this is a dead connection. */
  pingTimeoutMs?: number;
}

export interface HallListener {
  /** Whether LISTEN is in place right now. */
  readonly listening: boolean;
  /** Resolves once LISTEN is in place (at once if it is). */
  whenListening(): Promise<void>;
  /** The backend pid of the current connection (tests terminate it), or null. */
  backendPid(): number | null;
  /** Ends the connection; no reconnection after. */
  stop(): Promise<void>;
}

const DEFAULTS = { minRetryMs: 250, maxRetryMs: 10_000, pingIntervalMs: 30_000, pingTimeoutMs: 10_000 } as const;

/** `hallId:seq`; a hall id may itself hold a colon, the seq never does. */
export function parseHallNotification(payload: string | undefined): { hallId: string; seq: number } | null {
  if (!payload) return null;
  const colon = payload.lastIndexOf(':');
  if (colon <= 0) return null;
  const seq = Number(payload.slice(colon + 1));
  if (!Number.isSafeInteger(seq) || seq <= 0) return null;
  return { hallId: payload.slice(0, colon), seq };
}

/**
 * The portal process's one LISTEN connection to `hall_events`: a pg.Client of its own (a pooled
 * connection would be handed to a request with LISTEN still on it). When it drops (PostgreSQL
 * restarted, the backend terminated, the network cut and found by the ping) it reconnects with
 * exponential backoff, and `onListening` tells the caller to catch up on what it missed.
 */
export function startHallListener(options: HallListenerOptions): HallListener {
  const minRetryMs = options.minRetryMs ?? DEFAULTS.minRetryMs;
  const maxRetryMs = options.maxRetryMs ?? DEFAULTS.maxRetryMs;
  const pingIntervalMs = options.pingIntervalMs ?? DEFAULTS.pingIntervalMs;
  const pingTimeoutMs = options.pingTimeoutMs ?? DEFAULTS.pingTimeoutMs;

  let stopped = false;
  let client: pg.Client | null = null;
  let pid: number | null = null;
  let listening = false;
  let failures = 0;
  let retryTimer: NodeJS.Timeout | null = null;
  let pingTimer: NodeJS.Timeout | null = null;
  let waiters: (() => void)[] = [];

  const retryDelay = (): number => {
    const base = Math.min(maxRetryMs, minRetryMs * 2 ** Math.min(failures, 16));
    return base * (0.5 + Math.random());
  };

  const clearTimers = (): void => {
    if (retryTimer) clearTimeout(retryTimer);
    if (pingTimer) clearInterval(pingTimer);
    retryTimer = null;
    pingTimer = null;
  };

  /** Drops `failed` (if it is still the current connection) and schedules the next attempt. */
  const lose = (failed: pg.Client, err: Error): void => {
    if (failed !== client) return;
    client = null;
    pid = null;
    listening = false;
    clearTimers();
    // A dead socket may never answer end(): do not wait for it.
    failed.end().catch(() => undefined);
    if (stopped) return;
    options.onConnectionError?.(err);
    failures++;
    retryTimer = setTimeout(() => void connect(), retryDelay());
    retryTimer.unref();
  };

  const ping = (current: pg.Client): void => {
    let answered = false;
    const timeout = setTimeout(() => {
      if (!answered) lose(current, new Error(`LISTEN connection did not answer a ping within ${pingTimeoutMs} ms`));
    }, pingTimeoutMs);
    timeout.unref();
    current.query('SELECT 1').then(
      () => {
        answered = true;
        clearTimeout(timeout);
      },
      (err: unknown) => {
        answered = true;
        clearTimeout(timeout);
        lose(current, err instanceof Error ? err : new Error(String(err)));
      },
    );
  };

  const connect = async (): Promise<void> => {
    retryTimer = null;
    if (stopped) return;
    const next = new pg.Client({ ...options.connection, keepAlive: true, application_name: 'hall-portal-listen' });
    client = next;
    // Without a listener an 'error' event would end the process.
    next.on('error', (err) => lose(next, err));
    next.on('end', () => lose(next, new Error('LISTEN connection ended')));
    next.on('notification', (message) => {
      if (message.channel !== HALL_EVENTS_CHANNEL) return;
      const parsed = parseHallNotification(message.payload);
      if (parsed) options.onNotify(parsed.hallId, parsed.seq);
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${HALL_EVENTS_CHANNEL}`);
      const backend = await next.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      if (next !== client) return;
      pid = backend.rows[0]?.pid ?? null;
    } catch (err) {
      lose(next, err instanceof Error ? err : new Error(String(err)));
      return;
    }
    if (stopped) {
      await next.end().catch(() => undefined);
      return;
    }
    listening = true;
    failures = 0;
    pingTimer = setInterval(() => ping(next), pingIntervalMs);
    pingTimer.unref();
    const woken = waiters;
    waiters = [];
    for (const wake of woken) wake();
    options.onListening();
  };

  void connect();

  return {
    get listening() {
      return listening;
    },
    whenListening() {
      if (listening) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
    backendPid: () => pid,
    async stop() {
      stopped = true;
      clearTimers();
      const current = client;
      client = null;
      listening = false;
      const woken = waiters;
      waiters = [];
      for (const wake of woken) wake();
      if (current) await current.end().catch(() => undefined);
    },
  };
}
