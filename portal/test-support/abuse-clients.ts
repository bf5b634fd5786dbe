import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { performance } from 'node:perf_hooks';

/**
 * The callers of an abused portal, for the abuse tests and bench/portal-abuse.bench.ts: a kiosk
 * numbering visitors online, a flood of requests with bad tokens, and slow-loris sockets. All
 * real sockets; nothing here knows how the portal defends itself.
 */

export interface HttpAnswer {
  status: number;
  text: string;
}

/** One request on `agent`, answered as raw text. */
export function send(
  baseUrl: string,
  agent: http.Agent,
  method: string,
  path: string,
  options: { token?: string; body?: string } = {},
): Promise<HttpAnswer> {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(options.body));
  }
  return new Promise((resolve, reject) => {
    const req = http.request(`${baseUrl}${path}`, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

export interface Allocation {
  ms: number;
  status: number;
  text: string;
}

/**
 * A kiosk numbering one visitor every `gapMs` with `POST /v1/kiosk/numbers`, on its own
 * keep-alive connection as the kiosk's HTTP client keeps one, until `stop()`; each call timed
 * from request to the last byte of the answer.
 */
export function runKiosk(
  baseUrl: string,
  token: string,
  options: { gapMs: number; serviceId?: string; count?: number },
): { done: Promise<Allocation[]>; stop: () => void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let stopped = false;
  const samples: Allocation[] = [];
  const done = (async () => {
    try {
      while (!stopped && (options.count === undefined || samples.length < options.count)) {
        const body = JSON.stringify({ ticketId: randomUUID(), serviceId: options.serviceId ?? 'social-insurance' });
        const t0 = performance.now();
        const answer = await send(baseUrl, agent, 'POST', '/v1/kiosk/numbers', { token, body });
        samples.push({ ms: performance.now() - t0, status: answer.status, text: answer.text });
        await new Promise((resolve) => setTimeout(resolve, options.gapMs));
      }
      return samples;
    } finally {
      agent.destroy();
    }
  })();
  return {
    done,
    stop: () => {
      stopped = true;
    },
  };
}

export interface FloodResult {
  sent: number;
  byStatus: Record<string, number>;
  /** Requests that got no HTTP answer (connection refused or reset). */
  failed: number;
}

function countInto(result: FloodResult, key: string): void {
  result.byStatus[key] = (result.byStatus[key] ?? 0) + 1;
}

/**
 * Requests with random bad tokens over `connections` keep-alive sockets, each socket sending its
 * next request as soon as the previous one is answered (a closed-loop flood), until `total` were
 * sent, `durationMs` passed or `stopped()` says so, whichever comes first.
 */
export async function floodWithBadTokens(
  baseUrl: string,
  options: { total?: number; durationMs?: number; connections: number; path?: string; stopped?: () => boolean },
): Promise<FloodResult> {
  const stopped = options.stopped ?? (() => false);
  const total = options.total ?? Number.POSITIVE_INFINITY;
  const endAt = options.durationMs === undefined ? Number.POSITIVE_INFINITY : performance.now() + options.durationMs;
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const result: FloodResult = { sent: 0, byStatus: {}, failed: 0 };
  const path = options.path ?? '/v1/kiosk/numbers';
  const body = JSON.stringify({ ticketId: randomUUID(), serviceId: 'social-insurance' });
  const worker = async (): Promise<void> => {
    while (result.sent < total && performance.now() < endAt && !stopped()) {
      result.sent += 1;
      try {
        const answer = await send(baseUrl, agent, 'POST', path, { token: randomBytes(16).toString('hex'), body });
        countInto(result, String(answer.status));
      } catch {
        result.failed += 1;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: options.connections }, () => worker()));
  } finally {
    agent.destroy();
  }
  return result;
}

export interface SlowLoris {
  /** Sockets the server closed so far, and when (ms after opening). */
  readonly closedAfterMs: number[];
  /** What the server wrote on each socket before closing it. */
  readonly received: string[];
  stop(): void;
}

/**
 * `count` sockets that each send a request line and then one more header line every
 * `trickleMs`, never finishing the headers: the classic slow-loris. With `reopen`, a socket the
 * server closes is replaced at once, so `count` stay open until `stop()`.
 */
export function openSlowLoris(port: number, count: number, trickleMs: number, options: { reopen?: boolean } = {}): SlowLoris {
  const closedAfterMs: number[] = [];
  const received: string[] = [];
  const sockets = new Set<net.Socket>();
  let stopped = false;

  const open = (i: number): void => {
    const openedAt = performance.now();
    const socket = net.connect(port, '127.0.0.1');
    sockets.add(socket);
    const chunks: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      sockets.delete(socket);
      if (stopped) return;
      closedAfterMs.push(performance.now() - openedAt);
      received.push(Buffer.concat(chunks).toString('utf8'));
      if (options.reopen) open(i);
    });
    socket.on('connect', () => {
      socket.write(`POST /v1/kiosk/numbers HTTP/1.1\r\nHost: portal\r\nAuthorization: Bearer slow-${i}\r\n`);
      let n = 0;
      timer = setInterval(() => {
        if (!socket.destroyed) socket.write(`X-Slow-${n++}: ${'z'.repeat(8)}\r\n`);
      }, trickleMs);
    });
  };
  for (let i = 0; i < count; i++) open(i);
  return {
    closedAfterMs,
    received,
    stop() {
      stopped = true;
      for (const socket of sockets) socket.destroy();
    },
  };
}
