/**
 * The walking skeleton end to end: Debian's Chromium drives the browser shell; the kiosk core
 * talks to a real portal process on a real PostgreSQL and prints to the printer simulator over
 * TCP. Then the portal is killed mid-day, the kiosk keeps issuing, and nothing is lost once the
 * portal returns.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueListResponse, CallNextResponse, type QueueTicket } from '../../common/contract/sync-api.js';
import { PrinterSimulator } from '../../devices/printer/simulator/printer-simulator.js';
import { KioskConfigSchema } from '../../main/core/kiosk-config.js';
import { startKioskRuntime } from '../../main/core/start-kiosk-runtime.js';
import type { KioskRuntime } from '../../main/core/kiosk-runtime.js';
import { startBrowserHost, type BrowserHost } from '../../main/browser-host/browser-host.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../portal/db/embedded.js';
import { findFreePort } from '../../portal/net/find-free-port.js';
import { killHard, startTsChild, type StartedChild } from '../../scripts/support/child-process.js';
import { screenshot } from './support/screenshots.js';

const STAFF = 'e2e-staff-token';
const KIOSK = 'e2e-kiosk-token';
const repoRoot = path.resolve(import.meta.dirname, '../..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'hall-kiosk-e2e-'));
// The embedded PostgreSQL runs as the 'postgres' user when we are root: it must reach its folder.
chmodSync(tmp, 0o755);

let pg: EmbeddedPostgres;
let portal: StartedChild;
let portalPort: number;
let sim: PrinterSimulator;
let runtime: KioskRuntime;
let host: BrowserHost;
let browser: Browser;
let page: Page;
let launchUrl: string;

async function startPortal(): Promise<StartedChild> {
  return startTsChild(path.join(repoRoot, 'portal/cli.ts'), ['--seed-demo'], {
    DATABASE_URL: pg.url,
    PORT: String(portalPort),
    KIOSK_TOKEN: KIOSK,
    STAFF_TOKEN: STAFF,
  });
}

async function portalGet<T>(route: string, schema: { parse(v: unknown): T }): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${portalPort}${route}`, { headers: { Authorization: `Bearer ${STAFF}` } });
  expect(res.status).toBe(200);
  return schema.parse(await res.json());
}

async function callNext(counterId: string): Promise<QueueTicket | null> {
  const res = await fetch(`http://127.0.0.1:${portalPort}/v1/counter/call-next`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${STAFF}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ counterId, serviceIds: [] }),
  });
  expect(res.status).toBe(200);
  return CallNextResponse.parse(await res.json()).ticket;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function takeTicketOnScreen(serviceId: string): Promise<string> {
  await page.getByTestId(`service-${serviceId}`).click();
  const number = page.getByTestId('ticket-number');
  await number.waitFor();
  await page.getByTestId('print-state').and(page.locator('[data-state="printed"]')).waitFor({ timeout: 15_000 });
  return (await number.innerText()).trim();
}

beforeAll(async () => {
  pg = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'pg'), port: await findFreePort(), unsafeNoFsync: true, libraryHandlesSignals: false });
  portalPort = await findFreePort();
  portal = await startPortal();
  sim = await PrinterSimulator.start({ port: 0 });
  const config = KioskConfigSchema.parse({
    version: 1,
    kioskId: 'kiosk-1',
    kioskDigit: 1,
    dataDir: path.join(tmp, 'kiosk'),
    // The portal is seeded with --seed-demo and the technician logs in with the demo PIN.
    demoMode: true,
    portal: { baseUrl: `http://127.0.0.1:${portalPort}`, token: KIOSK },
    printer: { host: '127.0.0.1', port: sim.port, pollIntervalMs: 500 },
  });
  runtime = await startKioskRuntime(config);
  host = await startBrowserHost({ target: runtime, rendererDir: path.join(repoRoot, 'renderer/dist') });
  browser = await chromium.launch({
    executablePath: process.env.KIOSK_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // A one-time launch code, as Chromium gets it: the page trades it for the bridge token.
  launchUrl = host.newLaunchUrl();
  await page.goto(launchUrl);
  await page.getByTestId('service-social-insurance').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await runtime?.close();
  await sim?.stop();
  if (portal) await killHard(portal.child);
  await pg?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe('one ticket from the kiosk screen to the counter', () => {
  it('issues, prints, syncs and is called by number', async () => {
    await screenshot(page, 'kiosk-home.png');
    const number = await takeTicketOnScreen('social-insurance');
    expect(number).toMatch(/^A\d{3}$/);
    await screenshot(page, 'kiosk-ticket.png');

    const receipt = sim.jobs().at(-1)?.receipt;
    expect(receipt?.text).toContain(number);
    expect(receipt?.text).toContain('社会保障');
    expect(receipt?.cut).toBe(true);

    const held = await until('the portal to hold the ticket', async () => {
      const { tickets } = await portalGet('/v1/counter/queue', QueueListResponse);
      return tickets.find((t) => t.number === number);
    });
    expect(held.status).toBe('waiting');

    const called = await callNext('window-3');
    expect(called?.number).toBe(number);
  });

  it('keeps issuing while the portal is down and loses nothing when it returns', async () => {
    await killHard(portal.child);
    await page.getByTestId('done-button').click();

    const offlineNumber = await takeTicketOnScreen('housing-fund');
    // A number from the band the portal leased to this kiosk in advance (docs/architecture.md §4): 8001..9999.
    expect(offlineNumber).toMatch(/^C[89]\d{3}$/);
    await expect(page.getByTestId('issued-offline').isVisible()).resolves.toBe(true);
    const receipt = sim.jobs().at(-1)?.receipt;
    expect(receipt?.text).toContain(offlineNumber);
    expect(receipt?.text).toContain('住房公积金');
    expect(receipt?.text).toContain('离线出票');
    await page.getByTestId('done-button').click();
    await page.getByTestId('offline-notice').waitFor({ timeout: 15_000 });

    portal = await startPortal();
    const synced = await until('the offline ticket to reach the portal', async () => {
      const { tickets } = await portalGet('/v1/counter/queue', QueueListResponse);
      const matching = tickets.filter((t) => t.number === offlineNumber);
      return matching.length > 0 ? matching : undefined;
    }, 60_000);
    expect(synced).toHaveLength(1);
    expect(synced[0]?.numberSource).toBe('band');

    const called = await callNext('window-5');
    expect(called?.number).toBe(offlineNumber);
    await page.getByTestId('offline-notice').waitFor({ state: 'detached', timeout: 30_000 });
  });
});

describe('the browser shell launch', () => {
  it('takes the launch code out of the address bar, and a reload reconnects with the token the tab kept', async () => {
    expect(new URL(page.url()).hash).toBe('');
    await page.reload();
    await page.getByTestId('service-social-insurance').waitFor();
    expect(host.connections()).toBeGreaterThanOrEqual(1);
    // The page spent its launch code: the same code a second time gets nothing.
    const code = new URLSearchParams(new URL(launchUrl).hash.slice(1)).get('code');
    const replay = await fetch(`http://127.0.0.1:${host.port}/bridge/exchange`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: `http://127.0.0.1:${host.port}` },
      body: JSON.stringify({ code }),
    });
    expect(replay.status).toBe(401);
  });
});
