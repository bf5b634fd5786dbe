/**
 * The clerks of bench/portal-load.bench.ts, as the counter console drives the portal: each signs
 * in with a password (a session cookie and its CSRF token, Origin the portal's own), takes its own
 * counter, then loops: call the next visitor, wait for them to walk up, start, serve, complete.
 * One connection per clerk, one request at a time, as one browser tab makes them.
 */
import { Pool } from 'undici';
import { CallNextResponse, CounterResponse } from '../../common/contract/counter-api.js';
import { CSRF_HEADER, SESSION_COOKIE, SessionResponse } from '../../common/contract/staff-api.js';
import { RouteSamples, around, sleep, timedRequest } from './http-samples.js';
import { LOAD_CLERK_PASSWORD, type LoadClerk, type LoadLayout } from './layout.js';

/** A clerk who found nobody waiting looks again after this long. */
const EMPTY_LINE_RETRY_MS = 1_000;

export interface ClerkCall {
  hallId: string;
  counterId: string;
  ticketId: string;
  /** Epoch ms when the call's answer arrived. */
  answeredAt: number;
}

function sessionIdOf(setCookie: string | string[] | undefined): string {
  const cookies = Array.isArray(setCookie) ? setCookie : setCookie === undefined ? [] : [setCookie];
  for (const cookie of cookies) {
    const match = new RegExp(`^${SESSION_COOKIE}=([^;]+)`).exec(cookie);
    if (match?.[1]) return match[1];
  }
  throw new Error('sign-in set no session cookie');
}

export class Clerk {
  private readonly pool: Pool;
  private headers: Record<string, string> = {};

  constructor(
    private readonly baseUrl: string,
    private readonly clerk: LoadClerk,
    private readonly layout: LoadLayout,
    private readonly samples: RouteSamples,
    private readonly calls: ClerkCall[],
  ) {
    this.pool = new Pool(baseUrl, { connections: 1, pipelining: 1 });
  }

  /** Password sign-in, then the counter: before the clock starts. */
  async signIn(): Promise<void> {
    const answer = await timedRequest(this.pool, this.samples, 'sign-in', {
      method: 'POST',
      path: '/v1/staff/sign-in',
      body: { hallId: this.clerk.hallId, username: this.clerk.username, password: LOAD_CLERK_PASSWORD },
    });
    if (answer?.status !== 200) throw new Error(`${this.clerk.username} could not sign in: ${answer?.status} ${answer?.text}`);
    const session = SessionResponse.parse(JSON.parse(answer.text));
    this.headers = {
      cookie: `${SESSION_COOKIE}=${sessionIdOf(answer.headers['set-cookie'])}`,
      [CSRF_HEADER]: session.csrfToken,
      origin: this.baseUrl,
    };
    const counter = await this.post('counter-sign-in', `/v1/counter/counters/${this.clerk.counterId}/sign-in`, { serviceIds: [] });
    if (counter?.status !== 200) throw new Error(`${this.clerk.username} could not take ${this.clerk.counterId}: ${counter?.status} ${counter?.text}`);
    CounterResponse.parse(JSON.parse(counter.text));
  }

  private post(route: string, path: string, body?: unknown) {
    return timedRequest(this.pool, this.samples, route, { method: 'POST', path, headers: this.headers, ...(body === undefined ? {} : { body }) });
  }

  /** Call, walk, start, serve, complete, until `signal` aborts (a visit under way is finished first). */
  async work(signal: AbortSignal): Promise<void> {
    // Clerks do not start in step.
    await sleep(Math.random() * this.layout.serveMs, signal);
    while (!signal.aborted) {
      const called = await this.post('call-next', '/v1/counter/call-next', { counterId: this.clerk.counterId });
      if (called?.status !== 200) {
        await sleep(EMPTY_LINE_RETRY_MS, signal);
        continue;
      }
      const ticket = CallNextResponse.parse(JSON.parse(called.text)).ticket;
      if (!ticket) {
        await sleep(EMPTY_LINE_RETRY_MS, signal);
        continue;
      }
      this.calls.push({ hallId: this.clerk.hallId, counterId: this.clerk.counterId, ticketId: ticket.ticketId, answeredAt: Date.now() });
      await sleep(around(this.layout.walkMs));
      await this.post('start', `/v1/counter/tickets/${ticket.ticketId}/start`);
      await sleep(around(this.layout.serveMs));
      await this.post('complete', `/v1/counter/tickets/${ticket.ticketId}/complete`, { caseNumber: null });
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
