import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CounterState } from '../../common/contract/counter-api.js';
import { PortalErrorCode } from '../../common/contract/errors.js';
import { StaffRole } from '../../common/contract/route-spec.js';
import { SyncEventType } from '../../common/contract/sync-api.js';
import { Priority } from '../../common/domain/priority.js';
import { NumberSource } from '../../common/domain/ticket-number.js';
import { pushEvents } from '../queue/push-events.js';
import { DEMO_HALL_ID, seedDemoHall } from '../seed/demo-hall.js';
import { TEST_DAY, TEST_NOW } from '../test-support/portal-harness.js';
import { startTestPostgres, type TestPostgres } from '../test-support/test-postgres.js';
import { CounterOperation, callNext, changeCounter, listCounters } from './counter-operations.js';
import { actor, hallEventsAfter, lastEventSeq } from './counter-test-kit.js';

/** Counters as people use them: a person (session) holds one counter at a time. */

let db: TestPostgres;
const li = actor(DEMO_HALL_ID, 'clerk1', StaffRole.Clerk, 'session');
const wang = actor(DEMO_HALL_ID, 'clerk2', StaffRole.Clerk, 'session');
const machine = actor(DEMO_HALL_ID, 'demo-staff', StaffRole.Clerk, 'api-key');

beforeAll(async () => {
  db = await startTestPostgres();
  await seedDemoHall(db.pool, { kioskTokens: [{ kioskId: 'k1', token: 'control-kiosk-token', kioskDigit: 1 }], staffToken: 'control-staff-token' });
});

afterAll(async () => {
  await db.close();
});

beforeEach(async () => {
  await db.pool.query('DELETE FROM tickets');
  await db.pool.query(`UPDATE counters SET staff_id = NULL, signed_in_via = NULL, signed_in_at = NULL, paused = false, active_service_ids = '{}'`);
});

async function stateOf(counterId: string): Promise<CounterState | undefined> {
  return (await listCounters(db.pool, DEMO_HALL_ID)).find((c) => c.counterId === counterId)?.state;
}

async function pushOne(): Promise<void> {
  const event = {
    seq: 1,
    eventId: randomUUID(),
    occurredAt: TEST_NOW.toISOString(),
    type: SyncEventType.TicketIssued as const,
    payload: {
      ticketId: randomUUID(),
      serviceId: 'social-insurance',
      number: 'A1-001',
      numberSource: NumberSource.KioskSeries,
      businessDay: TEST_DAY,
      priority: Priority.Normal,
      issuedAt: TEST_NOW.toISOString(),
      citizenHmac: null,
    },
  };
  await pushEvents(db.pool, { hallId: DEMO_HALL_ID, kioskId: 'k1', kioskDigit: 1 }, { dbEpoch: randomUUID(), events: [event] }, TEST_NOW);
}

describe('signing in at counters', () => {
  it('a person signing in at a second counter leaves the first, and the hall hears of both', async () => {
    await changeCounter(db.pool, li, 'window-1', CounterOperation.SignIn);
    const since = await lastEventSeq(db.pool, DEMO_HALL_ID);
    const view = await changeCounter(db.pool, li, 'window-2', CounterOperation.SignIn, ['medical-insurance']);
    expect(view).toMatchObject({ counterId: 'window-2', state: CounterState.Idle, activeServiceIds: ['medical-insurance'] });
    expect(await stateOf('window-1')).toBe(CounterState.SignedOut);
    expect((await hallEventsAfter(db.pool, DEMO_HALL_ID, since)).map((e) => e.payload)).toEqual([
      { counterId: 'window-1', state: CounterState.SignedOut },
      { counterId: 'window-2', state: CounterState.Idle },
    ]);
  });

  it('refuses to move a person whose counter still has a visitor in hand', async () => {
    await pushOne();
    await changeCounter(db.pool, li, 'window-1', CounterOperation.SignIn);
    expect(await callNext(db.pool, li, { counterId: 'window-1', serviceIds: [] }, TEST_NOW)).not.toBeNull();
    await expect(changeCounter(db.pool, li, 'window-2', CounterOperation.SignIn)).rejects.toMatchObject({ code: PortalErrorCode.CounterBusy });
    expect(await stateOf('window-1')).toBe(CounterState.Busy);
    expect(await stateOf('window-2')).toBe(CounterState.SignedOut);
  });

  it('a staff API key may drive several counters; a person never two', async () => {
    await changeCounter(db.pool, machine, 'window-1', CounterOperation.SignIn);
    await changeCounter(db.pool, machine, 'window-2', CounterOperation.SignIn);
    expect([await stateOf('window-1'), await stateOf('window-2')]).toEqual([CounterState.Idle, CounterState.Idle]);
    // The database holds the rule too, whatever the code does.
    await changeCounter(db.pool, wang, 'window-3', CounterOperation.SignIn);
    await expect(
      db.pool.query(
        `UPDATE counters SET staff_id = 'clerk2', signed_in_via = 'session', signed_in_at = now() WHERE hall_id = $1 AND counter_id = 'window-4'`,
        [DEMO_HALL_ID],
      ),
    ).rejects.toMatchObject({ code: '23505' });
  });

  it('a re-sign-in changes the services and keeps the pause; a sign-in is refused at a taken counter', async () => {
    await changeCounter(db.pool, li, 'window-2', CounterOperation.SignIn);
    await changeCounter(db.pool, li, 'window-2', CounterOperation.Pause);
    const again = await changeCounter(db.pool, li, 'window-2', CounterOperation.SignIn, ['social-insurance']);
    expect(again).toMatchObject({ state: CounterState.Paused, activeServiceIds: ['social-insurance'] });
    await expect(changeCounter(db.pool, wang, 'window-2', CounterOperation.SignIn)).rejects.toMatchObject({ code: PortalErrorCode.CounterTaken });
    await expect(changeCounter(db.pool, wang, 'window-9', CounterOperation.SignIn)).rejects.toMatchObject({ code: PortalErrorCode.NotFound });
    await db.pool.query(`UPDATE counters SET enabled = false WHERE counter_id = 'window-6'`);
    try {
      await expect(changeCounter(db.pool, wang, 'window-6', CounterOperation.SignIn)).rejects.toMatchObject({ code: PortalErrorCode.NotFound });
    } finally {
      await db.pool.query(`UPDATE counters SET enabled = true WHERE counter_id = 'window-6'`);
    }
  });

  it('pausing a counter nobody is at is refused; signing out of one is a no-op', async () => {
    await expect(changeCounter(db.pool, li, 'window-5', CounterOperation.Pause)).rejects.toMatchObject({ code: PortalErrorCode.CounterSignedOut });
    const since = await lastEventSeq(db.pool, DEMO_HALL_ID);
    expect(await changeCounter(db.pool, li, 'window-5', CounterOperation.SignOut)).toMatchObject({ state: CounterState.SignedOut });
    expect(await hallEventsAfter(db.pool, DEMO_HALL_ID, since)).toEqual([]);
  });
});
