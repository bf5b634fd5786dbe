/**
 * The counter console of bench/online-offline.bench.ts, as portal/web/counter drives the portal: a
 * clerk signs in with a password (session cookie and CSRF token, Origin the portal's own), takes a
 * counter, follows the hall's event stream (`GET /v1/counter/events`, the session cookie) and, as
 * the console's store does (portal/web/counter/state/console-store.ts), reloads the queue
 * (`GET /v1/counter/queue?counterId=…`) once per burst of ticket, queue and counter events,
 * CONSOLE_REFRESH_DEBOUNCE_MS after the first. It notes when each `queue.waiting` frame arrived and
 * when each waiting ticket first appeared in a reload: the moment the clerk's screen shows its row.
 * Times are performance.now() of this process.
 */
import http from 'node:http';
import { Pool } from 'undici';
import { CounterResponse, QueueListResponse } from '../../common/contract/counter-api.js';
import { EVENT_STREAM_PATHS } from '../../common/contract/display-api.js';
import { HallEventEnvelope, HallEventKind } from '../../common/contract/hall-events.js';
import { CSRF_HEADER, SESSION_COOKIE, SessionResponse } from '../../common/contract/staff-api.js';
import { SseParser, type SseMessage } from '../../common/realtime/sse-parser.js';

/** The console's REFRESH_DEBOUNCE_MS (portal/web/counter/state/console-store.ts), which a Node tsconfig cannot import. */
export const CONSOLE_REFRESH_DEBOUNCE_MS = 250;

/** The kinds the console reloads its queue for (console-store.ts `applyEvent`). */
const RELOADING_KINDS: ReadonlySet<string> = new Set([
  HallEventKind.TicketCalled,
  HallEventKind.TicketUpdated,
  HallEventKind.QueueWaiting,
  HallEventKind.CounterUpdated,
]);

export interface ConsoleAccount {
  hallId: string;
  username: string;
  password: string;
  counterId: string;
}

interface WaitingFrame {
  serviceId: string;
  waiting: number;
  at: number;
}

interface Waiter {
  check: () => number | undefined;
  resolve: (at: number) => void;
}

function sessionIdOf(setCookie: string | string[] | undefined): string {
  const cookies = Array.isArray(setCookie) ? setCookie : setCookie === undefined ? [] : [setCookie];
  for (const cookie of cookies) {
    const match = new RegExp(`^${SESSION_COOKIE}=([^;]+)`).exec(cookie);
    if (match?.[1]) return match[1];
  }
  throw new Error('sign-in set no session cookie');
}

export class ConsoleClient {
  /** One connection, one request at a time, as one browser tab makes them. */
  private readonly pool: Pool;
  private headers: Record<string, string> = {};
  private stream: http.ClientRequest | null = null;
  private refreshTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly rowSeenAt = new Map<string, number>();
  private readonly waitingFrames: WaitingFrame[] = [];
  private waiters: Waiter[] = [];
  /** Reloads and their failures, for the report. */
  reloads = 0;
  reloadFailures = 0;

  constructor(
    private readonly baseUrl: string,
    private readonly account: ConsoleAccount,
  ) {
    this.pool = new Pool(baseUrl, { connections: 1, pipelining: 1 });
  }

  /** Sign-in, the counter, the event stream, the first queue load: as the console enters its counter. */
  async open(): Promise<void> {
    const signIn = await this.pool.request({
      method: 'POST',
      path: '/v1/staff/sign-in',
      headers: { 'content-type': 'application/json', origin: this.baseUrl },
      body: JSON.stringify({ hallId: this.account.hallId, username: this.account.username, password: this.account.password }),
    });
    const signInText = await signIn.body.text();
    if (signIn.statusCode !== 200) throw new Error(`${this.account.username} could not sign in: ${signIn.statusCode} ${signInText}`);
    const session = SessionResponse.parse(JSON.parse(signInText));
    this.headers = { cookie: `${SESSION_COOKIE}=${sessionIdOf(signIn.headers['set-cookie'])}`, [CSRF_HEADER]: session.csrfToken, origin: this.baseUrl };

    const counter = await this.pool.request({
      method: 'POST',
      path: `/v1/counter/counters/${this.account.counterId}/sign-in`,
      headers: { ...this.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ serviceIds: [] }),
    });
    const counterText = await counter.body.text();
    if (counter.statusCode !== 200) throw new Error(`could not take ${this.account.counterId}: ${counter.statusCode} ${counterText}`);
    CounterResponse.parse(JSON.parse(counterText));

    await this.follow();
    await this.reload();
  }

  /** When `ticketId`'s row first showed in a reload (resolves at once if it has). */
  rowVisible(ticketId: string, timeoutMs: number): Promise<number> {
    return this.waitFor(`row of ticket ${ticketId}`, () => this.rowSeenAt.get(ticketId), timeoutMs);
  }

  /** When the first `queue.waiting` frame arrived, after `since`, that counts at least `waiting` for `serviceId`. */
  waitingCountArrived(serviceId: string, waiting: number, since: number, timeoutMs: number): Promise<number> {
    return this.waitFor(
      `queue.waiting of ${serviceId} at ${waiting}`,
      () => this.waitingFrames.find((f) => f.at >= since && f.serviceId === serviceId && f.waiting >= waiting)?.at,
      timeoutMs,
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.stream?.destroy();
    await this.pool.close();
  }

  private waitFor(what: string, check: () => number | undefined, timeoutMs: number): Promise<number> {
    const now = check();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`the console did not see the ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      // A bench that failed meanwhile must not wait for it to exit.
      timer.unref();
      const waiter: Waiter = {
        check,
        resolve: (at) => {
          clearTimeout(timer);
          resolve(at);
        },
      };
      this.waiters.push(waiter);
    });
  }

  private settle(): void {
    this.waiters = this.waiters.filter((w) => {
      const at = w.check();
      if (at === undefined) return true;
      w.resolve(at);
      return false;
    });
  }

  /** Opens the stream; resolves once the portal answered 200. */
  private follow(): Promise<void> {
    return new Promise((resolve, reject) => {
      const request = http.get(
        `${this.baseUrl}${EVENT_STREAM_PATHS.counter}`,
        { headers: { cookie: this.headers.cookie, accept: 'text/event-stream' } },
        (res) => {
          if (res.statusCode !== 200) {
            res.resume();
            reject(new Error(`counter event stream answered ${res.statusCode}`));
            return;
          }
          resolve();
          res.setEncoding('utf8');
          const parser = new SseParser((message) => this.onMessage(message, performance.now()));
          res.on('data', (chunk: string) => parser.push(chunk));
          res.on('end', () => {
            if (!this.closed) console.error('online-offline: the counter event stream ended');
          });
        },
      );
      request.on('error', (err) => {
        if (!this.closed) reject(err);
      });
      this.stream = request;
    });
  }

  private onMessage(message: SseMessage, at: number): void {
    if (!RELOADING_KINDS.has(message.event)) return;
    const envelope = HallEventEnvelope.parse(JSON.parse(message.data));
    if (envelope.kind === HallEventKind.QueueWaiting) {
      for (const c of envelope.payload.counts) this.waitingFrames.push({ serviceId: c.serviceId, waiting: c.waiting, at });
      this.settle();
    }
    // The console's scheduleRefresh: one reload per burst, the debounce after its first event.
    if (this.refreshTimer !== null) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null;
      void this.reload();
    }, CONSOLE_REFRESH_DEBOUNCE_MS);
  }

  private async reload(): Promise<void> {
    if (this.closed) return;
    try {
      const res = await this.pool.request({
        method: 'GET',
        path: `/v1/counter/queue?counterId=${encodeURIComponent(this.account.counterId)}`,
        headers: { cookie: this.headers.cookie ?? '' },
      });
      const text = await res.body.text();
      const at = performance.now();
      if (res.statusCode !== 200) throw new Error(`queue answered ${res.statusCode} ${text.slice(0, 200)}`);
      const queue = QueueListResponse.parse(JSON.parse(text));
      this.reloads += 1;
      for (const ticket of queue.waiting) if (!this.rowSeenAt.has(ticket.ticketId)) this.rowSeenAt.set(ticket.ticketId, at);
      this.settle();
    } catch (err) {
      if (this.closed) return;
      this.reloadFailures += 1;
      console.error(`online-offline: queue reload failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
