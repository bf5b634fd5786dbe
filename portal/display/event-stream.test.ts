import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallNextResponse } from '../../common/contract/counter-api.js';
import { DisplayStateResponse, EVENT_STREAM_PATHS } from '../../common/contract/display-api.js';
import { HallEventEnvelope, HallEventKind, HallStreamSignal, ResyncReason, StreamResyncData } from '../../common/contract/hall-events.js';
import { PushResponse } from '../../common/contract/sync-api.js';
import { businessDayOf } from '../../common/domain/business-day.js';
import { withTransaction } from '../db/transaction.js';
import { buildPortalApp, type PortalAppOptions } from '../http/build-portal-app.js';
import { emitHallEvent } from '../realtime/emit-hall-event.js';
import { createHallEventHub, type HallEventHub, type HallEventHubOptions } from '../realtime/hall-event-hub.js';
import { lastHallEventSeq } from '../realtime/hall-event-store.js';
import { purgeHallEvents } from '../realtime/purge-hall-events.js';
import { calledEvent, emitOne, insertDisplayToken, insertHall } from '../realtime/test-hall-events.js';
import { openSse, type SseFrame, type SseReader } from '../realtime/test-sse-reader.js';
import { DEMO_HALL_ID, seedDemoHall } from '../seed/demo-hall.js';
import { ticketIssuedEvent } from '../test-support/portal-harness.js';
import { startTestPostgres, type TestPostgres } from '../test-support/test-postgres.js';

/**
 * The hall event streams end to end: real PostgreSQL, NOTIFY, the LISTEN connection, the portal's
 * HTTP server and a reader of the raw wire. Issue 8 §4.
 */

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HALL_2 = 'second-hall';
const DISPLAY_TOKEN = 'test-display-token-one';
const DISPLAY_TOKEN_2 = 'test-display-token-two';
const HALL_2_DISPLAY_TOKEN = 'test-display-token-hall-two';
const STAFF_TOKEN = 'test-staff-token-events';
const KIOSK_TOKEN = 'test-kiosk-token-events';

interface TestPortal {
  app: FastifyInstance;
  hub: HallEventHub;
  url: string;
  close(): Promise<void>;
}

let db: TestPostgres;
let portal: TestPortal;
const portals: TestPortal[] = [];
const readers: SseReader[] = [];

async function startPortal(hubOptions: Partial<HallEventHubOptions> = {}, limits: PortalAppOptions['limits'] = {}): Promise<TestPortal> {
  const hub = createHallEventHub({
    pool: db.pool,
    // The safety-net re-read is off: the tests prove NOTIFY and reconnection alone deliver.
    resyncIntervalMs: 0,
    purgeIntervalMs: 0,
    listener: { minRetryMs: 50, maxRetryMs: 200 },
    ...hubOptions,
  });
  const app = await buildPortalApp({ pool: db.pool, hallEvents: hub, limits, logLevel: process.env.PORTAL_TEST_LOG_LEVEL ?? 'error' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  await hub.start();
  const started: TestPortal = {
    app,
    hub,
    url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    async close() {
      await app.close();
      await hub.close();
    },
  };
  portals.push(started);
  return started;
}

async function open(on: TestPortal, streamPath: string, options: Parameters<typeof openSse>[1] = {}): Promise<SseReader> {
  const reader = await openSse(`${on.url}${streamPath}`, options);
  readers.push(reader);
  return reader;
}

const display = (options: Parameters<typeof openSse>[1] = {}, on: TestPortal = portal): Promise<SseReader> =>
  open(on, EVENT_STREAM_PATHS.display, { token: DISPLAY_TOKEN, ...options });

const isEvent = (f: SseFrame): boolean => f.event !== null && f.event !== HallStreamSignal.Ready && f.event !== HallStreamSignal.Resync;
const isReady = (f: SseFrame): boolean => f.event === HallStreamSignal.Ready;
const seqsOf = (reader: SseReader): number[] => reader.frames.filter(isEvent).map((f) => Number(f.id));
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

async function until(condition: () => boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

beforeAll(async () => {
  db = await startTestPostgres();
  await seedDemoHall(db.pool, { kioskTokens: [{ kioskId: 'kiosk-1', token: KIOSK_TOKEN, kioskDigit: 1 }], staffToken: STAFF_TOKEN });
  await insertHall(db.pool, HALL_2);
  await insertDisplayToken(db.pool, DEMO_HALL_ID, DISPLAY_TOKEN, 'wall-1');
  await insertDisplayToken(db.pool, DEMO_HALL_ID, DISPLAY_TOKEN_2, 'wall-2');
  await insertDisplayToken(db.pool, HALL_2, HALL_2_DISPLAY_TOKEN, 'wall-1');
  portal = await startPortal({ heartbeatMs: 200 });
});

afterAll(async () => {
  for (const reader of readers) reader.close();
  for (const p of portals) await p.close().catch(() => undefined);
  await db?.close();
});

describe('hall event streams', () => {
  it('speaks SSE: headers, preamble, a ready frame, then each event as id/event/data, and heartbeats', async () => {
    const reader = await display();
    expect(reader.status).toBe(200);
    expect(reader.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(reader.headers.get('cache-control')).toBe('no-store');
    // The app's security headers apply to the stream too.
    expect(reader.headers.get('x-content-type-options')).toBe('nosniff');
    const ready = await reader.waitFor(isReady);
    const last = await lastHallEventSeq(db.pool, DEMO_HALL_ID);
    expect(ready.id).toBe(String(last));
    expect(JSON.parse(ready.data ?? '')).toEqual({ lastEventSeq: last });

    const event = calledEvent(51);
    const seq = await emitOne(db.pool, DEMO_HALL_ID, event);
    const frame = await reader.waitFor((f) => f.id === String(seq));
    expect(frame.event).toBe(HallEventKind.TicketCalled);
    const envelope = HallEventEnvelope.parse(JSON.parse(frame.data ?? ''));
    expect(envelope).toMatchObject({ ...event, seq });
    expect(reader.raw().startsWith('retry: 2000\n: connected\n\n')).toBe(true);
    expect(reader.raw()).toContain(`id: ${seq}\nevent: ticket.called\ndata: {"kind":"ticket.called","payload":{`);
    // Heartbeats (every 200 ms in this portal) are comment lines.
    await reader.waitFor((f) => f.comments.includes('heartbeat'), 2_000);
    reader.close();
  });

  it('delivers live events in order, each once, to every display of the hall', async () => {
    const a = await display();
    const b = await display({ token: DISPLAY_TOKEN_2 });
    await Promise.all([a.waitFor(isReady), b.waitFor(isReady)]);
    const first = (await lastHallEventSeq(db.pool, DEMO_HALL_ID)) + 1;
    // Concurrent emitters: the stream still carries them in seq order.
    await Promise.all(range(1, 30).map((n) => emitOne(db.pool, DEMO_HALL_ID, calledEvent(n))));
    const lastSeq = first + 29;
    await a.waitFor((f) => f.id === String(lastSeq));
    await b.waitFor((f) => f.id === String(lastSeq));
    expect(seqsOf(a)).toEqual(range(first, lastSeq));
    expect(seqsOf(b)).toEqual(range(first, lastSeq));
    a.close();
    b.close();
  });

  it('replays after Last-Event-ID what was emitted while the client was away, then goes live', async () => {
    const reader = await display();
    await reader.waitFor(isReady);
    const seen = await emitOne(db.pool, DEMO_HALL_ID, calledEvent(60));
    await reader.waitFor((f) => f.id === String(seen));
    reader.close();
    await until(() => portal.hub.streamCount() === 0, 5_000, 'stream closed at the portal');

    const missed: number[] = [];
    for (let n = 61; n <= 65; n++) missed.push(await emitOne(db.pool, DEMO_HALL_ID, calledEvent(n)));
    const back = await display({ lastEventId: String(seen) });
    const ready = await back.waitFor(isReady);
    expect(ready.id).toBe(String(missed.at(-1)));
    const live = await emitOne(db.pool, DEMO_HALL_ID, calledEvent(66));
    await back.waitFor((f) => f.id === String(live));
    expect(seqsOf(back)).toEqual([...missed, live]);
    // The replayed events come before `ready`, the live one after it.
    const readyAt = back.frames.indexOf(ready);
    expect(back.frames.slice(0, readyAt).filter(isEvent).map((f) => Number(f.id))).toEqual(missed);
    back.close();

    // The same with the query parameter, for clients that cannot set the header.
    const viaQuery = await open(portal, `${EVENT_STREAM_PATHS.display}?lastEventId=${seen}`, { token: DISPLAY_TOKEN });
    await viaQuery.waitFor(isReady);
    expect(seqsOf(viaQuery)).toEqual([...missed, live]);
    viaQuery.close();
  });

  it('a replay racing a burst of live events delivers every event once, in order', async () => {
    const start = await lastHallEventSeq(db.pool, DEMO_HALL_ID);
    // Enough events that the replay takes several pages while new ones keep committing.
    const burst = (async () => {
      for (let i = 0; i < 40; i++) {
        await Promise.all(range(1, 20).map((n) => emitOne(db.pool, DEMO_HALL_ID, calledEvent(n))));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 30));
    const readers = await Promise.all([display({ lastEventId: '0' }), display({ lastEventId: String(start) }), display({ token: DISPLAY_TOKEN_2 })]);
    await burst;
    const end = await lastHallEventSeq(db.pool, DEMO_HALL_ID);
    for (const reader of readers) await reader.waitFor((f) => f.id === String(end), 10_000);
    const [fromZero, fromStart, fromNow] = readers as [SseReader, SseReader, SseReader];
    expect(seqsOf(fromZero)).toEqual(range(1, end));
    expect(seqsOf(fromStart)).toEqual(range(start + 1, end));
    // Joined mid-burst without Last-Event-ID: from where it joined, gapless.
    const joined = seqsOf(fromNow);
    expect(joined).toEqual(range(joined[0] ?? 0, end));
    for (const reader of readers) reader.close();
  });

  it('keeps each hall to its own events: a hall-2 display sees nothing of hall 1', async () => {
    const hall1 = await display();
    const hall2 = await display({ token: HALL_2_DISPLAY_TOKEN, lastEventId: '0' });
    await Promise.all([hall1.waitFor(isReady), hall2.waitFor(isReady)]);
    const hall1Seqs: number[] = [];
    for (let n = 1; n <= 3; n++) hall1Seqs.push(await emitOne(db.pool, DEMO_HALL_ID, calledEvent(700 + n)));
    const own = await emitOne(db.pool, HALL_2, calledEvent(800));
    await hall2.waitFor((f) => f.id === String(own));
    await hall1.waitFor((f) => f.id === String(hall1Seqs.at(-1)));
    // Hall 2 numbers its own events from 1: the one it got is its own A800, nothing of hall 1's.
    const hall2Events = hall2.frames.filter(isEvent).map((f) => HallEventEnvelope.parse(JSON.parse(f.data ?? '')));
    expect(hall2Events.map((e) => [e.seq, e.kind === HallEventKind.TicketCalled && e.payload.number])).toEqual([[own, 'A800']]);
    expect(hall2.raw()).not.toMatch(/A70[123]/);
    expect(seqsOf(hall1)).toEqual(hall1Seqs);
    hall1.close();
    hall2.close();
  });

  it('authenticates: no token, a kiosk token or a malformed Last-Event-ID are refused before streaming', async () => {
    const none = await fetch(`${portal.url}${EVENT_STREAM_PATHS.display}`);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ code: 'unauthorized' });
    const kiosk = await fetch(`${portal.url}${EVENT_STREAM_PATHS.display}`, { headers: { authorization: `Bearer ${KIOSK_TOKEN}` } });
    expect(kiosk.status).toBe(401);
    const displayOnCounter = await fetch(`${portal.url}${EVENT_STREAM_PATHS.counter}`, { headers: { authorization: `Bearer ${DISPLAY_TOKEN}` } });
    expect(displayOnCounter.status).toBe(401);
    const bad = await fetch(`${portal.url}${EVENT_STREAM_PATHS.display}`, { headers: { authorization: `Bearer ${DISPLAY_TOKEN}`, 'last-event-id': 'abc' } });
    expect(bad.status).toBe(400);
    const badQuery = await fetch(`${portal.url}${EVENT_STREAM_PATHS.display}?lastEventId=-1`, { headers: { authorization: `Bearer ${DISPLAY_TOKEN}` } });
    expect(badQuery.status).toBe(400);
    // The counter console's stream takes a member of staff (here the staff API key).
    const counter = await open(portal, EVENT_STREAM_PATHS.counter, { token: STAFF_TOKEN });
    expect(counter.status).toBe(200);
    await counter.waitFor(isReady);
    const seq = await emitOne(db.pool, DEMO_HALL_ID, calledEvent(90));
    await counter.waitFor((f) => f.id === String(seq));
    counter.close();
  });

  it('tells a client to reload when its Last-Event-ID cannot be replayed (purged, or ahead of the hall)', async () => {
    const last = await lastHallEventSeq(db.pool, DEMO_HALL_ID);
    const ahead = await display({ lastEventId: String(last + 1_000) });
    const resync = await ahead.waitFor((f) => f.event === HallStreamSignal.Resync);
    expect(resync.id).toBe(String(last));
    expect(StreamResyncData.parse(JSON.parse(resync.data ?? ''))).toEqual({ lastEventSeq: last, reason: ResyncReason.Ahead });
    // After a resync the stream goes on from the hall's last event.
    const seq = await emitOne(db.pool, DEMO_HALL_ID, calledEvent(91));
    await ahead.waitFor((f) => f.id === String(seq));
    ahead.close();

    await purgeHallEvents(db.pool, { before: new Date(Date.now() + 60_000), keepLatest: 5 });
    const expired = await display({ lastEventId: '1' });
    const expiredResync = await expired.waitFor((f) => f.event === HallStreamSignal.Resync);
    expect(StreamResyncData.parse(JSON.parse(expiredResync.data ?? ''))).toEqual({ lastEventSeq: seq, reason: ResyncReason.Expired });
    expect(seqsOf(expired)).toEqual([]);
    expired.close();
    // A short gap within the events kept still replays.
    const short = await display({ lastEventId: String(seq - 2) });
    await short.waitFor(isReady);
    expect(seqsOf(short)).toEqual([seq - 1, seq]);
    short.close();
  });

  it('ends the oldest stream of a display that opens more than its share', async () => {
    const limited = await startPortal({ limits: { maxStreamsPerPrincipal: 2 } });
    const first = await display({}, limited);
    await first.waitFor(isReady);
    const second = await display({}, limited);
    await second.waitFor(isReady);
    const third = await display({}, limited);
    await third.waitFor(isReady);
    await first.ended;
    expect(second.isEnded()).toBe(false);
    const seq = await emitOne(db.pool, DEMO_HALL_ID, calledEvent(92));
    await third.waitFor((f) => f.id === String(seq));
    await second.waitFor((f) => f.id === String(seq));
    second.close();
    third.close();
    await limited.close();
  });

  it('drops a client that stops reading, without holding up the others', async () => {
    const small = await startPortal({ limits: { maxBacklogBytes: 64 * 1024, slowClientGraceMs: 1_000 } });
    const url = new URL(small.url);
    // A raw socket that sends the request, then never reads: the kernel buffers fill, then ours.
    const stuck = net.connect(Number(url.port), url.hostname);
    await once(stuck, 'connect');
    stuck.write(`GET ${EVENT_STREAM_PATHS.display} HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${DISPLAY_TOKEN_2}\r\nAccept: text/event-stream\r\n\r\n`);
    stuck.pause();
    const reading = await display({}, small);
    await reading.waitFor(isReady);
    await until(() => small.hub.streamCount() === 2, 5_000, 'both streams open');

    // Big events, many of them, written in one go: megabytes for every client.
    const notice = '大厅公告'.repeat(50);
    const first = (await lastHallEventSeq(db.pool, DEMO_HALL_ID)) + 1;
    const count = 12_000;
    await withTransaction(db.pool, async (client) => {
      await client.query(
        `INSERT INTO hall_events (hall_id, seq, kind, payload)
         SELECT $1, $2::bigint + g, 'display.settings', jsonb_build_object('notice', jsonb_build_object('zh', $3::text, 'en', $4::text), 'voiceRepeat', 2, 'voiceEnglish', false)
         FROM generate_series(0, $5::int - 1) g`,
        [DEMO_HALL_ID, first, notice, 'Notice '.repeat(28), count],
      );
      await client.query('UPDATE hall_event_counters SET last_seq = $2 WHERE hall_id = $1', [DEMO_HALL_ID, first + count - 1]);
      await client.query(`SELECT pg_notify('hall_events', $1::text || ':' || $2::text)`, [DEMO_HALL_ID, first + count - 1]);
    });
    await reading.waitFor((f) => f.id === String(first + count - 1), 20_000);
    expect(seqsOf(reading).slice(-count)).toEqual(range(first, first + count - 1));
    await until(() => small.hub.streamCount() === 1, 5_000, 'the stuck client dropped');
    // The dropped client's socket was cut, not left half open.
    await until(() => stuck.destroyed || stuck.readableEnded || stuck.closed, 5_000, 'stuck socket closed').catch(() => undefined);
    stuck.destroy();
    // The reader goes on receiving.
    const next = await emitOne(db.pool, DEMO_HALL_ID, calledEvent(93));
    await reading.waitFor((f) => f.id === String(next));
    reading.close();
    await small.close();
  });

  it('reconnects a terminated LISTEN connection and delivers what was emitted meanwhile', async () => {
    const reader = await display();
    await reader.waitFor(isReady);
    const pid = portal.hub.listenerPid();
    expect(pid).not.toBeNull();
    await db.pool.query('SELECT pg_terminate_backend($1)', [pid]);
    // Emitted while the portal is not listening: no notification reaches it.
    const meanwhile: number[] = [];
    for (let n = 1; n <= 3; n++) meanwhile.push(await emitOne(db.pool, DEMO_HALL_ID, calledEvent(400 + n)));
    await reader.waitFor((f) => f.id === String(meanwhile.at(-1)), 5_000);
    await until(() => portal.hub.listening && portal.hub.listenerPid() !== pid, 5_000, 'listening again');
    expect(portal.hub.listenerPid()).not.toBe(pid);
    const after = await emitOne(db.pool, DEMO_HALL_ID, calledEvent(404));
    await reader.waitFor((f) => f.id === String(after));
    const seqs = seqsOf(reader);
    expect(seqs).toEqual([...meanwhile, after]);
    reader.close();
  });

  it('keeps a stream open past the request and idle-socket timeouts: its heartbeats are traffic', async () => {
    const strict = await startPortal({ heartbeatMs: 150 }, { requestTimeoutMs: 600, headersTimeoutMs: 300, socketIdleTimeoutMs: 500, connectionsCheckingIntervalMs: 100 });
    const reader = await display({}, strict);
    await reader.waitFor(isReady);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(reader.isEnded()).toBe(false);
    const seq = await emitOne(db.pool, DEMO_HALL_ID, calledEvent(95));
    await reader.waitFor((f) => f.id === String(seq));
    reader.close();
    await strict.close();
  });

  it('ends its streams promptly when the app closes', async () => {
    const closing = await startPortal();
    const reader = await display({}, closing);
    await reader.waitFor(isReady);
    const started = Date.now();
    await closing.close();
    await reader.ended;
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(closing.hub.listening).toBe(false);
  });
});

describe('two portal processes on one database', () => {
  let child: ChildProcessByStdio<null, Readable, Readable> | null = null;

  afterAll(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  async function api(token: string, method: 'GET' | 'POST', apiPath: string, body?: unknown): Promise<unknown> {
    const res = await fetch(`${portal.url}${apiPath}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`${method} ${apiPath}: ${res.status} ${text}`);
    return JSON.parse(text) as unknown;
  }

  it('a display connected to one sees, within a second, a call made through the other', { timeout: 90_000 }, async () => {
    child = spawn(process.execPath, ['--import', 'tsx', path.join('portal', 'cli.ts')], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATABASE_URL: db.embedded.url, PORT: '0', PORTAL_LOG_LEVEL: 'error', PORTAL_DEMO: '', PORTAL_SEED_DEMO: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.stdout.setEncoding('utf8');
    let stdout = '';
    while (!stdout.includes('\n')) {
      const [chunk] = (await Promise.race([once(child.stdout, 'data'), once(child, 'exit')])) as [unknown];
      if (typeof chunk !== 'string') throw new Error(`portal exited before listening: ${stderr}`);
      stdout += chunk;
    }
    const { port } = JSON.parse(stdout.split('\n')[0] ?? '') as { port: number };
    const other: TestPortal = { app: portal.app, hub: portal.hub, url: `http://127.0.0.1:${port}`, close: async () => undefined };

    // Visitors waiting (pushed by a kiosk) and a clerk at 1 号窗口, all through this process.
    const now = new Date();
    const businessDay = businessDayOf(now, 'Asia/Shanghai');
    const events = range(1, 5).map((n) =>
      ticketIssuedEvent(n, { number: `A1-${String(900 + n)}`, businessDay, issuedAt: now.toISOString() }),
    );
    const pushed = PushResponse.parse(await api(KIOSK_TOKEN, 'POST', '/v1/kiosk/events', { dbEpoch: randomUUID(), events }));
    expect(pushed.rejected).toEqual([]);
    await api(STAFF_TOKEN, 'POST', '/v1/counter/counters/window-1/sign-in', { serviceIds: [] });

    const onOther = await display({}, other);
    await onOther.waitFor(isReady, 10_000);
    const onThis = await display();
    await onThis.waitFor(isReady);
    const latencies: number[] = [];
    for (let n = 1; n <= 5; n++) {
      const started = Date.now();
      const { ticket } = CallNextResponse.parse(await api(STAFF_TOKEN, 'POST', '/v1/counter/call-next', { counterId: 'window-1' }));
      if (!ticket) throw new Error('nobody to call');
      // The display follows the other process: the call reaches it through PostgreSQL.
      const shown = await onOther.waitFor((f) => f.event === HallEventKind.TicketCalled && (f.data ?? '').includes(ticket.ticketId), 1_000);
      latencies.push(Date.now() - started);
      const call = HallEventEnvelope.parse(JSON.parse(shown.data ?? ''));
      expect(call).toMatchObject({ kind: HallEventKind.TicketCalled, payload: { number: ticket.number, counterNumber: 1, recall: false } });
      await api(STAFF_TOKEN, 'POST', `/v1/counter/tickets/${ticket.ticketId}/complete`, {});
    }
    expect(Math.max(...latencies)).toBeLessThan(1_000);
    // Both processes tell their displays the same story, event for event.
    const lastSeq = await lastHallEventSeq(db.pool, DEMO_HALL_ID);
    await onOther.waitFor((f) => f.id === String(lastSeq));
    await onThis.waitFor((f) => f.id === String(lastSeq));
    expect(seqsOf(onOther)).toEqual(seqsOf(onThis));
    expect(onOther.events().filter((f) => f.event === HallEventKind.TicketCalled)).toHaveLength(5);
    onOther.close();
    onThis.close();
    await api(STAFF_TOKEN, 'POST', '/v1/counter/counters/window-1/sign-out');
    const exited = once(child, 'exit') as Promise<[number | null]>;
    child.kill('SIGTERM');
    expect((await exited)[0]).toBe(0);
  });
});

describe('the display snapshot', () => {
  it('answers a display with the hall, settings, services and today’s calls, newest first, a recall once', async () => {
    const ticketId = calledEvent(1).payload.ticketId;
    const first = await emitOne(db.pool, DEMO_HALL_ID, calledEvent(201, { ticketId }));
    const other = await emitOne(db.pool, DEMO_HALL_ID, calledEvent(202));
    const recall = await emitOne(db.pool, DEMO_HALL_ID, calledEvent(201, { ticketId, recall: true }));
    expect(first).toBeLessThan(recall);
    const res = await fetch(`${portal.url}/v1/display/state`, { headers: { authorization: `Bearer ${DISPLAY_TOKEN}` } });
    expect(res.status).toBe(200);
    const state = DisplayStateResponse.parse(await res.json());
    expect(state.hall.hallId).toBe(DEMO_HALL_ID);
    expect(state.lastEventSeq).toBe(recall);
    expect(state.settings).toEqual({ notice: null, voiceRepeat: 2, voiceEnglish: false });
    expect(state.services.length).toBeGreaterThan(0);
    expect(state.waiting.map((w) => w.serviceId)).toEqual(state.services.map((s) => s.id));
    expect(state.recentCalls.slice(0, 2).map((c) => [c.number, c.recall])).toEqual([
      ['A201', true],
      ['A202', false],
    ]);
    expect(state.recentCalls.filter((c) => c.ticketId === ticketId)).toHaveLength(1);
    expect(other).toBeLessThan(recall);
    const none = await fetch(`${portal.url}/v1/display/state`, { headers: { authorization: `Bearer ${STAFF_TOKEN}` } });
    expect(none.status).toBe(401);
  });

  it('snapshot then stream from its lastEventSeq never miss a call nor show one twice, under concurrent calls', async () => {
    let stop = false;
    const called: string[] = [];
    const caller = (async () => {
      let n = 0;
      while (!stop) {
        const event = calledEvent(300 + (n++ % 600));
        await withTransaction(db.pool, async (client) => {
          await emitHallEvent(client, DEMO_HALL_ID, event);
        });
        called.push(event.payload.ticketId);
      }
    })();
    const seen: string[] = [];
    for (let round = 0; round < 5; round++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const res = await fetch(`${portal.url}/v1/display/state`, { headers: { authorization: `Bearer ${DISPLAY_TOKEN}` } });
      const state = DisplayStateResponse.parse(await res.json());
      const inSnapshot = new Set(state.recentCalls.map((c) => c.ticketId));
      const reader = await display({ lastEventId: String(state.lastEventSeq) });
      await reader.waitFor(isReady);
      await new Promise((resolve) => setTimeout(resolve, 30));
      reader.close();
      const streamed = reader.frames.filter(isEvent).map((f) => HallEventEnvelope.parse(JSON.parse(f.data ?? '')));
      // The stream starts right after the snapshot: nothing it carries is in the snapshot.
      expect(streamed[0]?.seq ?? state.lastEventSeq + 1).toBe(state.lastEventSeq + 1);
      for (const event of streamed) {
        if (event.kind !== HallEventKind.TicketCalled) continue;
        expect(inSnapshot.has(event.payload.ticketId)).toBe(false);
        seen.push(event.payload.ticketId);
      }
      // Every call committed before the snapshot's seq is in it (the newest 20 are shown).
      const latest = await db.pool.query<{ id: string }>(
        `SELECT payload->>'ticketId' AS id FROM hall_events WHERE hall_id = $1 AND kind = 'ticket.called' AND seq <= $2 ORDER BY seq DESC LIMIT 5`,
        [DEMO_HALL_ID, state.lastEventSeq],
      );
      for (const row of latest.rows) expect(inSnapshot.has(row.id)).toBe(true);
    }
    stop = true;
    await caller;
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen).size).toBe(seen.length);
    expect(called.length).toBeGreaterThan(seen.length);
  });
});
