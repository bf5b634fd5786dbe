/**
 * The manager console (`/manager/`) in Debian's Chromium against the whole hall: a real portal
 * process, the real kiosk runtime with its pull interval shortened, the printer simulator, and the
 * kiosk screen in a second page. The manager turns on "tickets only in opening hours", renames a
 * service and moves its hours (a stale write on the way is refused, said and reloaded), and within
 * one pull the kiosk screen shows the new name and refuses a ticket outside the new hours; a kiosk
 * registered on the console gets its token once, the token works at the portal until revoked; the
 * kiosk's printer runs out of paper and its tile turns red within two sync intervals. Every
 * manager page passes axe (no serious or critical violation) and breaks no CSP rule (ECharts
 * included). Needs `npm run build:web` and `npm run build:renderer` (npm run test:e2e builds both).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceSettings, ServicesConfigResponse } from '../../common/contract/config-api.js';
import { SessionResponse } from '../../common/contract/staff-api.js';
import { localDayTime, minutesOf } from '../../common/domain/local-time.js';
import { pagesConfigFromEnv } from '../../portal/pages/pages-config.js';
import { DEMO_STAFF_PASSWORD } from '../../portal/seed/demo-credentials.js';
import { watchForProblems, type PageGlobals } from './support/hall-pages.js';
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE, REPO_ROOT, startKioskStack, until, type KioskStack } from './support/kiosk-stack.js';
import { screenshot } from './support/screenshots.js';

const STAFF = 'e2e-manager-staff-token';
const KIOSK = 'e2e-manager-kiosk-token';
/**
 * The kiosk's pull interval (it reports its health as often). Short, so "within one pull" and
 * "within two sync intervals" are seconds; long enough that the wall's own poll (5 s) fits twice.
 */
const PULL_INTERVAL_MS = 8_000;
/** Page work on top of an interval (render, the wall's poll answering) on a loaded two-core machine. */
const SLACK_MS = 4_000;
const NEW_NAME = '社保卡综合服务';

let stack: KioskStack;
let browser: Browser;
let context: BrowserContext;
let manager: Page;
let kioskScreen: Page;
let portalUrl: string;
/** The token the console issued for kiosk-7: it must never show again anywhere. */
let issuedToken = '';
const problems: string[] = [];

/** What axe finds serious or critical on the page (WCAG 2.1 A and AA rules). */
async function accessibilityProblems(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function expectAccessible(page: Page, what: string): Promise<void> {
  expect(await accessibilityProblems(page), what).toEqual([]);
}

/** A kiosk route with this bearer token: its HTTP status. */
async function kioskStatus(token: string): Promise<number> {
  const res = await fetch(`${portalUrl}/v1/kiosk/catalog`, { headers: { authorization: `Bearer ${token}` } });
  await res.body?.cancel();
  return res.status;
}

/** Hours, every day, that leave out the hall's local time now (and the next hour or two). */
function hoursExcludingNow(timeZone: string): string {
  const { time } = localDayTime(new Date(), timeZone);
  return minutesOf(time) < 20 * 60 ? '22:00-23:00' : '02:00-03:00';
}

async function signIn(page: Page, username: string): Promise<void> {
  await page.goto(`${portalUrl}/manager/`);
  await page.getByTestId('username').fill(username);
  await page.getByTestId('password').fill(DEMO_STAFF_PASSWORD);
  await page.getByTestId('password').press('Enter');
}

async function openConfigTab(tab: 'services' | 'counters' | 'kiosks' | 'hall' | 'audit'): Promise<void> {
  await manager.getByTestId('nav-config').click();
  await manager.getByTestId(`config-tab-${tab}`).click();
  await manager.getByTestId(`config-${tab}`).waitFor();
}

/** Fills the service editor: the new Chinese name, and the same hours every day. */
async function fillServiceEdit(hours: string): Promise<void> {
  await manager.getByTestId('service-nameZh').fill(NEW_NAME);
  for (const day of ['1', '2', '3', '4', '5', '6', '7']) await manager.getByTestId(`service-hours-${day}`).fill(hours);
}

beforeAll(async () => {
  for (const built of [path.join(pagesConfigFromEnv(process.env).webDir, 'manager', 'index.html'), path.join(REPO_ROOT, 'renderer/dist/index.html')]) {
    if (!existsSync(built)) throw new Error(`${built} is missing: run \`npm run build:web\` and \`npm run build:renderer\` first`);
  }
  stack = await startKioskStack({ kioskToken: KIOSK, staffToken: STAFF, pullIntervalMs: PULL_INTERVAL_MS });
  portalUrl = stack.portalUrl;
  browser = await chromium.launch({ executablePath: CHROMIUM_EXECUTABLE, args: CHROMIUM_ARGS });
  context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  manager = await context.newPage();
  watchForProblems(manager, 'manager', problems);
  kioskScreen = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await kioskScreen.goto(stack.host.newLaunchUrl());
  await kioskScreen.getByTestId('service-social-insurance').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('the manager console in Chromium', () => {
  it('refuses a clerk, in words, and lets the manager in to the kiosk wall', async () => {
    const clerkContext = await browser.newContext();
    const clerk = await clerkContext.newPage();
    await signIn(clerk, 'clerk1');
    await clerk.locator('[data-testid="error"][data-code="forbidden"]').waitFor();
    await expect(clerk.getByTestId('error').innerText()).resolves.toContain('无权使用管理台');
    await expectAccessible(clerk, 'sign-in, clerk refused');
    await clerkContext.close();

    await manager.goto(`${portalUrl}/manager/`);
    await manager.getByTestId('username').waitFor();
    await expectAccessible(manager, 'sign-in');
    await signIn(manager, 'manager');
    await manager.getByTestId('wall').waitFor();
    await expect(manager.getByTestId('who').innerText()).resolves.toContain('赵主任');
    await expect(manager.getByTestId('hall-name').innerText()).resolves.not.toBe('');
    // The page never sees the session id: the cookie is httpOnly.
    expect(await manager.evaluate(() => (globalThis as unknown as PageGlobals).document.cookie)).toBe('');
    await manager.getByTestId('last-seen-kiosk-1').waitFor({ timeout: PULL_INTERVAL_MS * 2 });
    await expectAccessible(manager, 'kiosk wall');
  });

  it('renames a service and moves its hours: within one pull the kiosk shows the name and refuses a ticket outside them', async () => {
    // The hall first keeps walk-in tickets to opening hours.
    await openConfigTab('hall');
    const timeZone = await manager.getByTestId('hall-timeZone').inputValue();
    await expectAccessible(manager, 'hall settings');
    await manager.getByTestId('hall-ticketsOnlyInHours').check();
    await manager.getByTestId('hall-editor-save').click();
    await manager.locator('[data-testid="config-notice"][data-notice="saved"]').waitFor();

    await openConfigTab('services');
    await manager.getByTestId('service-edit-social-insurance').click();
    await manager.getByTestId('service-editor').waitFor();
    await expectAccessible(manager, 'service editor');
    await screenshot(manager, 'manager-service-editor.png');

    // Meanwhile someone else saves the same service: the console's copy is stale.
    const session = SessionResponse.parse(await (await manager.request.get(`${portalUrl}/v1/staff/session`)).json());
    const listed = ServicesConfigResponse.parse(await (await manager.request.get(`${portalUrl}/v1/manager/services`)).json());
    const current = listed.services.find((s) => s.id === 'social-insurance');
    if (!current) throw new Error('no social-insurance service');
    const elsewhere = await manager.request.put(`${portalUrl}/v1/manager/services/social-insurance`, {
      headers: { 'x-csrf-token': session.csrfToken, origin: portalUrl },
      data: { ...ServiceSettings.parse(current), description: { zh: '他人刚改过', en: 'Changed elsewhere' }, version: current.version },
    });
    expect(elsewhere.status()).toBe(200);

    const hours = hoursExcludingNow(timeZone);
    await fillServiceEdit(hours);
    await manager.getByTestId('service-editor-save').click();
    await manager.locator('[data-testid="error"][data-code="stale-version"]').waitFor();
    await expect(manager.getByTestId('error').innerText()).resolves.toContain('已重新加载');
    // Reloaded: the editor is on the version stored now, without the manager's edits.
    expect(await manager.getByTestId('service-descriptionZh').inputValue()).toBe('他人刚改过');
    expect(await manager.getByTestId('service-nameZh').inputValue()).not.toBe(NEW_NAME);
    await expectAccessible(manager, 'stale write');

    await fillServiceEdit(hours);
    const jobsBefore = stack.sim.jobs().length;
    await manager.getByTestId('service-editor-save').click();
    const savedAt = Date.now();
    await manager.locator('[data-testid="config-notice"][data-notice="saved"]').waitFor();
    await expect(manager.getByTestId('service-row-social-insurance').innerText()).resolves.toContain(NEW_NAME);

    await kioskScreen.locator('[data-testid="service-social-insurance"]', { hasText: NEW_NAME }).waitFor({ timeout: PULL_INTERVAL_MS + SLACK_MS });
    expect(Date.now() - savedAt).toBeLessThanOrEqual(PULL_INTERVAL_MS + SLACK_MS);
    await kioskScreen.getByTestId('service-social-insurance').click();
    await kioskScreen.locator('[data-testid="error-toast"][data-code="service-closed"]').waitFor();
    expect(stack.sim.jobs().length).toBe(jobsBefore);
    await screenshot(kioskScreen, 'kiosk-service-closed.png');
  });

  it('registers a kiosk: its token is shown once, works at the portal, and stops working once revoked', async () => {
    await openConfigTab('kiosks');
    await manager.getByTestId('kiosk-register').click();
    await manager.getByTestId('kiosk-editor').waitFor();
    await manager.getByTestId('kiosk-kioskId').fill('kiosk-7');
    await manager.getByTestId('kiosk-kioskDigit').fill('7');
    await manager.getByTestId('kiosk-editor-save').click();
    await manager.getByTestId('token-once').waitFor();
    const token = await manager.getByTestId('issued-token').inputValue();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    issuedToken = token;
    await expect(manager.getByTestId('token-warning').innerText()).resolves.toContain('只显示这一次');
    await manager.getByTestId('token-copy').click();
    await expect.poll(() => manager.getByTestId('token-copied').innerText()).not.toBe('');
    await expectAccessible(manager, 'token shown once');
    await screenshot(manager, 'manager-kiosk-token.png');

    expect(await kioskStatus(token)).toBe(200);
    expect(await kioskStatus(`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`)).toBe(401);

    // Reloaded, the page has no way to show it again.
    await manager.reload();
    await openConfigTab('kiosks');
    await manager.getByTestId('kiosk-row-kiosk-7').waitFor();
    expect(await manager.getByTestId('issued-token').count()).toBe(0);
    expect(await manager.content()).not.toContain(token);
    await expectAccessible(manager, 'kiosks');

    await manager.getByTestId('kiosk-revoke-kiosk-7').click();
    await manager.getByTestId('kiosk-confirm-revoke-kiosk-7').click();
    await manager.locator('[data-testid="config-notice"][data-notice="revoked"]').waitFor();
    expect(await manager.getByTestId('kiosk-row-kiosk-7').getAttribute('data-active')).toBe('false');
    // The portal trusts a valid token for a few seconds from memory; then the revocation holds.
    await until('the revoked token to be refused', async () => ((await kioskStatus(token)) === 401 ? true : undefined), 15_000);
  });

  it('turns a kiosk whose printer runs out of paper red on the wall within two sync intervals', async () => {
    await manager.getByTestId('nav-wall').click();
    const tile = manager.getByTestId('kiosk-kiosk-1');
    await tile.waitFor();
    expect(await tile.getAttribute('data-state')).not.toBe('red');
    stack.sim.setFaults({ paperOut: true });
    const outAt = Date.now();
    await manager.locator('[data-testid="kiosk-kiosk-1"][data-state="red"]').waitFor({ timeout: 2 * PULL_INTERVAL_MS });
    expect(Date.now() - outAt).toBeLessThanOrEqual(2 * PULL_INTERVAL_MS);
    await expect(manager.getByTestId('kiosk-reasons-kiosk-1').innerText()).resolves.toContain('打印机缺纸');
    await manager.getByTestId('alert-kiosk-1-printer-paper-out').waitFor();
    await expectAccessible(manager, 'kiosk wall with a red kiosk');
    await screenshot(manager, 'manager-kiosk-wall.png');
    stack.sim.setFaults({ paperOut: false });
  });

  it('shows the statistics with charts, tables by every grouping and their CSV', async () => {
    await manager.getByTestId('nav-stats').click();
    await manager.locator('[data-testid="stats-table"][data-by="day"]').waitFor();
    // ECharts loaded under the pages' CSP and drew.
    await manager.locator('[data-testid="chart-volume"] svg').waitFor();
    await expectAccessible(manager, 'statistics');
    await manager.getByTestId('preset-last-30').click();
    await manager.locator('[data-testid="preset-last-30"][aria-pressed="true"]').waitFor();
    for (const by of ['hour', 'service', 'counter', 'clerk']) {
      await manager.getByTestId(`group-${by}`).click();
      await manager.locator(`[data-testid="stats-table"][data-by="${by}"]`).waitFor();
    }
    const href = await manager.getByTestId('stats-csv').getAttribute('href');
    expect(href).toContain('by=clerk');
    const csv = await manager.request.get(href ?? '');
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toMatch(/^text\/csv/);
    expect((await csv.body()).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    await screenshot(manager, 'manager-stats.png');
  });

  it('is all there in English, every configuration page passes axe, and no rule of the pages was broken', async () => {
    await manager.getByTestId('lang-toggle').click();
    expect(await manager.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.lang)).toBe('en');
    await expect(manager.getByTestId('nav-config').innerText()).resolves.toBe('Configuration');
    await expectAccessible(manager, 'statistics in English');
    for (const tab of ['services', 'counters', 'kiosks', 'hall', 'audit'] as const) {
      await openConfigTab(tab);
      await expectAccessible(manager, `configuration: ${tab}`);
    }
    // Every change of the hall above is in its change log, by the manager who made it.
    const lines = await manager.getByTestId('audit-line').allInnerTexts();
    expect(lines.some((l) => l.includes('赵主任') && l.includes('service:social-insurance'))).toBe(true);
    expect(lines.some((l) => l.includes('kiosk:kiosk-7'))).toBe(true);
    await manager.locator('[data-testid="audit-line"] summary').first().click();
    expect(await manager.content()).not.toContain(issuedToken);
    await openConfigTab('counters');
    await manager.getByTestId('counter-new').click();
    await manager.getByTestId('counter-editor').waitFor();
    await expectAccessible(manager, 'counter editor');
    // The stale write above was refused on purpose: its 409 is the one failed load expected.
    expect(problems.filter((p) => !/status of 409/.test(p))).toEqual([]);
  });
});
