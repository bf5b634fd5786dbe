import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PullResponse } from '../../common/contract/sync-api.js';
import { seedDemoHall } from '../seed/demo-hall.js';
import { decodePullCursor, encodePullCursor } from './pull-cursor.js';
import {
  ID_NUMBER_2,
  KIOSK_ID,
  KIOSK_TOKEN,
  KIOSK_TOKEN_2,
  STAFF_TOKEN,
  TEST_DAY,
  bookAppointment,
  startPortalHarness,
  type PortalHarness,
} from '../test-support/portal-harness.js';

let h: PortalHarness;

beforeAll(async () => {
  h = await startPortalHarness();
});

afterAll(async () => {
  await h.close();
});

const TOMORROW = '2025-03-11';

async function pull(cursor?: string, token = KIOSK_TOKEN): Promise<PullResponse> {
  const path = cursor === undefined ? '/v1/kiosk/pull' : `/v1/kiosk/pull?cursor=${encodeURIComponent(cursor)}`;
  const answer = await h.request('GET', path, { token });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return PullResponse.parse(answer.body);
}

async function leaseBand(serviceId: string, businessDay: string, token = KIOSK_TOKEN): Promise<void> {
  const answer = await h.request('POST', '/v1/kiosk/bands', {
    token,
    body: { leaseId: randomUUID(), serviceId, businessDay, size: 20 },
  });
  expect(answer.status).toBe(200);
}

async function atTime<T>(iso: string, work: () => Promise<T>): Promise<T> {
  const before = h.now;
  h.now = new Date(iso);
  try {
    return await work();
  } finally {
    h.now = before;
  }
}

describe('pull (GET /v1/kiosk/pull)', () => {
  it('hands a first pull everything, a second one only what changed since its cursor', async () => {
    await leaseBand('social-insurance', TEST_DAY);
    await leaseBand('social-insurance', TOMORROW);
    await leaseBand('tax', TEST_DAY, KIOSK_TOKEN_2);
    const today = await bookAppointment(h);
    const tomorrow = await bookAppointment(h, { windowStart: '2025-03-11T01:00:00.000Z', windowEnd: '2025-03-11T01:30:00.000Z' });

    const first = await pull();
    expect(first.catalog?.hall.hallId).toBe('demo-city-hall');
    expect(first.catalog?.services.map((s) => s.prefix).join('')).toBe('ABCDEFGHJK');
    expect(first.kiosk).toEqual({ kioskId: KIOSK_ID, kioskDigit: 1 });
    const key = await h.db.pool.query<{ citizen_hmac_key: string }>('SELECT citizen_hmac_key FROM halls');
    expect(first.citizenKey).toBe(key.rows[0]?.citizen_hmac_key);
    // Only this kiosk's bands, today's and tomorrow's.
    expect(first.bands.map((b) => [b.serviceId, b.businessDay, b.firstSequence, b.lastSequence])).toEqual([
      ['social-insurance', TEST_DAY, 8001, 8020],
      ['social-insurance', TOMORROW, 8001, 8020],
    ]);
    expect(first.appointments.map((a) => a.appointmentId)).toEqual([today.appointmentId, tomorrow.appointmentId]);
    expect(first.appointments[0]).toEqual(today);

    const second = await pull(first.cursor);
    expect(second.catalog).toBeNull();
    expect(second.appointments).toEqual([]);
    expect(second.bands).toEqual(first.bands);
    expect(second.cursor).toBe(first.cursor);

    const added = await bookAppointment(h, { idNumber: ID_NUMBER_2 });
    await h.db.pool.query("UPDATE appointments SET status = 'cancelled' WHERE appointment_id = $1", [today.appointmentId]);
    const third = await pull(second.cursor);
    expect(third.catalog).toBeNull();
    expect(third.appointments.map((a) => [a.appointmentId, a.status])).toEqual([
      [added.appointmentId, 'booked'],
      [today.appointmentId, 'cancelled'],
    ]);
    expect((await pull(third.cursor)).appointments).toEqual([]);
  });

  it('sends the catalog again when a service or the hall changes, and only then', async () => {
    const base = await pull();
    expect((await pull(base.cursor)).catalog).toBeNull();
    await h.db.pool.query("UPDATE services SET name_en = 'Taxes' WHERE service_id = 'tax'");
    const changed = await pull(base.cursor);
    expect(changed.catalog?.services.find((s) => s.id === 'tax')?.name.en).toBe('Taxes');
    expect((await pull(changed.cursor)).catalog).toBeNull();
    await h.db.pool.query("UPDATE halls SET name_en = 'Citizen Centre' WHERE hall_id = 'demo-city-hall'");
    expect((await pull(changed.cursor)).catalog?.hall.name.en).toBe('Citizen Centre');
    // Re-seeding with the same catalog is no change (counters and keys are not the catalog).
    await h.db.pool.query("UPDATE halls SET name_en = 'Citizen Service Centre' WHERE hall_id = 'demo-city-hall'");
    await h.db.pool.query("UPDATE services SET name_en = 'Taxation' WHERE service_id = 'tax'");
    const restored = await pull();
    await seedDemoHall(h.db.pool, { kioskTokens: [], staffToken: STAFF_TOKEN });
    expect((await pull(restored.cursor)).catalog).toBeNull();
  });

  it('leaves out appointments beyond tomorrow, and sends them once their day enters the window', async () => {
    const base = await pull();
    const later = await bookAppointment(h, { windowStart: '2025-03-12T02:00:00.000Z', windowEnd: '2025-03-12T02:30:00.000Z' });
    const now = await pull(base.cursor);
    expect(now.appointments.map((a) => a.appointmentId)).not.toContain(later.appointmentId);
    // A day later its change is older than the cursor, but its day is new to the kiosk.
    const nextDay = await atTime('2025-03-11T02:00:00.000Z', () => pull(now.cursor));
    expect(nextDay.appointments.map((a) => a.appointmentId)).toContain(later.appointmentId);
    expect(nextDay.appointments.every((a) => a.businessDay === '2025-03-12')).toBe(true);
    const settled = await atTime('2025-03-11T02:00:00.000Z', () => pull(nextDay.cursor));
    expect(settled.appointments).toEqual([]);
    // Yesterday's bands are gone from the set; today's (the 11th) remain.
    expect(nextDay.bands.every((b) => b.businessDay === TOMORROW)).toBe(true);
  });

  it('treats a cursor of another hall as no cursor', async () => {
    await seedDemoHall(h.db.pool, {
      hallId: 'other-hall',
      kioskTokens: [{ kioskId: 'other-kiosk', token: 'other-hall-kiosk-token', kioskDigit: 1 }],
      staffToken: 'other-hall-staff-token',
    });
    const other = await pull(undefined, 'other-hall-kiosk-token');
    expect(other.catalog?.hall.hallId).toBe('other-hall');
    expect(other.appointments).toEqual([]);
    const mine = await pull();
    expect(other.citizenKey).not.toBe(mine.citizenKey);
    const crossed = await pull(other.cursor);
    expect(crossed.catalog?.hall.hallId).toBe('demo-city-hall');
    expect(crossed.appointments.length).toBe(mine.appointments.length);
  });

  it('sends everything again for a cursor ahead of this database (a restored portal)', async () => {
    const mine = await pull();
    expect(mine.appointments.length).toBeGreaterThan(0);
    const decoded = decodePullCursor(mine.cursor);
    const ahead = encodePullCursor({ ...decoded, appointmentSeq: decoded.appointmentSeq + 1000, catalogVersion: decoded.catalogVersion + 5 });
    const answer = await pull(ahead);
    expect(answer.catalog).not.toBeNull();
    expect(answer.appointments).toEqual(mine.appointments);
    expect(answer.cursor).toBe(mine.cursor);
  });

  it('answers 400 for a malformed cursor and 401 without a kiosk token', async () => {
    for (const cursor of ['garbage!', Buffer.from('[1,"x"]').toString('base64url'), 'x'.repeat(201)]) {
      const answer = await h.request('GET', `/v1/kiosk/pull?cursor=${encodeURIComponent(cursor)}`, { token: KIOSK_TOKEN });
      expect(answer.status, cursor).toBe(400);
      expect(answer.body).toMatchObject({ code: 'bad-request' });
    }
    expect((await h.request('GET', '/v1/kiosk/pull', { token: STAFF_TOKEN })).status).toBe(401);
    expect((await h.request('GET', '/v1/kiosk/pull?cursor=', { token: KIOSK_TOKEN })).status).toBe(200);
  });
});
