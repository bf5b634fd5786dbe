import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ID_NUMBER,
  KIOSK_TOKEN,
  STAFF_TOKEN,
  appointmentRequest,
  startPortalHarness,
  type PortalHarness,
} from '../test-support/portal-harness.js';
import { createPortalLogger } from './portal-logger.js';

/** A pino destination that keeps every line. */
function memoryLog(): { stream: Writable; text: () => string; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  });
  const text = (): string => chunks.join('');
  return {
    stream,
    text,
    lines: () =>
      text()
        .split('\n')
        .filter((l) => l.length > 0)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

const debugLog = memoryLog();
const infoLog = memoryLog();
let debug: PortalHarness;
let info: PortalHarness;

beforeAll(async () => {
  debug = await startPortalHarness({ logger: createPortalLogger({ level: 'debug', destination: debugLog.stream }) });
  info = await startPortalHarness({ logger: createPortalLogger({ level: 'info', destination: infoLog.stream }) });
});

afterAll(async () => {
  await Promise.all([debug.close(), info.close()]);
});

async function traffic(h: PortalHarness): Promise<void> {
  expect((await h.request('GET', '/v1/kiosk/catalog', { token: KIOSK_TOKEN })).status).toBe(200);
  expect((await h.request('GET', '/v1/kiosk/catalog', { token: 'not-a-known-token-1234' })).status).toBe(401);
  expect((await h.request('POST', '/v1/hall/appointments', { token: STAFF_TOKEN, body: appointmentRequest() })).status).toBe(200);
  // A wrong check character: refused, and the number must not come back in the message or a log.
  const wrong = `${ID_NUMBER.slice(0, 17)}1`;
  const refused = await h.request('POST', '/v1/hall/appointments', { token: STAFF_TOKEN, body: appointmentRequest({ idNumber: wrong }) });
  expect(refused.status).toBe(400);
  expect(JSON.stringify(refused.body)).not.toContain(wrong);
}

describe('portal logging', () => {
  it('logs every request at debug, and never a bearer token, a cookie or an ID number', async () => {
    await traffic(debug);
    // Whatever code logs by mistake is censored too: headers, bodies, citizen fields.
    debug.app.log.info(
      {
        headers: { authorization: `Bearer ${KIOSK_TOKEN}`, cookie: `session=${STAFF_TOKEN}` },
        body: { idNumber: ID_NUMBER },
        booking: { idNumber: ID_NUMBER, citizenHmac: 'ab'.repeat(32) },
      },
      'a careless line',
    );
    const lines = debugLog.lines();
    expect(lines.filter((l) => l.msg === 'request completed')).toHaveLength(4);
    const text = debugLog.text();
    for (const secret of [KIOSK_TOKEN, STAFF_TOKEN, 'not-a-known-token-1234', ID_NUMBER, ID_NUMBER.slice(0, 17), 'ab'.repeat(32)]) {
      expect(text).not.toContain(secret);
    }
    expect(lines.find((l) => l.msg === 'a careless line')).toMatchObject({
      headers: { authorization: '[redacted]', cookie: '[redacted]' },
      body: '[redacted]',
      booking: { idNumber: '[redacted]', citizenHmac: '[redacted]' },
    });
  });

  it('writes no line per request at the default level', async () => {
    await traffic(info);
    // Only the start-up line ("Server listening at ..."): nothing carries a request id.
    expect(infoLog.lines().filter((l) => 'reqId' in l)).toEqual([]);
    expect(infoLog.lines().length).toBeLessThanOrEqual(1);
  });
});
