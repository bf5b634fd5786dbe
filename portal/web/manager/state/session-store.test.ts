import { describe, expect, it } from 'vitest';
import { PortalErrorCode } from '../../../../common/contract/errors.js';
import { fakePortal, type FakeHandler } from '../../testing/fake-portal.js';
import { clerkSession, managerSession, NOW, sampleCatalog } from '../testing/manager-fixtures.js';
import { ManagerPhase, ManagerSection, createSessionStore } from './session-store.js';
import { clearOnSignOut } from './clear-on-sign-out.js';

const unauthorized = { status: 401, body: { code: 'unauthorized', message: 'no session' } };

function portal(overrides: Record<string, FakeHandler> = {}) {
  return fakePortal({
    'GET /v1/public/halls': () => ({ body: { halls: [{ hallId: 'demo-city-hall', name: sampleCatalog.hall.name }] } }),
    'GET /v1/staff/session': () => unauthorized,
    'POST /v1/staff/sign-in': (r) => ({ body: (r.body as { username: string }).username === 'clerk1' ? clerkSession : managerSession }),
    'POST /v1/staff/sign-out': () => ({ body: { signedOut: true } }),
    // The portal's clock a minute ahead of this machine's.
    'GET /v1/counter/catalog': () => ({ body: { ...sampleCatalog, serverTime: new Date(NOW + 60_000).toISOString() } }),
    ...overrides,
  });
}

function storeFor(h: { portal: ReturnType<typeof portal> }) {
  let csrf: string | null = null;
  const store = createSessionStore({ client: h.portal.client({ csrfToken: () => csrf }), now: () => NOW });
  store.subscribe((s) => (csrf = s.session?.csrfToken ?? null));
  return store;
}

/** The portal as the console meets it, and its recorded requests. */
function harness(overrides: Record<string, FakeHandler> = {}) {
  return { portal: portal(overrides) };
}

describe('manager sign-in', () => {
  it('starts on the sign-in form with the halls when the browser has no session', async () => {
    const h = harness();
    const store = storeFor(h);
    await store.getState().start();
    expect(store.getState().phase).toBe(ManagerPhase.SignIn);
    expect(store.getState().halls.map((x) => x.hallId)).toEqual(['demo-city-hall']);
    expect(store.getState().error).toBeNull();
  });

  it('lets a manager in: the hall’s name and zone, the portal’s clock, and the CSRF token on every write', async () => {
    const h = harness();
    const store = storeFor(h);
    await store.getState().start();
    expect(await store.getState().signIn('demo-city-hall', 'manager', 'demo-password')).toBe(true);
    const state = store.getState();
    expect(state.phase).toBe(ManagerPhase.Console);
    expect(state.hall?.name.zh).toBe('市民之家政务服务大厅');
    expect(state.hall?.timeZone).toBe('Asia/Shanghai');
    expect(state.clockOffsetMs).toBe(60_000);
    await store.getState().signOut();
    const signOut = h.portal.requests.find((r) => r.path === '/v1/staff/sign-out');
    expect(signOut?.headers['x-csrf-token']).toBe(managerSession.csrfToken);
    expect(store.getState().phase).toBe(ManagerPhase.SignIn);
    expect(store.getState().session).toBeNull();
  });

  it('tells a clerk who signs in that the account lacks the right, and ends the session it just made', async () => {
    const h = harness();
    const store = storeFor(h);
    await store.getState().start();
    expect(await store.getState().signIn('demo-city-hall', 'clerk1', 'demo-password')).toBe(false);
    expect(store.getState().phase).toBe(ManagerPhase.SignIn);
    expect(store.getState().error?.code).toBe(PortalErrorCode.Forbidden);
    expect(store.getState().session).toBeNull();
    const paths = h.portal.requests.map((r) => `${r.method} ${r.path}`);
    expect(paths).toContain('POST /v1/staff/sign-out');
    // The clerk never got as far as the hall's data.
    expect(paths).not.toContain('GET /v1/counter/catalog');
  });

  it('leaves a clerk’s existing session alone (the counter console may need it) and says the console is not theirs', async () => {
    const h = harness({ 'GET /v1/staff/session': () => ({ body: clerkSession }) });
    const store = storeFor(h);
    await store.getState().start();
    expect(store.getState().phase).toBe(ManagerPhase.Forbidden);
    expect(store.getState().session?.staff.displayName).toBe('李娜');
    expect(h.portal.requests.map((r) => r.path)).not.toContain('/v1/staff/sign-out');
    await store.getState().signOut();
    expect(store.getState().phase).toBe(ManagerPhase.SignIn);
  });

  it('shows a refused password and stays on the form', async () => {
    const h = harness({ 'POST /v1/staff/sign-in': () => ({ status: 401, body: { code: 'unauthorized', message: 'wrong password' } }) });
    const store = storeFor(h);
    await store.getState().start();
    expect(await store.getState().signIn('demo-city-hall', 'manager', 'wrong-password')).toBe(false);
    expect(store.getState().phase).toBe(ManagerPhase.SignIn);
    expect(store.getState().error?.code).toBe(PortalErrorCode.Unauthorized);
  });

  it('goes back to sign-in when a section finds the session gone, and the sections forget what they loaded', async () => {
    const h = harness({ 'GET /v1/staff/session': () => ({ body: managerSession }) });
    const store = storeFor(h);
    const resets: string[] = [];
    clearOnSignOut(store, [{ getState: () => ({ reset: () => resets.push('wall') }) }, { getState: () => ({ reset: () => resets.push('stats') }) }]);
    await store.getState().start();
    expect(store.getState().phase).toBe(ManagerPhase.Console);
    store.getState().showSection(ManagerSection.Stats);
    expect(resets).toEqual([]);
    await store.getState().sessionLost();
    expect(store.getState().phase).toBe(ManagerPhase.SignIn);
    expect(store.getState().error?.code).toBe(PortalErrorCode.Unauthorized);
    expect(resets).toEqual(['wall', 'stats']);
  });
});
