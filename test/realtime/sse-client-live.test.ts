import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StreamStatus, openHallEventStream, type HallEventStream } from '../../common/browser/sse-client.js';
import { DisplayStateResponse, EVENT_STREAM_PATHS } from '../../common/contract/display-api.js';
import { HallEventKind, type HallEventEnvelope } from '../../common/contract/hall-events.js';
import { buildPortalApp } from '../../portal/http/build-portal-app.js';
import { createHallEventHub, type HallEventHub } from '../../portal/realtime/hall-event-hub.js';
import { calledEvent, emitOne, insertDisplayToken } from '../../portal/realtime/test-hall-events.js';
import { DEMO_HALL_ID, seedDemoHall } from '../../portal/seed/demo-hall.js';
import { startTestPostgres, type TestPostgres } from '../../portal/test-support/test-postgres.js';

/**
 * The browser's hall event client (common/browser/sse-client.ts) against the real portal: real
 * PostgreSQL, NOTIFY, the portal's SSE endpoint. It lives here because only this layer may import
 * both the browser code and the portal.
 */

const DISPLAY_TOKEN = 'live-client-display-token';

let db: TestPostgres;
let hub: HallEventHub;
let app: FastifyInstance;
let baseUrl: string;
const streams: HallEventStream[] = [];

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

beforeAll(async () => {
  db = await startTestPostgres();
  await seedDemoHall(db.pool, { kioskTokens: [{ kioskId: 'kiosk-1', token: 'live-client-kiosk-token', kioskDigit: 1 }], staffToken: 'live-client-staff-token' });
  await insertDisplayToken(db.pool, DEMO_HALL_ID, DISPLAY_TOKEN, 'wall-1');
  hub = createHallEventHub({ pool: db.pool, resyncIntervalMs: 0, purgeIntervalMs: 0 });
  app = await buildPortalApp({ pool: db.pool, hallEvents: hub, logLevel: 'error' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const stream of streams) stream.close();
  await app?.close();
  await hub?.close();
  await db?.close();
});

describe('the browser SSE client against the portal', () => {
  it('follows the display stream from its snapshot and catches up, once and in order, after the connection is cut', async () => {
    for (let n = 1; n <= 3; n++) await emitOne(db.pool, DEMO_HALL_ID, calledEvent(n));
    const res = await fetch(`${baseUrl}/v1/display/state`, { headers: { authorization: `Bearer ${DISPLAY_TOKEN}` } });
    const state = DisplayStateResponse.parse(await res.json());
    expect(state.lastEventSeq).toBe(3);

    const got: HallEventEnvelope[] = [];
    const readies: number[] = [];
    const stream = openHallEventStream({
      url: `${baseUrl}${EVENT_STREAM_PATHS.display}`,
      headers: () => ({ authorization: `Bearer ${DISPLAY_TOKEN}` }),
      lastEventId: state.lastEventSeq,
      minRetryMs: 20,
      maxRetryMs: 100,
      onEvent: (event) => got.push(event),
      onReady: (seq) => readies.push(seq),
    });
    streams.push(stream);
    await until(() => stream.status === StreamStatus.Live);
    for (let n = 4; n <= 6; n++) await emitOne(db.pool, DEMO_HALL_ID, calledEvent(n));
    await until(() => got.length === 3);

    // The portal cuts every connection (a restart, a network blip); calls go on meanwhile.
    app.server.closeAllConnections();
    for (let n = 7; n <= 10; n++) await emitOne(db.pool, DEMO_HALL_ID, calledEvent(n));
    await until(() => got.length === 7 && readies.length >= 2);
    expect(got.map((e) => e.seq)).toEqual([4, 5, 6, 7, 8, 9, 10]);
    expect(got.map((e) => (e.kind === HallEventKind.TicketCalled ? e.payload.number : null))).toEqual(['A004', 'A005', 'A006', 'A007', 'A008', 'A009', 'A010']);
    expect(readies[0]).toBe(3);
    stream.close();
  });
});
