import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncEventType } from '../../common/contract/sync-api.js';
import { Priority } from '../../common/domain/priority.js';
import { NumberSource } from '../../common/domain/ticket-number.js';
import { FakePortal, PushFault, testCatalog } from '../testing/fake-portal.js';
import { PortalClient, PortalClientError, PortalFailure } from './portal-client.js';

const portal = new FakePortal();
let baseUrl = '';
beforeAll(async () => {
  baseUrl = await portal.listen();
});
afterAll(async () => {
  await portal.close();
});

async function failureOf(p: Promise<unknown>): Promise<PortalClientError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(PortalClientError);
    return err as PortalClientError;
  }
  throw new Error('expected the call to fail');
}

const event = {
  seq: 1,
  eventId: '0195796c-1b2c-7a00-8000-000000000001',
  occurredAt: '2025-03-10T01:02:03.004Z',
  type: SyncEventType.TicketIssued as const,
  payload: {
    ticketId: '0195796c-1b2c-7a00-8000-0000000000aa',
    serviceId: 'social-insurance',
    number: 'A2-001',
    numberSource: NumberSource.KioskSeries,
    businessDay: '2025-03-10',
    priority: Priority.Normal,
    issuedAt: '2025-03-10T01:02:03.004Z',
    citizenHmac: null,
  },
};

describe('PortalClient', () => {
  it('gets the catalog, parsed by the contract (base URL with a trailing slash)', async () => {
    const client = new PortalClient({ baseUrl: `${baseUrl}/`, token: portal.token });
    const catalog = await client.catalog(2_000);
    expect(catalog.hall).toEqual(testCatalog.hall);
    expect(catalog.services).toEqual(testCatalog.services);
    expect(typeof catalog.serverTime).toBe('string');
  });

  it('pushes a batch and returns the cursor', async () => {
    const client = new PortalClient({ baseUrl, token: portal.token });
    const answer = await client.push({ dbEpoch: '0195796c-1b2c-7a00-8000-0000000000ee', events: [event] }, 2_000);
    expect(answer.lastSeq).toBe(1);
    expect(answer.rejected).toEqual([]);
  });

  it('reports a refused token as Unauthorized with the portal code', async () => {
    const client = new PortalClient({ baseUrl, token: 'wrong' });
    const err = await failureOf(client.catalog(2_000));
    expect(err.failure).toBe(PortalFailure.Unauthorized);
    expect(err.status).toBe(401);
    expect(err.code).toBe('unauthorized');
  });

  it('reports a 4xx as Rejected and a 503 as Unreachable', async () => {
    const client = new PortalClient({ baseUrl, token: portal.token });
    const notFound = await failureOf(client.allocateNumber({ ticketId: event.payload.ticketId, serviceId: 'retired-service' }, 2_000));
    expect(notFound.failure).toBe(PortalFailure.Rejected);
    expect(notFound.status).toBe(404);
    expect(notFound.code).toBe('unknown-service');

    portal.faults.push(PushFault.Unavailable);
    const unavailable = await failureOf(client.push({ dbEpoch: '0195796c-1b2c-7a00-8000-0000000000ef', events: [event] }, 2_000));
    expect(unavailable.failure).toBe(PortalFailure.Unreachable);
    expect(unavailable.status).toBe(503);
  });

  it('reports a portal that does not answer in time as Timeout', async () => {
    const client = new PortalClient({ baseUrl, token: portal.token });
    portal.faults.push(PushFault.Hang);
    const err = await failureOf(client.push({ dbEpoch: '0195796c-1b2c-7a00-8000-0000000000f0', events: [event] }, 150));
    expect(err.failure).toBe(PortalFailure.Timeout);
    expect(err.status).toBeNull();
  });

  it('reports a closed port as Unreachable', async () => {
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const client = new PortalClient({ baseUrl: `http://127.0.0.1:${port}`, token: portal.token });
    const err = await failureOf(client.catalog(2_000));
    expect(err.failure).toBe(PortalFailure.Unreachable);
    expect(err.message).toContain('ECONNREFUSED');
  });

  it('reports a 2xx body that breaks the contract as BadResponse, and parses a good allocation', async () => {
    const bad = new PortalClient({ baseUrl, token: 't', fetchImpl: async () => new Response('{"lastSeq":"x"}', { status: 200 }) });
    expect((await failureOf(bad.catalog(1_000))).failure).toBe(PortalFailure.BadResponse);
    const notJson = new PortalClient({ baseUrl, token: 't', fetchImpl: async () => new Response('<html>', { status: 200 }) });
    expect((await failureOf(notJson.catalog(1_000))).failure).toBe(PortalFailure.BadResponse);

    const seen: { url: string; auth: string | null; body: unknown }[] = [];
    const good = new PortalClient({
      baseUrl: 'http://portal.invalid/base',
      token: 'tok',
      fetchImpl: async (input, init) => {
        seen.push({ url: String(input), auth: new Headers(init?.headers).get('authorization'), body: JSON.parse(String(init?.body)) as unknown });
        return new Response(
          JSON.stringify({ ticketId: event.payload.ticketId, number: 'A023', businessDay: '2025-03-10', waitingAhead: 4, serverTime: '2025-03-10T01:02:03.000Z' }),
          { status: 200 },
        );
      },
    });
    const answer = await good.allocateNumber({ ticketId: event.payload.ticketId, serviceId: 'social-insurance' }, 1_000);
    expect(answer.number).toBe('A023');
    expect(seen).toEqual([
      {
        url: 'http://portal.invalid/base/v1/kiosk/numbers',
        auth: 'Bearer tok',
        body: { ticketId: event.payload.ticketId, serviceId: 'social-insurance', citizenHmac: null },
      },
    ]);
  });

  it('pulls with the cursor in the query and leases a band idempotently by leaseId', async () => {
    const client = new PortalClient({ baseUrl, token: portal.token });
    const first = await client.pull(null, 2_000);
    expect(first.kiosk).toEqual({ kioskId: 'kiosk-test', kioskDigit: 7 });
    expect(first.catalog?.hall.hallId).toBe('hall-1');
    const again = await client.pull(first.cursor, 2_000);
    expect(again.catalog).toBeNull(); // unchanged since the cursor
    expect(portal.pullCursors.slice(-2)).toEqual([null, first.cursor]);

    const req = { leaseId: '0195796c-1b2c-7a00-8000-0000000000b1', serviceId: 'social-insurance', businessDay: '2025-03-10', size: 20 };
    const leased = await client.leaseBand(req, 2_000);
    expect(leased.band).toMatchObject({ serviceId: 'social-insurance', businessDay: '2025-03-10', firstSequence: 8001, lastSequence: 8020 });
    expect((await client.leaseBand(req, 2_000)).band).toEqual(leased.band);
    expect((await client.pull(null, 2_000)).bands).toEqual([leased.band]);
  });

  it('measures the clock offset of every successful exchange: serverTime minus the midpoint of the round trip', async () => {
    const samples: { offsetMs: number; rttMs: number }[] = [];
    // The kiosk clock is fixed at 2025-03-10 01:00:00; each exchange takes 100 ms on the monotonic clock.
    let mono = 0;
    const serverTime = '2025-03-10T01:00:10.050Z';
    const client = new PortalClient({
      baseUrl: 'http://portal.invalid',
      token: 't',
      wallNow: () => Date.parse('2025-03-10T01:00:00.100Z'),
      monoNow: () => (mono += 50),
      onClockSample: (s) => samples.push(s),
      fetchImpl: async () => new Response(JSON.stringify({ ...testCatalog, serverTime }), { status: 200 }),
    });
    await client.catalog(1_000);
    // rtt = 50 ms; midpoint = 01:00:00.100 - 25 ms = 01:00:00.075; offset = 10.050 s - 0.075 s.
    // With when it arrived, on both kiosk clocks: the sync engine tells a kiosk clock jump by them.
    expect(samples).toEqual([{ offsetMs: 9_975, rttMs: 50, at: { wallMs: Date.parse('2025-03-10T01:00:00.100Z'), monoMs: 100 } }]);
    const failing = new PortalClient({
      baseUrl: 'http://portal.invalid',
      token: 't',
      onClockSample: (s) => samples.push(s),
      fetchImpl: async () => new Response('{}', { status: 503 }),
    });
    await failureOf(failing.catalog(1_000));
    expect(samples).toHaveLength(1); // no answer, no sample
  });
});
