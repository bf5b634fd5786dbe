import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../test-support/test-postgres.js';
import { createHallEventHub, HubFull, type HallEventHub, type HallEventHubOptions } from './hall-event-hub.js';
import { lastHallEventSeq, readHallEvents } from './hall-event-store.js';
import { DropReason, type HallEventSink } from './hall-event-sink.js';
import { calledEvent, emitOne, insertHall } from './test-hall-events.js';

/**
 * The fan-out's rules, with sinks the test controls (backlog, drain) instead of sockets, and
 * reads the test can hold back to open the race windows a real server only opens now and then.
 */

interface TestSink extends HallEventSink {
  frames: string[];
  backlogBytes: number;
  closedWith: DropReason | null;
  /** The seqs of the hall events written, in order. */
  seqs(): number[];
  /** Whether the `ready` frame came. */
  ready(): boolean;
  /** The client took everything: backlog 0, drain waiters woken. */
  drain(): void;
}

function testSink(): TestSink {
  let drainWaiters: (() => void)[] = [];
  const sink: TestSink = {
    frames: [],
    backlogBytes: 0,
    closedWith: null,
    send(frame) {
      sink.frames.push(frame);
    },
    backlog: () => sink.backlogBytes,
    drained() {
      if (sink.backlogBytes === 0) return Promise.resolve();
      return new Promise((resolve) => drainWaiters.push(resolve));
    },
    close(reason) {
      sink.closedWith ??= reason;
      sink.drain();
    },
    drain() {
      sink.backlogBytes = 0;
      for (const wake of drainWaiters) wake();
      drainWaiters = [];
    },
    seqs: () =>
      sink.frames
        .filter((f) => !f.includes('event: ready') && !f.includes('event: resync'))
        .map((f) => Number(/^id: (\d+)/.exec(f)?.[1])),
    ready: () => sink.frames.some((f) => f.includes('event: ready')),
  };
  return sink;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

let db: TestPostgres;
let hubs: HallEventHub[] = [];
let hallCount = 0;

/** A fresh hall per test: its seqs start at 1. */
async function newHall(): Promise<string> {
  const hallId = `hub-hall-${++hallCount}`;
  await insertHall(db.pool, hallId);
  return hallId;
}

async function startHub(options: Partial<HallEventHubOptions> = {}): Promise<HallEventHub> {
  const hub = createHallEventHub({ pool: db.pool, resyncIntervalMs: 0, purgeIntervalMs: 0, ...options });
  hubs.push(hub);
  await hub.start();
  return hub;
}

beforeAll(async () => {
  db = await startTestPostgres();
});

afterEach(async () => {
  for (const hub of hubs) await hub.close();
  hubs = [];
});

afterAll(async () => {
  await db?.close();
});

describe('hall event hub', () => {
  it('a subscriber whose replay read was overtaken by live events still gets them, without waiting for another', async () => {
    const hallId = await newHall();
    for (let n = 1; n <= 3; n++) await emitOne(db.pool, hallId, calledEvent(n));
    // The replay read from seq 3 is held back after it ran: its snapshot predates what comes next.
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let armed = false;
    let held = false;
    const hub = await startHub({
      readEvents: async (db2, hall, afterSeq, limit) => {
        const rows = await readHallEvents(db2, hall, afterSeq, limit);
        if (armed && hall === hallId && afterSeq === 3 && limit !== 1 && !held) {
          held = true;
          await gate;
        }
        return rows;
      },
    });
    const live = testSink();
    hub.subscribe({ hallId, principalKey: 'display:a', sink: live, lastEventId: 0 });
    await until(() => live.ready());
    // The hall's first read (A caught up and set where the hall's reads start) is over by then.
    await sleep(100);
    armed = true;
    // Subscriber B replays from 3; its read is held.
    const late = testSink();
    hub.subscribe({ hallId, principalKey: 'display:b', sink: late, lastEventId: 3 });
    await until(() => held);
    for (let n = 4; n <= 6; n++) await emitOne(db.pool, hallId, calledEvent(n));
    // A gets them live; B, still replaying, leaves them to its replay.
    await until(() => live.seqs().length === 6);
    expect(late.seqs()).toEqual([]);
    release();
    // B's held read came back empty, but the hall was read past it meanwhile: it reads again.
    await until(() => late.ready());
    expect(late.seqs()).toEqual([4, 5, 6]);
    await emitOne(db.pool, hallId, calledEvent(7));
    await until(() => late.seqs().length === 4 && live.seqs().length === 7);
    expect(late.seqs()).toEqual([4, 5, 6, 7]);
    expect(live.seqs()).toEqual(range(1, 7));
  });

  it('drops a subscriber whose backlog stays above the limit, keeps one that drains in time', async () => {
    const hallId = await newHall();
    const hub = await startHub({ limits: { maxBacklogBytes: 1_000, slowClientGraceMs: 300, hardBacklogBytes: 100_000 } });
    const stuck = testSink();
    const bursty = testSink();
    const calm = testSink();
    hub.subscribe({ hallId, principalKey: 'display:stuck', sink: stuck, lastEventId: null });
    hub.subscribe({ hallId, principalKey: 'display:bursty', sink: bursty, lastEventId: null });
    hub.subscribe({ hallId, principalKey: 'display:calm', sink: calm, lastEventId: null });
    await until(() => stuck.ready() && bursty.ready() && calm.ready());
    stuck.backlogBytes = 5_000;
    bursty.backlogBytes = 5_000;
    await emitOne(db.pool, hallId, calledEvent(1));
    await until(() => calm.seqs().length === 1);
    // The bursty one takes its backlog within the grace; the stuck one never does.
    await sleep(100);
    bursty.backlogBytes = 0;
    await until(() => stuck.closedWith !== null, 2_000);
    expect(stuck.closedWith).toBe(DropReason.Slow);
    await emitOne(db.pool, hallId, calledEvent(2));
    await until(() => calm.seqs().length === 2 && bursty.seqs().length === 2);
    expect(bursty.closedWith).toBeNull();
    expect(hub.streamCount()).toBe(2);

    // Past the hard limit there is no grace.
    bursty.backlogBytes = 200_000;
    await emitOne(db.pool, hallId, calledEvent(3));
    await until(() => bursty.closedWith !== null);
    expect(bursty.closedWith).toBe(DropReason.Slow);
    await until(() => calm.seqs().length === 3);
    expect(calm.closedWith).toBeNull();
  });

  it('refuses a stream past the per-hall limit, and replaces the oldest past the per-principal one', async () => {
    const hallId = await newHall();
    const hub = await startHub({ limits: { maxStreamsPerHall: 3, maxStreamsPerPrincipal: 2 } });
    const sinks = [testSink(), testSink(), testSink()];
    hub.admit(hallId);
    hub.subscribe({ hallId, principalKey: 'display:one', sink: sinks[0] as TestSink, lastEventId: null });
    hub.subscribe({ hallId, principalKey: 'display:one', sink: sinks[1] as TestSink, lastEventId: null });
    hub.subscribe({ hallId, principalKey: 'display:two', sink: sinks[2] as TestSink, lastEventId: null });
    expect(() => hub.admit(hallId)).toThrow(HubFull);
    // Another hall has room of its own.
    expect(() => hub.admit('another-hall')).not.toThrow();
    // The same principal again: its oldest stream goes (a display that reconnected before the old socket died).
    const again = testSink();
    hub.subscribe({ hallId, principalKey: 'display:one', sink: again, lastEventId: null });
    expect(sinks[0]?.closedWith).toBe(DropReason.Replaced);
    expect(sinks[1]?.closedWith).toBeNull();
    expect(hub.streamCount()).toBe(3);
  });

  it('replays in pages, waiting for the client to take each one, and drops one that never does', async () => {
    const hallId = await newHall();
    // More than two pages, written in one statement.
    await emitOne(db.pool, hallId, calledEvent(1));
    const count = 1_200;
    await db.pool.query(
      `INSERT INTO hall_events (hall_id, seq, kind, payload) SELECT $1, 1 + g, kind, payload FROM hall_events, generate_series(1, $2) g
       WHERE hall_id = $1 AND seq = 1`,
      [hallId, count],
    );
    await db.pool.query('UPDATE hall_event_counters SET last_seq = $2 WHERE hall_id = $1', [hallId, count + 1]);
    const hub = await startHub({ limits: { maxBacklogBytes: 10_000, replayDrainTimeoutMs: 1_000 } });
    const sink = testSink();
    sink.backlogBytes = 50_000;
    hub.subscribe({ hallId, principalKey: 'display:slow', sink, lastEventId: 0 });
    await until(() => sink.seqs().length === 500);
    await sleep(200);
    // One page, then it waits for the client.
    expect(sink.seqs().length).toBe(500);
    sink.drain();
    await until(() => sink.ready());
    expect(sink.seqs()).toEqual(range(1, count + 1));
    expect(sink.closedWith).toBeNull();

    const never = testSink();
    never.backlogBytes = 50_000;
    hub.subscribe({ hallId, principalKey: 'display:never', sink: never, lastEventId: 0 });
    await until(() => never.closedWith !== null, 3_000);
    expect(never.closedWith).toBe(DropReason.Slow);
    expect(never.seqs().length).toBe(500);
  });

  it('ends every stream when it closes, and refuses new ones after', async () => {
    const hallId = await newHall();
    const hub = await startHub();
    const sink = testSink();
    hub.subscribe({ hallId, principalKey: 'display:x', sink, lastEventId: null });
    await until(() => sink.ready());
    expect(hub.listening).toBe(true);
    await hub.close();
    expect(sink.closedWith).toBe(DropReason.ShuttingDown);
    expect(hub.listening).toBe(false);
    expect(() => hub.admit(hallId)).toThrow(HubFull);
    const late = testSink();
    hub.subscribe({ hallId, principalKey: 'display:y', sink: late, lastEventId: null });
    expect(late.closedWith).toBe(DropReason.ShuttingDown);
    expect(await lastHallEventSeq(db.pool, hallId)).toBe(0);
  });
});
