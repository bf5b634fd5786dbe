/**
 * The walking skeleton end to end: Debian's Chromium drives the browser shell; the kiosk core
 * talks to a real portal process on a real PostgreSQL and prints to the printer simulator over
 * TCP. Then the portal is killed mid-day, the kiosk keeps issuing, and nothing is lost once the
 * portal returns.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallNextResponse, CounterResponse, QueueListResponse, type QueueTicket } from '../../common/contract/counter-api.js';
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE, startKioskStack, takeTicketOnScreen, until, type KioskStack } from './support/kiosk-stack.js';
import { screenshot } from './support/screenshots.js';

const STAFF = 'e2e-staff-token';
const KIOSK = 'e2e-kiosk-token';

let stack: KioskStack;
let portalPort: number;
let browser: Browser;
let page: Page;
let launchUrl: string;

async function portalGet<T>(route: string, schema: { parse(v: unknown): T }): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${portalPort}${route}`, { headers: { Authorization: `Bearer ${STAFF}` } });
  expect(res.status).toBe(200);
  return schema.parse(await res.json());
}

/** A machine client of the counter API: signs in at its counter (the demo's), then calls. */
async function callNext(counterId: string): Promise<QueueTicket | null> {
  const signIn = await fetch(`http://127.0.0.1:${portalPort}/v1/counter/counters/${counterId}/sign-in`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${STAFF}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ serviceIds: [] }),
  });
  expect(signIn.status).toBe(200);
  CounterResponse.parse(await signIn.json());
  const res = await fetch(`http://127.0.0.1:${portalPort}/v1/counter/call-next`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${STAFF}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ counterId, serviceIds: [] }),
  });
  expect(res.status).toBe(200);
  return CallNextResponse.parse(await res.json()).ticket;
}

beforeAll(async () => {
  stack = await startKioskStack({ kioskToken: KIOSK, staffToken: STAFF });
  portalPort = stack.portalPort;
  browser = await chromium.launch({ executablePath: CHROMIUM_EXECUTABLE, args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // A one-time launch code, as Chromium gets it: the page trades it for the bridge token.
  launchUrl = stack.host.newLaunchUrl();
  await page.goto(launchUrl);
  await page.getByTestId('service-social-insurance').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('one ticket from the kiosk screen to the counter', () => {
  it('issues, prints, syncs and is called by number', async () => {
    await screenshot(page, 'kiosk-home.png');
    const number = await takeTicketOnScreen(page, 'social-insurance');
    expect(number).toMatch(/^A\d{3}$/);
    await screenshot(page, 'kiosk-ticket.png');

    const receipt = stack.sim.jobs().at(-1)?.receipt;
    expect(receipt?.text).toContain(number);
    expect(receipt?.text).toContain('社会保障');
    expect(receipt?.cut).toBe(true);

    const held = await until('the portal to hold the ticket', async () => {
      const { waiting } = await portalGet('/v1/counter/queue', QueueListResponse);
      return waiting.find((t) => t.number === number);
    });
    expect(held.status).toBe('waiting');

    // 1 号窗口 serves social insurance.
    const called = await callNext('window-1');
    expect(called?.number).toBe(number);
  });

  it('keeps issuing while the portal is down and loses nothing when it returns', async () => {
    await stack.killPortal();
    await page.getByTestId('done-button').click();

    const offlineNumber = await takeTicketOnScreen(page, 'housing-fund');
    // A number from the band the portal leased to this kiosk in advance (docs/architecture.md §4): 8001..9999.
    expect(offlineNumber).toMatch(/^C[89]\d{3}$/);
    await expect(page.getByTestId('issued-offline').isVisible()).resolves.toBe(true);
    const receipt = stack.sim.jobs().at(-1)?.receipt;
    expect(receipt?.text).toContain(offlineNumber);
    expect(receipt?.text).toContain('住房公积金');
    expect(receipt?.text).toContain('离线出票');
    await page.getByTestId('done-button').click();
    await page.getByTestId('offline-notice').waitFor({ timeout: 15_000 });

    await stack.restartPortal();
    const synced = await until('the offline ticket to reach the portal', async () => {
      const { waiting } = await portalGet('/v1/counter/queue', QueueListResponse);
      const matching = waiting.filter((t) => t.number === offlineNumber);
      return matching.length > 0 ? matching : undefined;
    }, 60_000);
    expect(synced).toHaveLength(1);
    expect(synced[0]?.numberSource).toBe('band');

    // 3 号窗口 serves the housing fund.
    const called = await callNext('window-3');
    expect(called?.number).toBe(offlineNumber);
    await page.getByTestId('offline-notice').waitFor({ state: 'detached', timeout: 30_000 });
  });
});

describe('the browser shell launch', () => {
  it('takes the launch code out of the address bar, and a reload reconnects with the token the tab kept', async () => {
    expect(new URL(page.url()).hash).toBe('');
    await page.reload();
    await page.getByTestId('service-social-insurance').waitFor();
    expect(stack.host.connections()).toBeGreaterThanOrEqual(1);
    // The page spent its launch code: the same code a second time gets nothing.
    const code = new URLSearchParams(new URL(launchUrl).hash.slice(1)).get('code');
    const replay = await fetch(`http://127.0.0.1:${stack.host.port}/bridge/exchange`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: `http://127.0.0.1:${stack.host.port}` },
      body: JSON.stringify({ code }),
    });
    expect(replay.status).toBe(401);
  });
});
