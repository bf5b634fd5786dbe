import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppointmentStatus } from '../../common/contract/sync-api.js';
import { citizenHmacOf } from '../citizen/citizen-hmac.js';
import {
  ID_NUMBER,
  ID_NUMBER_2,
  KIOSK_TOKEN,
  STAFF_TOKEN,
  appointmentRequest,
  bookAppointment,
  startPortalHarness,
  type PortalHarness,
} from '../test-support/portal-harness.js';
import { validIdNumber } from '../booking/test-id-numbers.js';

let h: PortalHarness;

beforeAll(async () => {
  h = await startPortalHarness();
});

afterAll(async () => {
  await h.close();
});

async function hallKey(): Promise<string> {
  const r = await h.db.pool.query<{ citizen_hmac_key: string }>("SELECT citizen_hmac_key FROM halls WHERE hall_id = 'demo-city-hall'");
  return r.rows[0]?.citizen_hmac_key ?? '';
}

function book(body: unknown, token: string = STAFF_TOKEN) {
  return h.request('POST', '/v1/hall/appointments', { token, body });
}

describe('createAppointment (POST /v1/hall/appointments)', () => {
  it('books with a reference, the hall day of the window start and the citizen HMAC', async () => {
    const appointment = await bookAppointment(h);
    expect(appointment).toMatchObject({
      serviceId: 'social-insurance',
      businessDay: '2025-03-10',
      windowStart: '2025-03-10T06:00:00.000Z',
      windowEnd: '2025-03-10T06:30:00.000Z',
      status: AppointmentStatus.Booked,
      citizenHmac: citizenHmacOf(await hallKey(), ID_NUMBER),
    });
    expect(appointment.reference).toMatch(/^HKA-[23456789ABCDEFGHJKMNPQRSTWXYZ]{8}$/);
    const second = await bookAppointment(h, { idNumber: ID_NUMBER_2 });
    expect(second.reference).not.toBe(appointment.reference);
    expect(second.citizenHmac).not.toBe(appointment.citizenHmac);
  });

  it('never stores the raw ID number, in any form the request carried it', async () => {
    const lower = `${ID_NUMBER.slice(0, 17)}x`;
    // Another service: the citizen booked social-insurance that day already (one at a time).
    await bookAppointment(h, { idNumber: ID_NUMBER, serviceId: 'medical-insurance' });
    const dump = await h.db.pool.query<{ dump: string }>(
      `SELECT coalesce((SELECT json_agg(a)::text FROM appointments a), '') ||
              coalesce((SELECT json_agg(s)::text FROM sync_events s), '') AS dump`,
    );
    const text = dump.rows[0]?.dump ?? '';
    expect(text).toContain('citizen_hmac');
    for (const form of [ID_NUMBER, lower, ID_NUMBER.slice(0, 17), ID_NUMBER.slice(6, 14) + ID_NUMBER.slice(14)]) {
      expect(text).not.toContain(form);
    }
  });

  it('takes the business day from the window start in the hall zone and its day start', async () => {
    // 02:30 on the 11th in Shanghai belongs to the 10th (the demo hall's day starts at 03:00).
    const early = await bookAppointment(h, { idNumber: validIdNumber(1), windowStart: '2025-03-10T18:30:00.000Z', windowEnd: '2025-03-10T19:00:00.000Z' });
    expect(early.businessDay).toBe('2025-03-10');
    const next = await bookAppointment(h, { idNumber: validIdNumber(1), windowStart: '2025-03-11T01:00:00.000Z', windowEnd: '2025-03-11T01:30:00.000Z' });
    expect(next.businessDay).toBe('2025-03-11');
  });

  it('refuses a wrong check character or birth date with 400, without echoing the number', async () => {
    for (const idNumber of ['110105194912310021', '110101199002300012']) {
      const answer = await book(appointmentRequest({ idNumber }));
      expect(answer.status, idNumber).toBe(400);
      expect(answer.body).toMatchObject({ code: 'bad-request', message: expect.stringContaining('idNumber') });
      expect(JSON.stringify(answer.body)).not.toContain(idNumber);
    }
    const count = await h.db.pool.query("SELECT count(*)::int AS n FROM appointments WHERE hall_id = 'demo-city-hall'");
    const before = (count.rows[0] as { n: number }).n;
    expect((await book(appointmentRequest({ idNumber: '11010519491231002' }))).status).toBe(400);
    const after = await h.db.pool.query("SELECT count(*)::int AS n FROM appointments WHERE hall_id = 'demo-city-hall'");
    expect((after.rows[0] as { n: number }).n).toBe(before);
  });

  it('refuses a window that is empty, longer than a day or already over', async () => {
    const cases = [
      { windowStart: '2025-03-10T06:00:00.000Z', windowEnd: '2025-03-10T06:00:00.000Z' },
      { windowStart: '2025-03-10T06:00:00.000Z', windowEnd: '2025-03-10T05:00:00.000Z' },
      { windowStart: '2025-03-10T06:00:00.000Z', windowEnd: '2025-03-11T06:00:01.000Z' },
      { windowStart: '2025-03-09T06:00:00.000Z', windowEnd: '2025-03-09T06:30:00.000Z' },
    ];
    for (const window of cases) {
      const answer = await book(appointmentRequest(window));
      expect(answer.status, JSON.stringify(window)).toBe(400);
    }
  });

  it('answers 404 for an unknown service and 401 for a kiosk token', async () => {
    expect((await book(appointmentRequest({ serviceId: 'no-such-service' }))).body).toMatchObject({ code: 'unknown-service' });
    expect((await book(appointmentRequest(), KIOSK_TOKEN)).status).toBe(401);
  });

  it('refuses a second active booking of the same citizen, service and day with 409 already-booked', async () => {
    const idNumber = validIdNumber(2);
    const first = await bookAppointment(h, { idNumber });
    const again = await book(appointmentRequest({ idNumber, windowStart: '2025-03-10T07:00:00.000Z', windowEnd: '2025-03-10T07:30:00.000Z' }));
    expect([again.status, again.body]).toMatchObject([409, { code: 'already-booked' }]);
    await h.db.pool.query("UPDATE appointments SET status = 'cancelled' WHERE appointment_id = $1", [first.appointmentId]);
    expect((await book(appointmentRequest({ idNumber }))).status).toBe(200);
  });

  it('numbers every insert and update with the next change_seq of the hall', async () => {
    const booked = await bookAppointment(h, { idNumber: validIdNumber(3) });
    const seq = async (): Promise<number> => {
      const r = await h.db.pool.query<{ change_seq: string }>('SELECT change_seq FROM appointments WHERE appointment_id = $1', [
        booked.appointmentId,
      ]);
      return Number(r.rows[0]?.change_seq);
    };
    const first = await seq();
    const hall = await h.db.pool.query<{ appointment_seq: string }>("SELECT appointment_seq FROM halls WHERE hall_id = 'demo-city-hall'");
    expect(Number(hall.rows[0]?.appointment_seq)).toBe(first);
    await h.db.pool.query("UPDATE appointments SET status = 'cancelled' WHERE appointment_id = $1", [booked.appointmentId]);
    expect(await seq()).toBe(first + 1);
  });
});
