import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AllocateNumberResponse, LeaseBandResponse, type NumberBand } from '../../common/contract/sync-api.js';
import { MAX_BANDS_PER_KIOSK_SERVICE_DAY } from '../../common/domain/ticket-number.js';
import {
  KIOSK_TOKEN,
  KIOSK_TOKEN_2,
  STAFF_TOKEN,
  TEST_DAY,
  TEST_NOW,
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

async function lease(body: { leaseId?: string; serviceId: string; businessDay?: string; size: number }, token = KIOSK_TOKEN) {
  return h.request('POST', '/v1/kiosk/bands', {
    token,
    body: { leaseId: randomUUID(), businessDay: TEST_DAY, ...body },
  });
}

async function leaseOk(body: Parameters<typeof lease>[0], token = KIOSK_TOKEN): Promise<NumberBand> {
  const answer = await lease(body, token);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  const parsed = LeaseBandResponse.parse(answer.body);
  expect(parsed.serverTime).toBe(TEST_NOW.toISOString());
  return parsed.band;
}

async function allocate(serviceId: string): Promise<string> {
  const answer = await h.request('POST', '/v1/kiosk/numbers', { token: KIOSK_TOKEN, body: { ticketId: randomUUID(), serviceId } });
  expect(answer.status).toBe(200);
  return AllocateNumberResponse.parse(answer.body).number;
}

describe('leaseBand (POST /v1/kiosk/bands)', () => {
  it('leases from 8001 on its own counter: the first visitor online still gets A001, and online numbers have no gaps', async () => {
    const band = await leaseOk({ serviceId: 'social-insurance', size: 50 });
    expect(band).toMatchObject({ serviceId: 'social-insurance', businessDay: TEST_DAY, firstSequence: 8001, lastSequence: 8050 });
    expect(await allocate('social-insurance')).toBe('A001');
    const next = await leaseOk({ serviceId: 'social-insurance', size: 10 }, KIOSK_TOKEN_2);
    expect([next.firstSequence, next.lastSequence]).toEqual([8051, 8060]);
    expect(await allocate('social-insurance')).toBe('A002');
    const counter = await h.db.pool.query(
      "SELECT last_sequence, last_band_sequence FROM number_counters WHERE service_id = 'social-insurance' AND business_day = $1",
      [TEST_DAY],
    );
    expect(counter.rows).toEqual([{ last_sequence: 2, last_band_sequence: 8060 }]);
  });

  it('is idempotent by (kiosk, leaseId): a retry returns the same band and leases nothing more', async () => {
    const leaseId = randomUUID();
    const first = await leaseOk({ leaseId, serviceId: 'medical-insurance', size: 20 });
    const again = await leaseOk({ leaseId, serviceId: 'medical-insurance', size: 20 });
    expect(again).toEqual(first);
    expect([first.firstSequence, first.lastSequence]).toEqual([8001, 8020]);
    expect(await allocate('medical-insurance')).toBe('B001');
    // Another kiosk may use the same lease id for its own band.
    const other = await leaseOk({ leaseId, serviceId: 'medical-insurance', size: 5 }, KIOSK_TOKEN_2);
    expect(other.bandId).not.toBe(first.bandId);
    expect(other.firstSequence).toBe(8021);
  });

  it('gives concurrent retries of one lease one band', async () => {
    const leaseId = randomUUID();
    const bands = await Promise.all([1, 2, 3, 4].map(() => leaseOk({ leaseId, serviceId: 'housing-fund', size: 30 })));
    expect(new Set(bands.map((b) => b.bandId)).size).toBe(1);
    expect(await allocate('housing-fund')).toBe('C001');
    const rows = await h.db.pool.query('SELECT count(*)::int AS n FROM number_bands WHERE lease_id = $1', [leaseId]);
    expect(rows.rows).toEqual([{ n: 1 }]);
  });

  it('refuses a lease id reused for another service or day with 409', async () => {
    const leaseId = randomUUID();
    await leaseOk({ leaseId, serviceId: 'tax', size: 5 });
    const otherService = await lease({ leaseId, serviceId: 'traffic', size: 5 });
    expect(otherService).toEqual({ status: 409, body: { code: 'conflict', message: expect.stringContaining('already used') } });
    const otherDay = await lease({ leaseId, serviceId: 'tax', businessDay: TOMORROW, size: 5 });
    expect(otherDay.status).toBe(409);
    expect(await allocate('traffic')).toBe('J001');
  });

  it('leases what is left below 9999, then answers 409 conflict when nothing is; online numbering goes on', async () => {
    await h.db.pool.query(
      `INSERT INTO number_counters (hall_id, service_id, business_day, last_sequence, last_band_sequence)
       VALUES ('demo-city-hall', 'real-estate', $1, 0, 9980)`,
      [TEST_DAY],
    );
    const short = await leaseOk({ serviceId: 'real-estate', size: 50 });
    expect([short.firstSequence, short.lastSequence]).toEqual([9981, 9999]);
    const none = await lease({ serviceId: 'real-estate', size: 5 });
    expect(none).toEqual({ status: 409, body: { code: 'conflict', message: expect.stringContaining('exhausted') } });
    expect(await allocate('real-estate')).toBe('D001');
  });

  it(`caps the bands of a kiosk at ${MAX_BANDS_PER_KIOSK_SERVICE_DAY} per service and day with 409 band-cap`, async () => {
    const leaseIds: string[] = [];
    for (let i = 0; i < MAX_BANDS_PER_KIOSK_SERVICE_DAY; i++) {
      const leaseId = randomUUID();
      leaseIds.push(leaseId);
      await leaseOk({ leaseId, serviceId: 'business-registration', size: 5 });
    }
    const capped = await lease({ serviceId: 'business-registration', size: 5 });
    expect(capped).toEqual({ status: 409, body: { code: 'band-cap', message: expect.stringContaining(`at most ${MAX_BANDS_PER_KIOSK_SERVICE_DAY}`) } });
    // A retry of a lease already granted still gets its band; the counter did not move for the refusal.
    expect((await leaseOk({ leaseId: leaseIds[0], serviceId: 'business-registration', size: 5 })).firstSequence).toBe(8001);
    // The cap is per kiosk and per day.
    expect((await leaseOk({ serviceId: 'business-registration', size: 5 }, KIOSK_TOKEN_2)).firstSequence).toBe(8031);
    expect((await leaseOk({ serviceId: 'business-registration', businessDay: TOMORROW, size: 5 })).firstSequence).toBe(8001);
  });

  it('keeps online allocation off a band leased before bands had their own range', async () => {
    // A band of the old scheme (off the online counter, inside 1..999), still valid today.
    await h.db.pool.query(
      `INSERT INTO number_bands (hall_id, band_id, kiosk_id, service_id, business_day, first_sequence, last_sequence, lease_id)
       VALUES ('demo-city-hall', $1, 'kiosk-2', 'general', $2, 1, 50, $3)`,
      [randomUUID(), TEST_DAY, randomUUID()],
    );
    expect(await allocate('general')).toBe('K051');
  });

  it("leases tomorrow's numbers from tomorrow's counter", async () => {
    const band = await leaseOk({ serviceId: 'exit-entry', businessDay: TOMORROW, size: 40 });
    expect(band).toMatchObject({ businessDay: TOMORROW, firstSequence: 8001, lastSequence: 8040 });
    // Today's counters are untouched.
    expect(await allocate('exit-entry')).toBe('F001');
    expect((await leaseOk({ serviceId: 'exit-entry', size: 5 })).firstSequence).toBe(8001);
    const before = h.now;
    try {
      h.now = new Date('2025-03-11T02:00:00.000Z');
      expect(await allocate('exit-entry')).toBe('F001');
    } finally {
      h.now = before;
    }
  });

  it('refuses any day but today and tomorrow in the hall zone with 400', async () => {
    for (const businessDay of ['2025-03-09', '2025-03-12', '2025-02-30']) {
      const answer = await lease({ serviceId: 'general', businessDay, size: 10 });
      expect(answer.status, businessDay).toBe(400);
      expect(answer.body).toMatchObject({ code: 'bad-request' });
    }
    // 02:30 on the 11th in Shanghai is still the 10th (day starts at 03:00): the 12th is too far.
    const before = h.now;
    try {
      h.now = new Date('2025-03-10T18:30:00.000Z');
      expect((await lease({ serviceId: 'general', businessDay: '2025-03-12', size: 10 })).status).toBe(400);
      expect((await lease({ serviceId: 'general', businessDay: TOMORROW, size: 10 })).status).toBe(200);
    } finally {
      h.now = before;
    }
  });

  it('never leases a number a ticket already holds', async () => {
    // Only a counter reset by hand could leave one there: the push refuses band numbers nobody leased.
    await h.db.pool.query(
      `INSERT INTO tickets (hall_id, ticket_id, service_id, business_day, number, number_source, priority, priority_rank,
                            kiosk_id, issued_at_kiosk)
       VALUES ('demo-city-hall', $1, 'household-registration', $2, 'H8007', 'band', 'normal', 2, 'kiosk-2', now())`,
      [randomUUID(), TEST_DAY],
    );
    const band = await leaseOk({ serviceId: 'household-registration', size: 5 });
    expect(band.firstSequence).toBe(8008);
  });

  it('answers 404 for an unknown or disabled service, 400 for a bad size, 401 for staff', async () => {
    expect((await lease({ serviceId: 'no-such-service', size: 10 })).body).toMatchObject({ code: 'unknown-service' });
    await h.db.pool.query("UPDATE services SET enabled = false WHERE service_id = 'business-registration'");
    try {
      expect((await lease({ serviceId: 'business-registration', size: 10 })).status).toBe(404);
    } finally {
      await h.db.pool.query("UPDATE services SET enabled = true WHERE service_id = 'business-registration'");
    }
    expect((await lease({ serviceId: 'general', size: 201 })).status).toBe(400);
    expect((await lease({ serviceId: 'general', size: 10 }, STAFF_TOKEN)).status).toBe(401);
  });
});
