import { describe, expect, it } from 'vitest';
import { PortalErrorCode } from '../../../../common/contract/errors.js';
import { fakePortal, type FakeHandler } from '../../testing/fake-portal.js';
import { counterConfig, hallSettings, kioskConfig, NOW_ISO, SAMPLE_TOKEN, sampleStaff, serviceConfig } from '../testing/manager-fixtures.js';
import { ConfigNotice, ConfigTab, createConfigStore } from './config-store.js';
import { serviceDraftOf, serviceSettingsOf } from './service-form.js';

const stale = { status: 409, body: { code: 'stale-version', message: 'version 3 is not the current 4' } };

function hall(overrides: Record<string, FakeHandler> = {}) {
  let service = serviceConfig();
  const portal = fakePortal({
    'GET /v1/manager/services': () => ({ body: { services: [service], catalogVersion: 7, serverTime: NOW_ISO } }),
    'PUT /v1/manager/services/social-insurance': (r) => {
      const body = r.body as { version: number; name: { zh: string; en: string } };
      if (body.version !== service.version) return stale;
      service = { ...service, name: body.name, version: service.version + 1 };
      return { body: { service, catalogVersion: 8, serverTime: NOW_ISO } };
    },
    'GET /v1/manager/counters': () => ({ body: { counters: [counterConfig()], serverTime: NOW_ISO } }),
    'GET /v1/manager/staff': () => ({ body: { staff: sampleStaff, serverTime: NOW_ISO } }),
    'GET /v1/manager/kiosks': () => ({ body: { kiosks: [kioskConfig()], serverTime: NOW_ISO } }),
    'POST /v1/manager/kiosks': () => ({ body: { kiosk: kioskConfig({ kioskId: 'kiosk-3', kioskDigit: 3, version: 1 }), token: SAMPLE_TOKEN, serverTime: NOW_ISO } }),
    'POST /v1/manager/kiosks/kiosk-1/revoke': () => ({ body: { kiosk: kioskConfig({ active: false, revokedAt: NOW_ISO, version: 5 }), serverTime: NOW_ISO } }),
    'GET /v1/manager/hall': () => ({ body: { hall: hallSettings(), serverTime: NOW_ISO } }),
    'GET /v1/manager/config-audit': () => ({
      body: { entries: [{ at: NOW_ISO, staffId: 'manager', action: 'config.service.update', target: 'service:social-insurance', before: { version: 3 }, after: { version: 4 } }], serverTime: NOW_ISO },
    }),
    ...overrides,
  });
  return { portal, bumpElsewhere: () => (service = { ...service, name: { zh: '社保（他人修改）', en: 'Changed elsewhere' }, version: service.version + 1 }) };
}

const renamed = (zh: string) => {
  const checked = serviceSettingsOf({ ...serviceDraftOf(serviceConfig()), nameZh: zh });
  if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
  return checked.value;
};

describe('configuration store', () => {
  it('loads each tab once, with what its page needs', async () => {
    const h = hall();
    const store = createConfigStore({ client: h.portal.client(), onUnauthorized: () => undefined });
    await store.getState().open();
    await store.getState().open();
    expect(h.portal.requests.map((r) => r.path)).toEqual(['/v1/manager/services']);
    await store.getState().showTab(ConfigTab.Counters);
    expect(store.getState().counters?.[0]?.counterId).toBe('window-3');
    expect(store.getState().staff?.map((s) => s.staffId)).toEqual(['clerk1', 'clerk2', 'manager']);
    await store.getState().showTab(ConfigTab.Hall);
    expect(store.getState().hall?.version).toBe(5);
  });

  it('saves a service naming the version it read, and shows the new version', async () => {
    const h = hall();
    const store = createConfigStore({ client: h.portal.client({ csrfToken: () => 'csrf-token-0123456789abcdef' }), onUnauthorized: () => undefined });
    await store.getState().open();
    store.getState().edit({ kind: ConfigTab.Services, id: 'social-insurance' });
    expect(await store.getState().updateService('social-insurance', renamed('社保卡业务'), 3)).toBe(true);
    const put = h.portal.requests.find((r) => r.method === 'PUT');
    expect(put?.body).toMatchObject({ version: 3, name: { zh: '社保卡业务' } });
    expect(put?.headers['x-csrf-token']).toBe('csrf-token-0123456789abcdef');
    expect(store.getState().services?.[0]).toMatchObject({ version: 4, name: { zh: '社保卡业务' } });
    expect(store.getState().catalogVersion).toBe(8);
    expect(store.getState().editor).toBeNull();
    expect(store.getState().notice).toBe(ConfigNotice.Saved);
  });

  it('a stale write (409) says so and reloads: the editor stays open on the version stored now', async () => {
    const h = hall();
    const store = createConfigStore({ client: h.portal.client(), onUnauthorized: () => undefined });
    await store.getState().open();
    store.getState().edit({ kind: ConfigTab.Services, id: 'social-insurance' });
    h.bumpElsewhere();
    expect(await store.getState().updateService('social-insurance', renamed('社保卡业务'), 3)).toBe(false);
    expect(store.getState().error?.code).toBe(PortalErrorCode.StaleVersion);
    expect(store.getState().services?.[0]).toMatchObject({ version: 4, name: { zh: '社保（他人修改）' } });
    expect(store.getState().editor).toEqual({ kind: ConfigTab.Services, id: 'social-insurance' });
    expect(store.getState().saving).toBe(false);
  });

  it('registers a kiosk and holds its token in memory only until closed, another tab, or sign-out', async () => {
    const h = hall();
    const store = createConfigStore({ client: h.portal.client(), onUnauthorized: () => undefined });
    await store.getState().showTab(ConfigTab.Kiosks);
    expect(await store.getState().registerKiosk({ kioskId: 'kiosk-3', kioskDigit: 3, name: null, offeredServiceIds: null, idleTimeoutMs: null, elderlyAge: null, technicianPin: null })).toBe(true);
    expect(store.getState().issuedToken).toEqual({ kioskId: 'kiosk-3', token: SAMPLE_TOKEN });
    expect(store.getState().kiosks?.map((k) => k.kioskId)).toEqual(['kiosk-1', 'kiosk-3']);
    store.getState().dismissToken();
    expect(store.getState().issuedToken).toBeNull();
    await store.getState().registerKiosk({ kioskId: 'kiosk-3', kioskDigit: 3, name: null, offeredServiceIds: null, idleTimeoutMs: null, elderlyAge: null, technicianPin: null });
    await store.getState().showTab(ConfigTab.Hall);
    expect(store.getState().issuedToken).toBeNull();
    await store.getState().showTab(ConfigTab.Kiosks);
    await store.getState().registerKiosk({ kioskId: 'kiosk-3', kioskDigit: 3, name: null, offeredServiceIds: null, idleTimeoutMs: null, elderlyAge: null, technicianPin: null });
    store.getState().reset();
    expect(store.getState().issuedToken).toBeNull();
    expect(store.getState().kiosks).toBeNull();
  });

  it('revokes a kiosk with its version and says it is revoked', async () => {
    const h = hall();
    const store = createConfigStore({ client: h.portal.client(), onUnauthorized: () => undefined });
    await store.getState().showTab(ConfigTab.Kiosks);
    expect(await store.getState().revokeKiosk('kiosk-1', 4)).toBe(true);
    expect(h.portal.requests.at(-1)?.body).toEqual({ version: 4 });
    expect(store.getState().kiosks?.[0]?.active).toBe(false);
    expect(store.getState().notice).toBe(ConfigNotice.Revoked);
  });

  it('drops an answer that arrives after a reset (another session’s data never shows)', async () => {
    let answer: (() => void) | null = null;
    const h = hall({
      'GET /v1/manager/services': () => new Promise((resolve) => (answer = () => resolve({ body: { services: [serviceConfig()], catalogVersion: 7, serverTime: NOW_ISO } }))),
    });
    const store = createConfigStore({ client: h.portal.client(), onUnauthorized: () => undefined });
    const opening = store.getState().open();
    await new Promise((r) => setTimeout(r, 0));
    store.getState().reset();
    (answer as (() => void) | null)?.();
    await opening;
    expect(store.getState().services).toBeNull();
  });

  it('reads the change log afresh each time it is shown (it grows with every save)', async () => {
    const h = hall();
    const store = createConfigStore({ client: h.portal.client(), onUnauthorized: () => undefined });
    await store.getState().showTab(ConfigTab.Audit);
    expect(store.getState().audit?.[0]?.action).toBe('config.service.update');
    await store.getState().showTab(ConfigTab.Services);
    await store.getState().showTab(ConfigTab.Audit);
    const audits = h.portal.requests.filter((r) => r.path === '/v1/manager/config-audit');
    expect(audits.map((r) => r.search)).toEqual(['?limit=100', '?limit=100']);
  });

  it('hands a lost session to the console', async () => {
    const h = hall({ 'GET /v1/manager/services': () => ({ status: 401, body: { code: 'unauthorized', message: 'ended' } }) });
    let lost = 0;
    const store = createConfigStore({ client: h.portal.client(), onUnauthorized: () => (lost += 1) });
    await store.getState().open();
    expect(lost).toBe(1);
  });
});
