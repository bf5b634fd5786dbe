/**
 * 100 clerks calling next at the same moment on one queue (issue 8, "Must show"): 100 counters,
 * each clerk on a connection of its own to a real PostgreSQL, all calls released together. Each
 * ticket is called exactly once, by one counter, and the 100 called are the first 100 of the
 * line; a second wave calls the rest and finds the line empty.
 */
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HallEventKind } from '../../common/contract/hall-events.js';
import { SyncEventType } from '../../common/contract/sync-api.js';
import { Priority } from '../../common/domain/priority.js';
import { NumberSource } from '../../common/domain/ticket-number.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../db/embedded.js';
import { createPortalPool } from '../db/pool.js';
import { pushEvents } from '../queue/push-events.js';
import { DEMO_HALL_ID, seedDemoHall } from '../seed/demo-hall.js';
import { TEST_DAY, TEST_NOW } from '../test-support/portal-harness.js';
import { startTestPostgres } from '../test-support/test-postgres.js';
import type { CounterActor } from './counter-actor.js';
import { CounterOperation, actOnTicket, callNext, changeCounter } from './counter-operations.js';
import { actor, hallEventsAfter, segmentsOf, tilingProblems } from './counter-test-kit.js';
import { waitingLine } from './queue-read.js';
import { TicketAction } from './ticket-life.js';

const CLERKS = 100;
const TICKETS = 150;

let embedded: EmbeddedPostgres;
let dir: string;
let pool: pg.Pool;
const clerks: { actor: CounterActor; counterId: string }[] = [];

beforeAll(async () => {
  // PostgreSQL allows 100 connections by default: room for 100 clerks and the test's own.
  const first = await startTestPostgres();
  await first.pool.query('ALTER SYSTEM SET max_connections = 140');
  await first.pool.end();
  await first.embedded.stop();
  dir = first.dir;
  embedded = await startEmbeddedPostgres({ dataDir: first.embedded.dataDir, port: first.embedded.port, unsafeNoFsync: true });
  pool = createPortalPool(embedded.url, { max: CLERKS + 10, onIdleError: () => undefined });

  await seedDemoHall(pool, { kioskTokens: [{ kioskId: 'race-kiosk', token: 'race-kiosk-token', kioskDigit: 1 }], staffToken: 'race-staff-token' });
  for (let i = 1; i <= CLERKS; i++) {
    const counterId = `race-${String(i).padStart(3, '0')}`;
    // Counters serving every service (no counter_services rows).
    await pool.query(`INSERT INTO counters (hall_id, counter_id, number, name_zh, name_en) VALUES ($1, $2, $3, $4, $5)`, [
      DEMO_HALL_ID,
      counterId,
      100 + i,
      `${100 + i} 号窗口`,
      `Counter ${100 + i}`,
    ]);
    const clerk = actor(DEMO_HALL_ID, `race-clerk-${i}`);
    await changeCounter(pool, clerk, counterId, CounterOperation.SignIn);
    clerks.push({ actor: clerk, counterId });
  }
  const events = Array.from({ length: TICKETS }, (_, i) => ({
    seq: i + 1,
    eventId: randomUUID(),
    occurredAt: TEST_NOW.toISOString(),
    type: SyncEventType.TicketIssued as const,
    payload: {
      ticketId: randomUUID(),
      serviceId: i % 3 === 0 ? 'tax' : 'social-insurance',
      number: `${i % 3 === 0 ? 'G' : 'A'}1-${String(i + 1).padStart(3, '0')}`,
      numberSource: NumberSource.KioskSeries,
      businessDay: TEST_DAY,
      priority: Priority.Normal,
      issuedAt: TEST_NOW.toISOString(),
      citizenHmac: null,
    },
  }));
  const pushed = await pushEvents(pool, { hallId: DEMO_HALL_ID, kioskId: 'race-kiosk', kioskDigit: 1 }, { dbEpoch: randomUUID(), events }, TEST_NOW);
  expect(pushed.rejected).toEqual([]);
});

afterAll(async () => {
  await pool.end();
  await embedded.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Opens every connection first, so the wave does not wait on connection set-up. */
async function warmPool(): Promise<void> {
  const clients = await Promise.all(Array.from({ length: CLERKS }, () => pool.connect()));
  for (const client of clients) client.release();
}

describe('100 clerks calling next at the same moment', () => {
  it('calls each ticket once, the first 100 of the line, and then the rest', async () => {
    const line = (await waitingLine(pool, DEMO_HALL_ID, TEST_DAY)).map((t) => t.ticketId);
    expect(line).toHaveLength(TICKETS);
    await warmPool();
    const active = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'hall-portal'");
    expect(active.rows[0]?.n).toBeGreaterThanOrEqual(CLERKS);

    const first = await Promise.all(clerks.map((c) => callNext(pool, c.actor, { counterId: c.counterId, serviceIds: [] }, TEST_NOW)));
    const called = first.map((t) => t?.ticketId);
    expect(called.every((id) => id !== undefined)).toBe(true);
    expect(new Set(called).size).toBe(CLERKS);
    expect(new Set(called)).toEqual(new Set(line.slice(0, CLERKS)));
    first.forEach((t, i) => expect(t?.counterId).toBe(clerks[i]?.counterId));

    // Each clerk completes and calls again at the same moment: 50 get the rest, 50 find nobody.
    await Promise.all(first.map((t, i) => actOnTicket(pool, (clerks[i] as { actor: CounterActor }).actor, t?.ticketId ?? '', { action: TicketAction.Complete, caseNumber: null }, TEST_NOW)));
    const second = await Promise.all(clerks.map((c) => callNext(pool, c.actor, { counterId: c.counterId, serviceIds: [] }, TEST_NOW)));
    const calledAgain = second.flatMap((t) => (t ? [t.ticketId] : []));
    expect(calledAgain).toHaveLength(TICKETS - CLERKS);
    expect(new Set([...called, ...calledAgain]).size).toBe(TICKETS);

    // The hall heard of each call exactly once.
    const calls = (await hallEventsAfter(pool, DEMO_HALL_ID)).flatMap((e) => (e.kind === HallEventKind.TicketCalled ? [e.payload.ticketId] : []));
    expect(calls).toHaveLength(TICKETS);
    expect(new Set(calls).size).toBe(TICKETS);
    const rows = await pool.query<{ ticket_id: string; status: string; received_at: Date }>(
      'SELECT ticket_id::text, status, received_at FROM tickets WHERE hall_id = $1',
      [DEMO_HALL_ID],
    );
    for (const row of rows.rows) expect(tilingProblems(row, await segmentsOf(pool, DEMO_HALL_ID, row.ticket_id))).toEqual([]);
  });
});
