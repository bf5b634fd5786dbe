import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PortalErrorCode } from '../../common/contract/errors.js';
import { withTransaction } from '../db/transaction.js';
import { PortalError } from '../http/portal-error.js';
import { writeServiceConfig } from '../queue/service-config.js';
import { DEMO_HALL_ID, seedDemoHall } from '../seed/demo-hall.js';
import { DEMO_SERVICE_CONFIG } from '../seed/demo-guides.js';
import { startTestPostgres, type TestPostgres } from '../test-support/test-postgres.js';
import { cancelBooking } from './cancel-booking.js';
import { confirmBooking } from './confirm-booking.js';
import { holdBooking } from './hold-booking.js';
import { listSlots } from './booking-slots.js';
import { sweepExpiredHolds } from './hold-sweep.js';
import { validIdNumber } from './test-id-numbers.js';

/**
 * The property of issue 9 §2: whatever holds, confirmations, cancellations, hold expiries (a
 * controlled clock) and sweeps run at once against the real database, no slot ever has more
 * places taken than its capacity, its counter always equals its appointments, and a place held
 * and never confirmed is free again once the hold has run out: listed free at once, and taken by
 * the next citizen who asks.
 */

const HALL = DEMO_HALL_ID;
const SERVICE = 'social-insurance';
const CAPACITY = 2;
const HOLD_MS = 3 * 60_000;
/** Monday 2025-03-10 10:00 in Shanghai; the slots are Tuesday morning's first three. */
const START = new Date('2025-03-10T02:00:00.000Z');
const SLOTS = ['2025-03-11T01:00:00.000Z', '2025-03-11T01:30:00.000Z', '2025-03-11T02:00:00.000Z'];
const CITIZENS = 5;

/** Refusals a citizen may meet; anything else (a 500, a deadlock) fails the property. */
const EXPECTED = new Set<PortalErrorCode>([
  PortalErrorCode.SlotFull,
  PortalErrorCode.AlreadyBooked,
  PortalErrorCode.HoldExpired,
  PortalErrorCode.NotFound,
  PortalErrorCode.Conflict,
  PortalErrorCode.InvalidTransition,
]);

type Op =
  | { kind: 'hold'; citizen: number; slot: number }
  | { kind: 'confirm'; hold: number }
  | { kind: 'cancel'; booking: number }
  | { kind: 'sweep' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('hold' as const), citizen: fc.nat(CITIZENS - 1), slot: fc.nat(SLOTS.length - 1) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('confirm' as const), hold: fc.nat(50) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), booking: fc.nat(50) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('sweep' as const) }) },
);

/** A round: a few operations at once, then the clock moves on by `advanceMs`. */
const roundArb = fc.record({ ops: fc.array(opArb, { minLength: 1, maxLength: 6 }), advanceMs: fc.integer({ min: 0, max: 2 * 60_000 }) });

let db: TestPostgres;

beforeAll(async () => {
  db = await startTestPostgres();
  await seedDemoHall(db.pool, { kioskTokens: [{ kioskId: 'kiosk-1', token: 'property-kiosk-token', kioskDigit: 1 }], staffToken: 'property-staff-token' });
  const config = DEMO_SERVICE_CONFIG[SERVICE];
  if (!config) throw new Error('no demo config');
  await withTransaction(db.pool, (client) =>
    writeServiceConfig(client, HALL, SERVICE, { ...config, booking: { slotMinutes: 30, capacity: CAPACITY, minDaysAhead: 1, maxDaysAhead: 2 } }),
  );
});

afterAll(async () => {
  await db?.close();
});

async function expectedRefusal<T>(work: Promise<T>): Promise<T | null> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof PortalError && EXPECTED.has(err.code)) return null;
    throw err;
  }
}

interface SlotCheck {
  slot_start: Date;
  taken: number;
  rows: number;
  live: number;
}

/** The invariants of every slot at `now`. */
async function checkSlots(now: Date): Promise<void> {
  const result = await db.pool.query<SlotCheck>(
    `SELECT b.slot_start, b.taken,
            (SELECT count(*)::int FROM appointments a WHERE a.hall_id = b.hall_id AND a.service_id = b.service_id
               AND a.window_start = b.slot_start AND a.status IN ('held', 'booked', 'checked-in')) AS rows,
            (SELECT count(*)::int FROM appointments a WHERE a.hall_id = b.hall_id AND a.service_id = b.service_id
               AND a.window_start = b.slot_start
               AND (a.status IN ('booked', 'checked-in') OR (a.status = 'held' AND a.hold_expires_at > $3))) AS live
     FROM booking_slots b WHERE b.hall_id = $1 AND b.service_id = $2`,
    [HALL, SERVICE, now],
  );
  for (const slot of result.rows) {
    expect(slot.taken, `counter of ${slot.slot_start.toISOString()}`).toBe(slot.rows);
    expect(slot.taken).toBeLessThanOrEqual(CAPACITY);
    expect(slot.live).toBeLessThanOrEqual(CAPACITY);
  }
  const twice = await db.pool.query(
    `SELECT citizen_hmac FROM appointments WHERE hall_id = $1 AND service_id = $2 AND status IN ('held', 'booked')
     GROUP BY citizen_hmac, business_day HAVING count(*) > 1`,
    [HALL, SERVICE],
  );
  expect(twice.rows).toEqual([]);
}

async function reset(): Promise<void> {
  await db.pool.query(`DELETE FROM appointments WHERE hall_id = $1 AND service_id = $2`, [HALL, SERVICE]);
  await db.pool.query(`DELETE FROM booking_slots WHERE hall_id = $1 AND service_id = $2`, [HALL, SERVICE]);
}

describe('slot booking (property)', () => {
  it('never exceeds capacity and never leaves a held place stuck after its hold expires', async () => {
    let citizenBase = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(roundArb, { minLength: 1, maxLength: 10 }), async (rounds) => {
        await reset();
        // Fresh citizens each run: the one-booking-per-day rule must not carry over.
        citizenBase += CITIZENS + SLOTS.length * CAPACITY;
        const idOf = (c: number): string => validIdNumber(10_000 + citizenBase + c);
        let now = START;
        const holds: string[] = [];
        const bookings: { reference: string; cancelCode: string }[] = [];
        for (const round of rounds) {
          const at = now;
          await Promise.all(
            round.ops.map(async (op) => {
              switch (op.kind) {
                case 'hold': {
                  const slotStart = SLOTS[op.slot] ?? '';
                  const held = await expectedRefusal(holdBooking(db.pool, { hallId: HALL, serviceId: SERVICE, slotStart, idNumber: idOf(op.citizen) }, at, HOLD_MS));
                  if (held) holds.push(held.holdId);
                  return;
                }
                case 'confirm': {
                  const holdId = holds[op.hold % Math.max(1, holds.length)];
                  if (holdId === undefined) return;
                  const booked = await expectedRefusal(confirmBooking(db.pool, holdId, at));
                  if (booked) bookings.push({ reference: booked.reference, cancelCode: booked.cancelCode });
                  return;
                }
                case 'cancel': {
                  const booking = bookings[op.booking % Math.max(1, bookings.length)];
                  if (booking === undefined) return;
                  await expectedRefusal(cancelBooking(db.pool, { hallId: HALL, ...booking }, at));
                  return;
                }
                case 'sweep':
                  await sweepExpiredHolds(db.pool, at);
                  return;
              }
            }),
          );
          await checkSlots(at);
          now = new Date(now.getTime() + round.advanceMs);
        }

        // Every hold has run out: each slot lists as free all it does not hold booked, and that
        // many new citizens get a place in it, one after another, with no sweep in between.
        const after = new Date(now.getTime() + HOLD_MS);
        const listed = await listSlots(db.pool, { hallId: HALL, serviceId: SERVICE }, {}, after);
        for (const [i, slotStart] of SLOTS.entries()) {
          const booked = await db.pool.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM appointments WHERE hall_id = $1 AND service_id = $2 AND window_start = $3 AND status = 'booked'`,
            [HALL, SERVICE, slotStart],
          );
          const free = CAPACITY - (booked.rows[0]?.n ?? 0);
          expect(listed.slots.find((s) => s.start === slotStart)?.available).toBe(free);
          for (let k = 0; k < free; k += 1) {
            const newcomer = validIdNumber(10_000 + citizenBase + CITIZENS + i * CAPACITY + k);
            await holdBooking(db.pool, { hallId: HALL, serviceId: SERVICE, slotStart, idNumber: newcomer }, after, HOLD_MS);
          }
          await expect(
            holdBooking(db.pool, { hallId: HALL, serviceId: SERVICE, slotStart, idNumber: validIdNumber(9_999_000 - citizenBase) }, after, HOLD_MS),
          ).rejects.toMatchObject({ code: PortalErrorCode.SlotFull });
        }
        await checkSlots(after);
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 25), endOnFailure: true },
    );
  }, 240_000);
});
