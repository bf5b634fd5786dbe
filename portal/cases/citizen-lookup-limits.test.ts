import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallNextResponse } from '../../common/contract/counter-api.js';
import { citizenHmacOf } from '../citizen/citizen-hmac.js';
import { idNumberCheckCharacter } from '../citizen/id-number.js';
import {
  DEMO_HALL_ID,
  ID_NUMBER,
  ID_NUMBER_2,
  KIOSK_TOKEN,
  STAFF_TOKEN,
  startPortalHarness,
  ticketIssuedEvent,
  type HttpAnswer,
  type PortalHarness,
} from '../test-support/portal-harness.js';

/**
 * The citizen lookup is a guess at an ID number each time it misses: it is limited per address
 * (each window) and per case number (misses per hour, from any address), and the second limit
 * says nothing about whether the case number exists.
 */

let h: PortalHarness;
const PER_ADDRESS = 10;
const MISSES = 3;
/** Well-formed numbers of other people: wrong guesses for the cases below. */
const OTHERS = ['11010519491231003', '44030419900101124', '11010119900307447'].map((first17) => first17 + idNumberCheckCharacter(first17));

beforeAll(async () => {
  h = await startPortalHarness({ limits: { caseLookupsPerWindow: PER_ADDRESS, caseLookupMissesPerHour: MISSES } });
  const key = (await h.db.pool.query<{ citizen_hmac_key: string }>('SELECT citizen_hmac_key FROM halls WHERE hall_id = $1', [DEMO_HALL_ID])).rows[0];
  const citizens = [citizenHmacOf(key?.citizen_hmac_key ?? '', ID_NUMBER), citizenHmacOf(key?.citizen_hmac_key ?? '', ID_NUMBER_2)];
  for (const [i, caseNumber] of ['LIMIT-X', 'LIMIT-Y'].entries()) {
    const event = ticketIssuedEvent(1, { number: `A1-${200 + i}`, citizenHmac: citizens[i] ?? null });
    await h.request('POST', '/v1/kiosk/events', { token: KIOSK_TOKEN, body: { dbEpoch: randomUUID(), events: [event] } });
    await h.request('POST', '/v1/counter/counters/window-1/sign-in', { token: STAFF_TOKEN, body: {} });
    const called = CallNextResponse.parse((await h.request('POST', '/v1/counter/call-next', { token: STAFF_TOKEN, body: { counterId: 'window-1' } })).body);
    const done = await h.request('POST', `/v1/counter/tickets/${called.ticket?.ticketId ?? ''}/complete`, { token: STAFF_TOKEN, body: { caseNumber } });
    expect(done.status).toBe(200);
  }
});

afterAll(async () => {
  await h.close();
});

function lookup(caseNumber: string, idNumber: string): Promise<HttpAnswer> {
  return h.request('POST', '/v1/citizen/cases/lookup', { body: { hallId: DEMO_HALL_ID, caseNumber, idNumber } });
}

describe('limits on the citizen case lookup', () => {
  it('refuses a case number for the hour after its misses, existing or not; other numbers still answer; then the address runs out', async () => {
    // Guesses at LIMIT-X's ID number: misses, until the number is closed to everyone, its owner too.
    for (const other of OTHERS.slice(0, MISSES)) expect((await lookup('LIMIT-X', other)).status).toBe(404);
    const closed = await lookup('LIMIT-X', ID_NUMBER);
    expect(closed).toEqual({ status: 429, body: { code: 'rate-limited', message: expect.stringContaining('this case number') as unknown } });
    // Another case number is not affected.
    expect((await lookup('LIMIT-Y', ID_NUMBER_2)).status).toBe(200);
    // A number no case has behaves exactly the same: the limit tells nothing about existence.
    for (const other of OTHERS.slice(0, MISSES)) expect((await lookup('LIMIT-NONE', other)).status).toBe(404);
    expect(await lookup('LIMIT-NONE', ID_NUMBER)).toEqual(closed);
    // 9 lookups so far from this address; the 10th passes, the 11th is over the address's budget.
    expect((await lookup('LIMIT-Y', ID_NUMBER_2)).status).toBe(200);
    const over = await lookup('LIMIT-Y', ID_NUMBER_2);
    expect(over.status).toBe(429);
    expect(over.body).toMatchObject({ code: 'rate-limited' });
    expect((over.body as { message: string }).message).not.toContain('case number');
  });
});
