import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KioskHealthListResponse, KioskHealthState, type KioskHealthView } from '../../common/contract/kiosk-health-api.js';
import { PrinterState } from '../../common/contract/kiosk-status.js';
import { StaffRole } from '../../common/contract/route-spec.js';
import { PrinterSimulator } from '../../devices/printer/simulator/printer-simulator.js';
import { KIOSK_APP_VERSION } from '../../main/core/app-version.js';
import { KioskConfigSchema } from '../../main/core/kiosk-config.js';
import { startKioskRuntime } from '../../main/core/start-kiosk-runtime.js';
import { hashPin } from '../../main/core/technician-pin.js';
import { makeTempDir } from '../../offline-queue/testing/temp-dir.js';
import { addStaffKey } from '../../portal/counter/counter-test-kit.js';
import { DEMO_HALL_ID, KIOSK_ID, KIOSK_ID_2, KIOSK_TOKEN, startPortalHarness, type PortalHarness } from '../../portal/test-support/portal-harness.js';

/**
 * Issue 10 §2 across the wire: the real kiosk runtime (its sync engine, its printer monitor on a
 * simulated printer over TCP) reports to the real portal (PostgreSQL), and the hall's manager
 * sees it on the wall. It lives here because only this layer may import both the kiosk and the
 * portal.
 */

const MANAGER_KEY = 'health-wall-manager-key';
const PULL_INTERVAL_MS = 1_000;
const PRINTER_POLL_MS = 200;
const tmp = makeTempDir('kiosk-health-report');
let h: PortalHarness;
let sim: PrinterSimulator;
let runtime: Awaited<ReturnType<typeof startKioskRuntime>> | null = null;
/** The portal's clock runs with real time, moved by this much (the kiosk is stopped before it moves). */
let portalSkewMs = 0;

async function wall(): Promise<Map<string, KioskHealthView>> {
  const answer = await h.request('GET', '/v1/manager/kiosks/health', { token: MANAGER_KEY });
  expect(answer.status).toBe(200);
  return new Map(KioskHealthListResponse.parse(answer.body).kiosks.map((k) => [k.kioskId, k]));
}

/** Polls the wall until `check` holds for kiosk-1; returns that view. */
async function until(check: (view: KioskHealthView) => boolean, what: string, deadlineMs = 20_000): Promise<KioskHealthView> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const view = (await wall()).get(KIOSK_ID);
    if (view && check(view)) return view;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last findings ${JSON.stringify(view?.findings)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  h = await startPortalHarness();
  Object.defineProperty(h, 'now', { get: () => new Date(Date.now() + portalSkewMs), configurable: true });
  await addStaffKey(h.db.pool, DEMO_HALL_ID, 'boss', StaffRole.Manager, MANAGER_KEY);
  sim = await PrinterSimulator.start({ port: 0 });
  const config = KioskConfigSchema.parse({
    version: 1,
    kioskId: KIOSK_ID,
    kioskDigit: 1,
    dataDir: tmp.dir,
    portal: { baseUrl: h.baseUrl, token: KIOSK_TOKEN },
    printer: { host: '127.0.0.1', port: sim.port, pollIntervalMs: PRINTER_POLL_MS },
    sync: { pullIntervalMs: PULL_INTERVAL_MS },
    technician: { pinHash: await hashPin('246810', { cost: { N: 1024, r: 8, p: 1 } }) },
  });
  runtime = await startKioskRuntime(config, { liveChannel: false });
});

afterAll(async () => {
  await runtime?.close();
  await sim?.stop();
  await h?.close();
  tmp.remove();
});

describe('a kiosk’s health, from its sync to the manager’s wall', () => {
  let reportedIntervalMs = 0;

  it('an honest kiosk’s report arrives with its sync and is listed green; a kiosk never heard from is red', async () => {
    const view = await until((v) => v.state === KioskHealthState.Green, 'kiosk-1 green');
    expect(view.latest).toMatchObject({
      appVersion: KIOSK_APP_VERSION,
      printer: { state: PrinterState.Ready },
      backlog: 0,
      quarantined: 0,
      heldClockOffsetMs: null,
    });
    // It reports as often as its loop really runs: the pull interval, or its idle round if longer.
    reportedIntervalMs = view.latest?.pullIntervalMs ?? 0;
    expect(reportedIntervalMs).toBeGreaterThanOrEqual(PULL_INTERVAL_MS);
    expect(view.silentAfterMs).toBe(2 * reportedIntervalMs);
    expect(view.latest?.dataFreeBytes).toBeGreaterThan(0);
    expect(Math.abs(view.latest?.observedClockOffsetMs ?? Infinity)).toBeLessThan(5_000);
    expect(Math.abs(view.latest?.clockOffsetMs ?? Infinity)).toBeLessThan(5_000);

    // The kiosk keeps reporting with an empty outbox: last seen moves on.
    const first = Date.parse(view.lastSeenAt ?? '');
    await until((v) => Date.parse(v.lastSeenAt ?? '') > first, 'a later report');
    expect((await wall()).get(KIOSK_ID_2)?.findings.map((f) => f.reason)).toEqual(['never-seen']);
  });

  it('a kiosk whose printer runs out of paper turns red within two sync intervals, and green when paper is back', async () => {
    sim.setFaults({ paperOut: true });
    // Two sync intervals, plus the printer monitor's poll, plus slack for a loaded machine.
    const red = await until((v) => v.state === KioskHealthState.Red, 'kiosk-1 red', 2 * reportedIntervalMs + PRINTER_POLL_MS + 3_000);
    expect(red.findings).toEqual([{ reason: 'printer-paper-out', severity: KioskHealthState.Red }]);
    expect(red.latest?.printer.state).toBe(PrinterState.PaperOut);

    sim.setFaults({ paperOut: false, paperNearEnd: true });
    const amber = await until((v) => v.state === KioskHealthState.Amber, 'kiosk-1 amber');
    expect(amber.findings.map((f) => f.reason)).toEqual(['printer-paper-near-end']);
    sim.setFaults({ paperNearEnd: false });
    await until((v) => v.state === KioskHealthState.Green, 'kiosk-1 green again');
  });

  it('a kiosk that stops syncing turns red as silent once two of its intervals pass', async () => {
    await runtime?.close();
    runtime = null;
    const stopped = (await wall()).get(KIOSK_ID);
    expect(stopped?.state).toBe(KioskHealthState.Green);
    const lastSeen = Date.parse(stopped?.lastSeenAt ?? '');
    // The portal's clock, not the test's patience: move it past two intervals from the last report.
    portalSkewMs = lastSeen + 2 * reportedIntervalMs + 1 - Date.now();
    const silent = (await wall()).get(KIOSK_ID);
    expect(silent).toMatchObject({ state: KioskHealthState.Red, lastSeenAt: stopped?.lastSeenAt });
    expect(silent?.findings.map((f) => f.reason)).toEqual(['silent']);
  });
});
