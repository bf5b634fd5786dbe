import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HallEventKind, type HallEvent } from '../../common/contract/hall-events.js';
import { withTransaction } from '../db/transaction.js';
import { startTestPostgres, type TestPostgres } from '../test-support/test-postgres.js';
import { HALL_EVENTS_CHANNEL, emitHallEvent, emitHallEvents } from './emit-hall-event.js';
import { lastHallEventSeq, readHallEvents } from './hall-event-store.js';
import { parseHallNotification } from './hall-listener.js';
import { purgeHallEvents } from './purge-hall-events.js';
import { calledEvent, emitOne, insertHall } from './test-hall-events.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let db: TestPostgres;
let listener: pg.Client;
/** Every notification on the channel, in the order PostgreSQL delivered them (commit order). */
const notified: { hallId: string; seq: number }[] = [];

beforeAll(async () => {
  db = await startTestPostgres();
  for (const hall of ['hall-a', 'hall-b', 'hall:colon', 'hall-purge', 'hall-race', 'hall-batch']) await insertHall(db.pool, hall);
  listener = new pg.Client({ connectionString: db.embedded.url });
  await listener.connect();
  await listener.query(`LISTEN ${HALL_EVENTS_CHANNEL}`);
  listener.on('notification', (message) => {
    const parsed = parseHallNotification(message.payload);
    if (parsed) notified.push(parsed);
  });
});

afterAll(async () => {
  await listener?.end();
  await db?.close();
});

const notificationsOf = (hallId: string): number[] => notified.filter((n) => n.hallId === hallId).map((n) => n.seq);

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

describe('emitHallEvent', () => {
  it('numbers each hall from 1 without gaps, stores the event and notifies `hallId:seq`', async () => {
    expect(await emitOne(db.pool, 'hall-a', calledEvent(1))).toBe(1);
    expect(await emitOne(db.pool, 'hall-a', calledEvent(2))).toBe(2);
    expect(await emitOne(db.pool, 'hall-b', calledEvent(1))).toBe(1);
    // A hall id with a colon in it still parses: the seq is after the last colon.
    expect(await emitOne(db.pool, 'hall:colon', calledEvent(1))).toBe(1);
    const stored = await readHallEvents(db.pool, 'hall-a', 0);
    expect(stored.map((e) => e.seq)).toEqual([1, 2]);
    expect(stored[0]?.kind).toBe(HallEventKind.TicketCalled);
    expect(JSON.parse(stored[1]?.payloadJson ?? 'null')).toMatchObject({ number: 'A002', counterNumber: 3 });
    await until(() => notificationsOf('hall-a').length === 2 && notificationsOf('hall:colon').length === 1);
    expect(notificationsOf('hall-a')).toEqual([1, 2]);
    expect(notificationsOf('hall-b')).toEqual([1]);
  });

  it('emits nothing from a transaction that rolls back, and the next event takes its number', async () => {
    const before = await lastHallEventSeq(db.pool, 'hall-b');
    await expect(
      withTransaction(db.pool, async (client) => {
        await emitHallEvent(client, 'hall-b', calledEvent(7));
        throw new Error('the change failed after the event was emitted');
      }),
    ).rejects.toThrow('the change failed');
    expect(await lastHallEventSeq(db.pool, 'hall-b')).toBe(before);
    expect((await readHallEvents(db.pool, 'hall-b', before)).length).toBe(0);
    const next = await emitOne(db.pool, 'hall-b', calledEvent(8));
    expect(next).toBe(before + 1);
    await until(() => notificationsOf('hall-b').includes(next));
    // The rolled-back event's number was notified once: for the committed event only.
    expect(notificationsOf('hall-b')).toEqual([1, next]);
  });

  it('notifies only once the transaction has committed', async () => {
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      const seq = await emitHallEvent(client, 'hall-a', calledEvent(3));
      await sleep(200);
      expect(notificationsOf('hall-a')).not.toContain(seq);
      await client.query('COMMIT');
      await until(() => notificationsOf('hall-a').includes(seq));
    } finally {
      client.release();
    }
  });

  it('refuses an event the contract refuses, before writing anything', async () => {
    const before = await lastHallEventSeq(db.pool, 'hall-a');
    const bad = { kind: HallEventKind.TicketCalled, payload: { ...calledEvent(1).payload, number: 'not a number' } } as HallEvent;
    await expect(emitOne(db.pool, 'hall-a', bad)).rejects.toThrow();
    expect(await lastHallEventSeq(db.pool, 'hall-a')).toBe(before);
  });

  it('under concurrent emitters (some rolling back), numbers stay gapless and commit in seq order', async () => {
    const hall = 'hall-race';
    const writers = 16;
    const perWriter = 6;
    let committed = 0;
    await Promise.all(
      Array.from({ length: writers }, (_, w) =>
        (async () => {
          for (let i = 0; i < perWriter; i++) {
            const rollBack = (w + i) % 5 === 0;
            await withTransaction(db.pool, async (client) => {
              // Work before the event, as a real transition does; the event comes last.
              await client.query('SELECT pg_sleep($1)', [Math.random() * 0.01]);
              await emitHallEvent(client, hall, calledEvent(w * 100 + i));
              // Hold the counter a moment so other writers queue behind it.
              await client.query('SELECT pg_sleep($1)', [Math.random() * 0.005]);
              if (rollBack) throw new Error('rolled back on purpose');
            }).then(
              () => committed++,
              (err: unknown) => {
                if (!(err instanceof Error) || err.message !== 'rolled back on purpose') throw err;
              },
            );
          }
        })(),
      ),
    );
    const seqs = (await readHallEvents(db.pool, hall, 0, 1_000)).map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: committed }, (_, i) => i + 1));
    expect(await lastHallEventSeq(db.pool, hall)).toBe(committed);
    // PostgreSQL delivers notifications in commit order: it must be seq order.
    await until(() => notificationsOf(hall).length === committed);
    expect(notificationsOf(hall)).toEqual(seqs);
  });
});

describe('emitHallEvents', () => {
  it('writes a request’s events in one statement, in order, numbered on from the hall’s last, each notified', async () => {
    const hall = 'hall-batch';
    const waiting: HallEvent = { kind: HallEventKind.QueueWaiting, payload: { counts: [{ serviceId: 'social-insurance', waiting: 4 }] } };
    const first = await withTransaction(db.pool, (client) => emitHallEvents(client, hall, [calledEvent(1), calledEvent(2), waiting]));
    expect(first).toEqual([1, 2, 3]);
    expect(await emitOne(db.pool, hall, calledEvent(3))).toBe(4);
    const second = await withTransaction(db.pool, (client) => emitHallEvents(client, hall, [calledEvent(4), waiting]));
    expect(second).toEqual([5, 6]);
    const stored = await readHallEvents(db.pool, hall, 0);
    expect(stored.map((e) => e.kind)).toEqual([
      HallEventKind.TicketCalled,
      HallEventKind.TicketCalled,
      HallEventKind.QueueWaiting,
      HallEventKind.TicketCalled,
      HallEventKind.TicketCalled,
      HallEventKind.QueueWaiting,
    ]);
    expect(stored.map((e) => (JSON.parse(e.payloadJson) as { number?: string }).number)).toEqual(['A001', 'A002', undefined, 'A003', 'A004', undefined]);
    expect(JSON.parse(stored[2]?.payloadJson ?? 'null')).toEqual(waiting.payload);
    await until(() => notificationsOf(hall).length === 6);
    expect(notificationsOf(hall)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('writes nothing when one event of the batch breaks the contract, or when the transaction rolls back', async () => {
    const hall = 'hall-batch';
    const before = await lastHallEventSeq(db.pool, hall);
    const bad = { kind: HallEventKind.TicketCalled, payload: { ...calledEvent(1).payload, counterNumber: -1 } } as HallEvent;
    await expect(withTransaction(db.pool, (client) => emitHallEvents(client, hall, [calledEvent(5), bad]))).rejects.toThrow();
    await expect(
      withTransaction(db.pool, async (client) => {
        await emitHallEvents(client, hall, [calledEvent(6), calledEvent(7)]);
        throw new Error('rolled back on purpose');
      }),
    ).rejects.toThrow('rolled back on purpose');
    expect(await withTransaction(db.pool, (client) => emitHallEvents(client, hall, []))).toEqual([]);
    expect(await lastHallEventSeq(db.pool, hall)).toBe(before);
    expect(await emitOne(db.pool, hall, calledEvent(8))).toBe(before + 1);
  });
});

describe('purgeHallEvents', () => {
  it('deletes events older than the limit but keeps the latest of each hall', async () => {
    const hall = 'hall-purge';
    for (let n = 1; n <= 10; n++) await emitOne(db.pool, hall, calledEvent(n));
    const otherBefore = (await readHallEvents(db.pool, 'hall-a', 0)).length;
    // Nothing is old enough yet.
    expect(await purgeHallEvents(db.pool, { before: new Date(Date.now() - 3_600_000), keepLatest: 3 })).toBe(0);
    // Everything is old: all but the latest 3 of each hall go, in small batches.
    const purged = await purgeHallEvents(db.pool, { before: new Date(Date.now() + 3_600_000), keepLatest: 3, batchSize: 2 });
    expect((await readHallEvents(db.pool, hall, 0)).map((e) => e.seq)).toEqual([8, 9, 10]);
    expect((await readHallEvents(db.pool, 'hall-a', 0)).length).toBe(Math.min(otherBefore, 3));
    expect(purged).toBeGreaterThanOrEqual(7);
    // The numbering goes on from the counter, not from what is left.
    expect(await emitOne(db.pool, hall, calledEvent(11))).toBe(11);
  });
});
