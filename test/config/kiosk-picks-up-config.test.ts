import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HallSettingsResponse,
  KiosksConfigResponse,
  ServiceConfigResponse,
  ServicesConfigResponse,
  type ServiceConfigView,
  type UpdateServiceRequest,
} from '../../common/contract/config-api.js';
import { KioskErrorCode } from '../../common/contract/errors.js';
import type { KioskResponse, ServiceView, TicketView } from '../../common/contract/kiosk-api.js';
import { StaffRole } from '../../common/contract/route-spec.js';
import { PrinterSimulator } from '../../devices/printer/simulator/printer-simulator.js';
import { KioskConfigSchema } from '../../main/core/kiosk-config.js';
import { startKioskRuntime } from '../../main/core/start-kiosk-runtime.js';
import { DEMO_PIN } from '../../main/core/technician-pin.js';
import { makeTempDir } from '../../offline-queue/testing/temp-dir.js';
import { addStaffKey } from '../../portal/counter/counter-test-kit.js';
import { DEMO_HALL_ID, KIOSK_ID, KIOSK_TOKEN, TEST_NOW, startPortalHarness, type PortalHarness } from '../../portal/test-support/portal-harness.js';

/**
 * The hall manager's configuration reaching a real kiosk (issue 10 §1): the real portal on a
 * real PostgreSQL, the real kiosk runtime (SQLite store, sync engine, printer simulator) pulling
 * from it. The live channel is off, so "within one pull" is exactly one pull. Both clocks run
 * from Monday 2025-03-10 10:00 in Shanghai, the demo hall's zone.
 */

const MANAGER_KEY = 'kiosk-config-manager-key';
const NEW_PIN = '604217';
const tmp = makeTempDir('kiosk-config');
/** Real time moved to the test's Monday morning: the portal and the kiosk share it. */
const SHIFT_MS = TEST_NOW.getTime() - Date.now();
const hallNow = (): Date => new Date(Date.now() + SHIFT_MS);

let h: PortalHarness;
let sim: PrinterSimulator;
let runtime: Awaited<ReturnType<typeof startKioskRuntime>>;
const events: string[] = [];

async function manager(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${h.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${MANAGER_KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const answer: unknown = await res.json();
  if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(answer)}`);
  return answer;
}

async function serviceConfig(id: string): Promise<ServiceConfigView> {
  const found = ServicesConfigResponse.parse(await manager('GET', '/v1/manager/services')).services.find((s) => s.id === id);
  if (!found) throw new Error(`no service ${id}`);
  return found;
}

async function updateService(id: string, changes: Partial<UpdateServiceRequest>): Promise<void> {
  const { prefix, name, description, enabled, sortOrder, hours, dailyQuota, guide, booking, version } = await serviceConfig(id);
  ServiceConfigResponse.parse(
    await manager('PUT', `/v1/manager/services/${id}`, { prefix, name, description, enabled, sortOrder, hours, dailyQuota, guide, booking, version, ...changes }),
  );
}

async function kioskServices(): Promise<ServiceView[]> {
  const result = await runtime.dispatch('listServices', {});
  if (!result.ok) throw new Error(`listServices: ${result.error.code}`);
  return (result.response as KioskResponse<'listServices'>).services;
}

async function take(serviceId: string): Promise<{ ticket: TicketView | null; code: string | null; message: string | null }> {
  const result = await runtime.dispatch('takeTicket', { serviceId, requestId: randomUUID() });
  return result.ok
    ? { ticket: result.response as TicketView, code: null, message: null }
    : { ticket: null, code: result.error.code, message: result.error.message };
}

async function allocations(serviceId: string): Promise<number> {
  const result = await h.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM number_allocations WHERE hall_id = $1 AND service_id = $2', [
    DEMO_HALL_ID,
    serviceId,
  ]);
  return result.rows[0]?.n ?? 0;
}

beforeAll(async () => {
  h = await startPortalHarness();
  Object.defineProperty(h, 'now', { get: hallNow, set: () => undefined, configurable: true });
  await addStaffKey(h.db.pool, DEMO_HALL_ID, 'kiosk-config-manager', StaffRole.Manager, MANAGER_KEY);
  sim = await PrinterSimulator.start({ port: 0 });
  const config = KioskConfigSchema.parse({
    version: 1,
    kioskId: KIOSK_ID,
    kioskDigit: 1,
    dataDir: tmp.dir,
    // The configuration file's PIN is the demo one: the manager's replaces it.
    demoMode: true,
    portal: { baseUrl: h.baseUrl, token: KIOSK_TOKEN, numberBudgetMs: 2_000 },
    printer: { host: '127.0.0.1', port: sim.port, pollIntervalMs: 60_000 },
    sync: { pullIntervalMs: 3_600_000 },
  });
  runtime = await startKioskRuntime(config, { now: hallNow, liveChannel: false, catalogWaitMs: 10_000 });
  runtime.subscribe((event) => events.push(event));
});

afterAll(async () => {
  await runtime?.close();
  await sim?.stop();
  await h?.close();
  tmp.remove();
});

describe("the manager's configuration at the kiosk", () => {
  it('a renamed service and its new hours reach the kiosk within one pull, the screen is told, and a ticket outside the new hours is refused there', async () => {
    expect((await kioskServices()).find((s) => s.id === 'social-insurance')?.name.zh).toBe('社会保障');
    expect((await take('social-insurance')).ticket).not.toBeNull();

    await updateService('social-insurance', { name: { zh: '社保综合服务', en: 'Social Security Services' }, hours: { '1': [{ opens: '14:00', closes: '17:00' }] } });
    const hall = HallSettingsResponse.parse(await manager('GET', '/v1/manager/hall')).hall;
    const { hallId: _id, catalogVersion: _v, ...settings } = hall;
    HallSettingsResponse.parse(await manager('PUT', '/v1/manager/hall', { ...settings, ticketsOnlyInHours: true }));
    // Before the pull the kiosk still shows what it had; asked for a number now, the portal refuses it
    // by its new hours, and the visitor is told so: no band or series number in its place.
    expect((await kioskServices()).find((s) => s.id === 'social-insurance')?.name.zh).toBe('社会保障');
    const issuedBefore = runtime.store.countTicketsIssued('social-insurance', '2025-03-10');
    expect((await take('social-insurance')).code).toBe(KioskErrorCode.ServiceClosed);
    expect(runtime.store.countTicketsIssued('social-insurance', '2025-03-10')).toBe(issuedBefore);

    const changedBefore = events.filter((e) => e === 'catalogChanged').length;
    await runtime.sync.pull();
    expect(events.filter((e) => e === 'catalogChanged').length).toBe(changedBefore + 1);
    const renamed = (await kioskServices()).find((s) => s.id === 'social-insurance');
    expect(renamed?.name).toEqual({ zh: '社保综合服务', en: 'Social Security Services' });
    expect(renamed?.hours).toEqual({ '1': [{ opens: '14:00', closes: '17:00' }] });

    // 10:00 on Monday: closed by its new hours. The kiosk refuses without asking the portal for a number.
    const asked = await allocations('social-insurance');
    const refused = await take('social-insurance');
    expect(refused.code).toBe(KioskErrorCode.ServiceClosed);
    expect(refused.message).toContain('14:00-17:00');
    expect(await allocations('social-insurance')).toBe(asked);
    // A service open now still issues.
    expect((await take('general')).ticket?.number).toMatch(/^K\d{3}$/);
  });

  it("the kiosk's own settings arrive with the pull: the services it offers, and a technician PIN that replaces the file's", async () => {
    const kiosk = KiosksConfigResponse.parse(await manager('GET', '/v1/manager/kiosks')).kiosks.find((k) => k.kioskId === KIOSK_ID);
    if (!kiosk) throw new Error('no kiosk-1');
    await manager('PUT', `/v1/manager/kiosks/${KIOSK_ID}`, {
      version: kiosk.version,
      kioskDigit: kiosk.kioskDigit,
      name: null,
      offeredServiceIds: ['general', 'housing-fund', 'social-insurance'],
      idleTimeoutMs: 30_000,
      elderlyAge: 70,
      technicianPin: NEW_PIN,
    });
    expect((await runtime.dispatch('technicianLogin', { pin: NEW_PIN })).ok).toBe(false);

    const changedBefore = events.filter((e) => e === 'catalogChanged').length;
    await runtime.sync.pull();
    expect(events.filter((e) => e === 'catalogChanged').length).toBe(changedBefore + 1);
    expect(runtime.store.kioskSettings()).toMatchObject({ version: kiosk.version + 1, idleTimeoutMs: 30_000, elderlyAge: 70 });
    expect((await kioskServices()).map((s) => s.id).sort()).toEqual(['general', 'housing-fund', 'social-insurance']);
    const notOffered = await take('tax');
    expect(notOffered.code).toBe(KioskErrorCode.UnknownService);

    const login = await runtime.dispatch('technicianLogin', { pin: NEW_PIN });
    expect(login.ok).toBe(true);
    const demo = await runtime.dispatch('technicianLogin', { pin: DEMO_PIN });
    expect(demo.ok ? null : demo.error.code).toBe(KioskErrorCode.WrongPin);
  });

  it('the daily quota: the kiosk issues up to it and then stops (quota-reached), without a band or series number instead', async () => {
    await updateService('housing-fund', { dailyQuota: 2 });
    await runtime.sync.pull();
    expect((await take('housing-fund')).ticket?.number).toBe('C001');
    expect((await take('housing-fund')).ticket?.number).toBe('C002');
    const third = await take('housing-fund');
    expect(third.code).toBe(KioskErrorCode.QuotaReached);
    expect(runtime.store.countTicketsIssued('housing-fund', '2025-03-10')).toBe(2);
  });
});
