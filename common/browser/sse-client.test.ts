import { afterEach, describe, expect, it } from 'vitest';
import { CounterState } from '../contract/counter-api.js';
import { HallEventKind, type HallEventEnvelope, type StreamResyncData } from '../contract/hall-events.js';
import { SseParser, StreamStatus, openHallEventStream, type HallEventStream, type StreamFailure } from './sse-client.js';

/**
 * The browser client against a scripted portal: each fetch gets a stream the test writes to,
 * cut at awkward places. The client against the real portal: test/realtime/sse-client-live.test.ts.
 */

interface Connection {
  headers: Record<string, string>;
  write(text: string): void;
  end(): void;
  aborted: boolean;
}

interface ScriptedPortal {
  fetch: typeof fetch;
  connections: Connection[];
  /** The next answers that are not streams (status codes), consumed in order. */
  refusals: { status: number; headers?: Record<string, string> }[];
  next(count: number): Promise<Connection>;
}

function scriptedPortal(): ScriptedPortal {
  const portal: ScriptedPortal = {
    connections: [],
    refusals: [],
    fetch: (async (_input: unknown, init?: RequestInit) => {
      const refusal = portal.refusals.shift();
      const headers = Object.fromEntries(Object.entries((init?.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]));
      if (refusal) {
        portal.connections.push({ headers, write: () => undefined, end: () => undefined, aborted: false });
        return new Response('{"code":"unauthorized","message":"no"}', { status: refusal.status, headers: refusal.headers ?? {} });
      }
      let controller!: ReadableStreamDefaultController<Uint8Array>;
      const body = new ReadableStream<Uint8Array>({ start: (c) => (controller = c) });
      const encoder = new TextEncoder();
      const connection: Connection = {
        headers,
        aborted: false,
        write: (text) => controller.enqueue(encoder.encode(text)),
        end: () => controller.close(),
      };
      init?.signal?.addEventListener('abort', () => {
        connection.aborted = true;
        try {
          controller.error(new Error('aborted'));
        } catch {
          // Already closed.
        }
      });
      portal.connections.push(connection);
      return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
    }) as typeof fetch,
    async next(count) {
      await until(() => portal.connections.length >= count);
      return portal.connections[count - 1] as Connection;
    },
  };
  return portal;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(2);
  }
}

function envelope(seq: number): HallEventEnvelope {
  return { kind: HallEventKind.CounterUpdated, payload: { counterId: `counter-${seq}`, state: CounterState.Idle }, seq, at: '2025-03-10T02:00:00.000Z' };
}

const frame = (seq: number): string => `id: ${seq}\nevent: ${HallEventKind.CounterUpdated}\ndata: ${JSON.stringify(envelope(seq))}\n\n`;
const ready = (seq: number): string => `id: ${seq}\nevent: ready\ndata: {"lastEventSeq":${seq}}\n\n`;

let streams: HallEventStream[] = [];
afterEach(() => {
  for (const s of streams) s.close();
  streams = [];
});

interface Opened {
  stream: HallEventStream;
  seqs: number[];
  readies: number[];
  resyncs: StreamResyncData[];
  failures: StreamFailure[];
  statuses: StreamStatus[];
}

function open(portal: ScriptedPortal, lastEventId: number | null = null, extra: { idleTimeoutMs?: number } = {}): Opened {
  const opened = { seqs: [], readies: [], resyncs: [], failures: [], statuses: [] } as Omit<Opened, 'stream'> as Opened;
  opened.stream = openHallEventStream({
    url: 'http://portal.test/v1/display/events',
    headers: { authorization: 'Bearer display-token' },
    lastEventId,
    fetch: portal.fetch,
    minRetryMs: 5,
    maxRetryMs: 40,
    ...extra,
    onEvent: (e) => opened.seqs.push(e.seq),
    onReady: (seq) => opened.readies.push(seq),
    onResync: (r) => opened.resyncs.push(r),
    onError: (f) => opened.failures.push(f),
    onStatus: (s) => opened.statuses.push(s),
  });
  streams.push(opened.stream);
  return opened;
}

describe('SseParser', () => {
  it('parses the wire whatever the chunking and line ends: LF, CRLF, CR, multi-line data, comments, a BOM', () => {
    const wire =
      '\uFEFFretry: 2000\n: connected\n\n' +
      'id: 1\nevent: a\ndata: {"x":1}\n\n' +
      ': heartbeat\r\n\r\n' +
      'id: 2\r\nevent: b\r\ndata: line one\r\ndata: line two\r\n\r\n' +
      'id: 3\revent: c\rdata:no space\r\r' +
      'data: no id or event\n\n' +
      'id: 4\nevent: ignored-without-data\n\n';
    const expected = [
      { id: '1', event: 'a', data: '{"x":1}' },
      { id: '2', event: 'b', data: 'line one\nline two' },
      { id: '3', event: 'c', data: 'no space' },
      { id: null, event: 'message', data: 'no id or event' },
    ];
    for (const size of [1, 2, 3, 7, wire.length]) {
      const got: unknown[] = [];
      const parser = new SseParser((m) => got.push(m));
      for (let i = 0; i < wire.length; i += size) parser.push(wire.slice(i, i + size));
      expect(got, `chunks of ${size}`).toEqual(expected);
    }
  });
});

describe('openHallEventStream', () => {
  it('sends its headers, delivers each event once and in order, and reports ready', async () => {
    const portal = scriptedPortal();
    const opened = open(portal, 0);
    const first = await portal.next(1);
    expect(first.headers).toMatchObject({ authorization: 'Bearer display-token', 'last-event-id': '0', accept: 'text/event-stream' });
    first.write(frame(1) + frame(2).slice(0, 10));
    first.write(frame(2).slice(10) + frame(2) + frame(1) + ready(2) + frame(3));
    await until(() => opened.seqs.length === 3);
    expect(opened.seqs).toEqual([1, 2, 3]);
    expect(opened.readies).toEqual([2]);
    expect(opened.stream.status).toBe(StreamStatus.Live);
    expect(opened.stream.lastEventSeq).toBe(3);
  });

  it('reconnects with Last-Event-ID when the stream ends, and never redelivers what the replay repeats', async () => {
    const portal = scriptedPortal();
    const opened = open(portal, null);
    const first = await portal.next(1);
    expect(first.headers['last-event-id']).toBeUndefined();
    // Caught up at 10 without any event: a reconnection still asks from 10.
    first.write(ready(10));
    await until(() => opened.readies.length === 1);
    first.end();
    const second = await portal.next(2);
    expect(second.headers['last-event-id']).toBe('10');
    second.write(frame(11) + frame(12));
    await until(() => opened.seqs.length === 2);
    second.end();
    const third = await portal.next(3);
    expect(third.headers['last-event-id']).toBe('12');
    // A portal that repeats itself (or another process replaying more) changes nothing.
    third.write(frame(11) + frame(12) + frame(13) + ready(13));
    await until(() => opened.readies.length === 2);
    expect(opened.seqs).toEqual([11, 12, 13]);
    expect(opened.statuses).toContain(StreamStatus.Reconnecting);
  });

  it('does not skip a gap: it reconnects from the last event delivered so the portal replays it', async () => {
    const portal = scriptedPortal();
    const opened = open(portal, 4);
    const first = await portal.next(1);
    first.write(frame(5) + frame(7) + frame(8));
    const second = await portal.next(2);
    expect(first.aborted).toBe(true);
    expect(second.headers['last-event-id']).toBe('5');
    second.write(frame(6) + frame(7) + frame(8) + ready(8));
    await until(() => opened.readies.length === 1);
    expect(opened.seqs).toEqual([5, 6, 7, 8]);
  });

  it('on resync goes on after the seq the portal gives, even below its own, and says so', async () => {
    const portal = scriptedPortal();
    const opened = open(portal, 500);
    const first = await portal.next(1);
    first.write('id: 20\nevent: resync\ndata: {"lastEventSeq":20,"reason":"ahead"}\n\n' + ready(20) + frame(21));
    await until(() => opened.seqs.length === 1);
    expect(opened.resyncs).toEqual([{ lastEventSeq: 20, reason: 'ahead' }]);
    expect(opened.seqs).toEqual([21]);
    // After reloading its snapshot the page restarts from the snapshot's seq.
    opened.stream.restartFrom(25);
    const second = await portal.next(2);
    expect(second.headers['last-event-id']).toBe('25');
    second.write(frame(24) + frame(26));
    await until(() => opened.seqs.length === 2);
    expect(opened.seqs).toEqual([21, 26]);
  });

  it('skips an event it cannot read without taking it for a gap', async () => {
    const portal = scriptedPortal();
    const opened = open(portal, 0);
    const first = await portal.next(1);
    first.write(frame(1) + 'id: 2\nevent: some.future.kind\ndata: {"kind":"some.future.kind","payload":{},"seq":2,"at":"x"}\n\n' + frame(3));
    await until(() => opened.seqs.length === 2);
    expect(opened.seqs).toEqual([1, 3]);
    expect(portal.connections).toHaveLength(1);
    expect(opened.failures.map((f) => f.message)).toEqual([expect.stringContaining('event 2')]);
  });

  it('retries a refused connection (401 slowly, 503 with backoff) and reports the status', async () => {
    const portal = scriptedPortal();
    portal.refusals.push({ status: 401 }, { status: 503 });
    const opened = open(portal, 3);
    const third = await portal.next(3);
    expect(opened.failures.map((f) => f.status)).toEqual([401, 503]);
    expect(third.headers['last-event-id']).toBe('3');
    third.write(frame(4));
    await until(() => opened.seqs.length === 1);
  });

  it('takes a silent connection for dead and reconnects', async () => {
    const portal = scriptedPortal();
    const opened = open(portal, 0, { idleTimeoutMs: 100 });
    const first = await portal.next(1);
    first.write(frame(1));
    // Nothing more, not even a heartbeat.
    const second = await portal.next(2);
    expect(first.aborted).toBe(true);
    expect(second.headers['last-event-id']).toBe('1');
    expect(opened.failures.some((f) => f.message.includes('no data'))).toBe(true);
  });

  it('stops for good on close()', async () => {
    const portal = scriptedPortal();
    const opened = open(portal, 0);
    const first = await portal.next(1);
    opened.stream.close();
    expect(first.aborted).toBe(true);
    await sleep(100);
    expect(portal.connections).toHaveLength(1);
    expect(opened.stream.status).toBe(StreamStatus.Closed);
  });
});
