import { describe, expect, it } from 'vitest';
import { counterRoutes, TicketStatus } from '../../../../common/contract/counter-api.js';
import { displayRoutes } from '../../../../common/contract/display-api.js';
import { PortalErrorCode } from '../../../../common/contract/errors.js';
import { staffRoutes } from '../../../../common/contract/staff-api.js';
import { fakePortal } from '../../testing/fake-portal.js';
import { sampleCounter, sampleDisplayState, sampleQueue, sampleTicket } from '../../testing/fixtures.js';
import { createPortalClient, fillPath } from './portal-client.js';
import { ClientErrorCode, PortalCallError } from './ui-error.js';

const failureOf = (promise: Promise<unknown>) => promise.then(() => null, (err: unknown) => err as PortalCallError);

describe('portal client', () => {
  it('sends the CSRF token on writes only, and the cookie goes by itself', async () => {
    const ticket = sampleTicket({ status: TicketStatus.Called, counterId: 'window-3', callCount: 1 });
    const portal = fakePortal({
      'GET /v1/counter/queue': () => ({ body: sampleQueue() }),
      'POST /v1/counter/call-next': () => ({ body: { ticket } }),
    });
    const client = portal.client({ csrfToken: () => 'the-csrf-token-of-this-session' });
    await client.call(counterRoutes.queue, { query: { counterId: 'window-3' } });
    const answer = await client.call(counterRoutes.callNext, { body: { counterId: 'window-3' } });
    expect(answer.ticket?.number).toBe('A051');
    const [get, post] = portal.requests;
    expect(get?.search).toBe('?counterId=window-3');
    expect(get?.headers['x-csrf-token']).toBeUndefined();
    expect(post?.headers['x-csrf-token']).toBe('the-csrf-token-of-this-session');
    // The request went out as the contract's schema made it, defaults filled in.
    expect(post?.body).toEqual({ counterId: 'window-3', serviceIds: [] });
  });

  it('sends the display token as a bearer header', async () => {
    const portal = fakePortal({ 'GET /v1/display/state': () => ({ body: sampleDisplayState() }) });
    await portal.client({ bearerToken: () => 'display-token' }).call(displayRoutes.displayState, {});
    expect(portal.requests[0]?.headers.authorization).toBe('Bearer display-token');
  });

  it('fills and encodes path parameters, and refuses a request the contract refuses before it leaves', async () => {
    expect(fillPath('/v1/counter/counters/{counterId}/pause', { counterId: 'a b/c' })).toBe('/v1/counter/counters/a%20b%2Fc/pause');
    const portal = fakePortal({});
    const err = await failureOf(
      portal.client().call(counterRoutes.complete, { params: { ticketId: sampleTicket().ticketId }, body: { caseNumber: 'not a case number!' } }),
    );
    expect(err?.code).toBe(PortalErrorCode.BadRequest);
    expect(err?.status).toBeNull();
    expect(portal.requests).toEqual([]);
  });

  it('turns the portal’s coded errors into codes, and unknown answers into status codes', async () => {
    const portal = fakePortal({
      'POST /v1/staff/sign-in': () => ({ status: 423, body: { code: 'locked-out', message: 'locked for 5 minutes' } }),
      'GET /v1/staff/session': () => ({ status: 401, body: 'not json at all' }),
      'GET /v1/counter/counters': () => ({ status: 502, body: null }),
    });
    const client = portal.client();
    const locked = await failureOf(client.call(staffRoutes.signIn, { body: { hallId: 'demo-city-hall', username: 'clerk1', password: 'x' } }));
    expect(locked).toBeInstanceOf(PortalCallError);
    expect([locked?.code, locked?.status, locked?.detail]).toEqual([PortalErrorCode.LockedOut, 423, 'locked for 5 minutes']);
    expect((await failureOf(client.call(staffRoutes.session, {})))?.code).toBe(PortalErrorCode.Unauthorized);
    expect((await failureOf(client.call(counterRoutes.counters, {})))?.code).toBe(PortalErrorCode.Internal);
  });

  it('refuses an answer that does not match the contract', async () => {
    const portal = fakePortal({ 'GET /v1/counter/counters': () => ({ body: { counters: [{ ...sampleCounter(), state: 'asleep' }], serverTime: 'now' } }) });
    const err = await failureOf(portal.client().call(counterRoutes.counters, {}));
    expect(err?.code).toBe(ClientErrorCode.BadAnswer);
  });

  it('reports an unreachable portal as a network error', async () => {
    const client = createPortalClient({
      baseUrl: 'http://portal.test/',
      fetch: (() => Promise.reject(new TypeError('Failed to fetch'))) as typeof fetch,
    });
    const err = await failureOf(client.call(staffRoutes.halls, {}));
    expect([err?.code, err?.status]).toEqual([ClientErrorCode.Network, null]);
  });

  it('resolves contract paths against the portal root, wherever the page is', () => {
    const client = createPortalClient({ baseUrl: new URL('../', 'https://hall.example/portal/counter/') });
    expect(client.url('/v1/counter/events')).toBe('https://hall.example/portal/v1/counter/events');
  });
});
