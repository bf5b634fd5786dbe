import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncEventType } from '../../common/contract/sync-api.js';
import { Priority } from '../../common/domain/priority.js';
import { NumberSource } from '../../common/domain/ticket-number.js';
import { pushEvents } from '../queue/push-events.js';
import { DEMO_HALL_ID, seedDemoHall } from '../seed/demo-hall.js';
import { TEST_NOW } from '../test-support/portal-harness.js';
import { startTestPostgres, type TestPostgres } from '../test-support/test-postgres.js';
import { auditLines } from './counter-test-kit.js';
import { startEndOfDaySchedule } from './end-of-day-schedule.js';

/** The sweep as the portal process runs it: at start, then on a timer, per hall, idempotent. */

let db: TestPostgres;

beforeAll(async () => {
  db = await startTestPostgres();
  for (const hallId of [DEMO_HALL_ID, 'second-hall']) {
    await seedDemoHall(db.pool, { hallId, kioskTokens: [{ kioskId: 'k1', token: `${hallId}-kiosk-token`, kioskDigit: 1 }], staffToken: `${hallId}-staff` });
  }
});

afterAll(async () => {
  await db.close();
});

async function pushYesterday(hallId: string, numbers: string[]): Promise<void> {
  const events = numbers.map((number, i) => ({
    seq: i + 1,
    eventId: randomUUID(),
    occurredAt: TEST_NOW.toISOString(),
    type: SyncEventType.TicketIssued as const,
    payload: {
      ticketId: randomUUID(),
      serviceId: 'social-insurance',
      number,
      numberSource: NumberSource.KioskSeries,
      businessDay: '2025-03-09',
      priority: Priority.Normal,
      issuedAt: TEST_NOW.toISOString(),
      citizenHmac: null,
    },
  }));
  const pushed = await pushEvents(db.pool, { hallId, kioskId: 'k1', kioskDigit: 1 }, { dbEpoch: randomUUID(), events }, TEST_NOW);
  expect(pushed.rejected).toEqual([]);
}

describe('the end-of-day schedule', () => {
  it('sweeps every hall at start, reports it, and finds nothing the next time', async () => {
    await pushYesterday(DEMO_HALL_ID, ['A1-001', 'A1-002']);
    await pushYesterday('second-hall', ['A1-001']);
    const reports: Map<string, number>[] = [];
    const schedule = startEndOfDaySchedule(db.pool, { clock: () => TEST_NOW, intervalMs: 60_000, onSwept: (swept) => reports.push(swept) });
    try {
      // The run at start may be under way already: runNow joins it or runs once more.
      const first = await schedule.runNow();
      const swept = reports[0] ?? first;
      expect(swept).toEqual(new Map([[DEMO_HALL_ID, 2], ['second-hall', 1]]));
      expect(await schedule.runNow()).toEqual(new Map());
      expect(reports).toHaveLength(1);
    } finally {
      await schedule.stop();
    }
    const left = await db.pool.query(`SELECT count(*)::int AS n FROM tickets WHERE status <> 'cancelled' OR closed_reason <> 'end-of-day'`);
    expect(left.rows).toEqual([{ n: 0 }]);
    expect((await auditLines(db.pool, DEMO_HALL_ID)).filter((l) => l.action === 'tickets.end-of-day')).toEqual([
      expect.objectContaining({ actor_id: 'end-of-day', outcome: 'ok', detail: expect.objectContaining({ tickets: 2, before: '2025-03-10' }) }),
    ]);
  });
});
