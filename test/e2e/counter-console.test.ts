/**
 * The counter console and the hall display side by side in Debian's Chromium, against a real
 * portal: a clerk signs in with a password, takes a counter and works a ticket through its life
 * with the F-keys (call, recall, hold, call back, start, transfer, no-show, complete). Each step
 * shows on the console and on the wall without a reload, and the display says each call with the
 * expected clips. Needs `npm run build:web` (npm run test:e2e builds first).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PushResponse } from '../../common/contract/sync-api.js';
import { callClips } from '../../common/voice/call-announcement.js';
import { VoiceLanguage } from '../../common/voice/clip-set.js';
import { pagesConfigFromEnv } from '../../portal/pages/pages-config.js';
import { DEMO_STAFF_ACCOUNTS, DEMO_STAFF_PASSWORD } from '../../portal/seed/demo-credentials.js';
import { seedDemoHall } from '../../portal/seed/demo-hall.js';
import {
  KIOSK_ID,
  KIOSK_ID_2,
  KIOSK_TOKEN,
  KIOSK_TOKEN_2,
  STAFF_TOKEN,
  startPortalHarness,
  ticketIssuedEvent,
  type PortalHarness,
} from '../../portal/test-support/portal-harness.js';
import { onWall, PAGES_CHROMIUM_ARGS, said, watchForProblems, type PageGlobals } from './support/hall-pages.js';
import { screenshot } from './support/screenshots.js';

const DISPLAY_TOKEN = 'e2e-console-display-token';

let h: PortalHarness;
let profile: string;
let context: BrowserContext;
let clerk: Page;
let wall: Page;
const problems: string[] = [];
let pushSeq = 0;
const DB_EPOCH = crypto.randomUUID();

async function push(number: string, serviceId: string): Promise<void> {
  const event = ticketIssuedEvent(++pushSeq, { number, serviceId });
  const answer = await h.request('POST', '/v1/kiosk/events', { token: KIOSK_TOKEN, body: { dbEpoch: DB_EPOCH, events: [event] } });
  expect(PushResponse.parse(answer.body).rejected).toEqual([]);
}

/** What axe finds serious or critical on the page (WCAG 2.1 A and AA rules). */
async function accessibilityProblems(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

beforeAll(async () => {
  if (!existsSync(path.join(pagesConfigFromEnv(process.env).webDir, 'counter', 'index.html'))) {
    throw new Error('portal/web/dist is missing: run `npm run build:web` first');
  }
  h = await startPortalHarness();
  await seedDemoHall(h.db.pool, {
    kioskTokens: [
      { kioskId: KIOSK_ID, token: KIOSK_TOKEN, kioskDigit: 1 },
      { kioskId: KIOSK_ID_2, token: KIOSK_TOKEN_2, kioskDigit: 2 },
    ],
    staffToken: STAFF_TOKEN,
    displayToken: DISPLAY_TOKEN,
    staffAccounts: DEMO_STAFF_ACCOUNTS,
  });
  // One Chinese sentence per call: the test waits for each to be said.
  await h.db.pool.query('UPDATE halls SET voice_repeat = 1, voice_english = false');
  profile = mkdtempSync(path.join(os.tmpdir(), 'hk-console-profile-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.KIOSK_CHROMIUM ?? '/usr/bin/chromium',
    args: PAGES_CHROMIUM_ARGS,
    viewport: { width: 1440, height: 900 },
  });
  wall = context.pages()[0] ?? (await context.newPage());
  clerk = await context.newPage();
  watchForProblems(wall, 'display', problems);
  watchForProblems(clerk, 'console', problems);
  await wall.goto(`${h.baseUrl}/display/#token=${DISPLAY_TOKEN}`);
  await wall.locator('[data-testid="display"][data-phase="showing"]').waitFor();
});

afterAll(async () => {
  await context?.close();
  await h?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

describe('the counter console in Chromium', () => {
  it('signs in with a password, takes a counter and sees the queue in calling order', async () => {
    await push('A1-801', 'social-insurance');
    await push('A1-802', 'social-insurance');
    await clerk.goto(`${h.baseUrl}/counter/`);
    await clerk.getByTestId('username').waitFor();
    expect(await accessibilityProblems(clerk)).toEqual([]);
    await clerk.getByTestId('username').fill('clerk1');
    await clerk.getByTestId('password').fill(DEMO_STAFF_PASSWORD);
    await clerk.getByTestId('password').press('Enter');
    await clerk.getByTestId('choose-counter').waitFor();
    // The page never sees the session id: the cookie is httpOnly.
    expect(await clerk.evaluate(() => (globalThis as unknown as PageGlobals).document.cookie)).toBe('');
    await clerk.locator('[data-testid="counter-window-2"] input').check();
    await clerk.getByTestId('take-counter').click();
    await clerk.getByTestId('console').waitFor();
    await expect(clerk.getByTestId('counter-title').innerText()).resolves.toContain('2 号窗口');
    await clerk.getByTestId('waiting-A1-801').waitFor();
    const order = await clerk.locator('[data-testid^="waiting-A1-"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid')));
    expect(order).toEqual(['waiting-A1-801', 'waiting-A1-802']);
    // Pushed, not reloaded: a ticket taken now appears by itself.
    await push('A1-803', 'social-insurance');
    await clerk.getByTestId('waiting-A1-803').waitFor();
  });

  it('calls (F1) and recalls (F2): the console, the wall and the voice follow', async () => {
    await clerk.keyboard.press('F1');
    await clerk.locator('[data-testid="current-number"]', { hasText: 'A1-801' }).waitFor();
    await onWall(wall, 'A1-801', 'called');
    const call = await said(wall, 'A1-801');
    expect(call.clips).toEqual(callClips({ number: 'A1-801', counterNumber: 2, recall: false }, VoiceLanguage.Zh));
    expect(call.outcomes).toEqual(['clips']);

    await clerk.keyboard.press('F2');
    await clerk.locator('[data-testid="current-calls"]', { hasText: '2 次' }).waitFor();
    await wall.getByTestId('recall-badge').waitFor();
    const recall = await said(wall, 'A1-801', (r) => r.recall);
    expect(recall.clips).toEqual(callClips({ number: 'A1-801', counterNumber: 2, recall: true }, VoiceLanguage.Zh));
    await screenshot(clerk, 'counter-console.png');
    expect(await accessibilityProblems(clerk)).toEqual([]);
    expect(await accessibilityProblems(wall)).toEqual([]);
  });

  it('holds (F6) and calls back (F7) through its dialog', async () => {
    await clerk.keyboard.press('F6');
    await clerk.getByTestId('current-empty').waitFor();
    await clerk.getByTestId('held-A1-801').waitFor();
    await onWall(wall, 'A1-801', 'held');

    await clerk.keyboard.press('F7');
    await clerk.getByTestId('call-back-dialog').waitFor();
    await clerk.getByTestId('call-back-choose-A1-801').click();
    await clerk.locator('[data-testid="current-number"]', { hasText: 'A1-801' }).waitFor();
    await onWall(wall, 'A1-801', 'called');
    expect(await wall.getByTestId('call-A1-801').getAttribute('data-fresh')).toBe('true');
  });

  it('starts (F3) and transfers (F8) to another service, keeping the number', async () => {
    await clerk.keyboard.press('F3');
    await clerk.locator('[data-testid="current-status"]', { hasText: '办理中' }).waitFor();
    await onWall(wall, 'A1-801', 'serving');

    await clerk.keyboard.press('F8');
    await clerk.getByTestId('transfer-dialog').waitFor();
    expect(await accessibilityProblems(clerk)).toEqual([]);
    await clerk.getByTestId('transfer-target').selectOption('housing-fund');
    await clerk.getByTestId('transfer-confirm').click();
    await clerk.getByTestId('current-empty').waitFor();
    await onWall(wall, 'A1-801', 'waiting');
    await expect(wall.getByTestId('call-A1-801').getByTestId('status-badge').innerText()).resolves.toBe('已转移');
  });

  it('marks a no-show (F5) and completes (F4) with a case number', async () => {
    await clerk.keyboard.press('F1');
    await clerk.locator('[data-testid="current-number"]', { hasText: 'A1-802' }).waitFor();
    await clerk.keyboard.press('F5');
    await clerk.getByTestId('no-shows-A1-802').waitFor();
    await onWall(wall, 'A1-802', 'no-show');

    await clerk.keyboard.press('F1');
    await clerk.locator('[data-testid="current-number"]', { hasText: 'A1-803' }).waitFor();
    await clerk.keyboard.press('F4');
    await clerk.getByTestId('case-number').fill('SB-2025-0042');
    await clerk.getByTestId('case-number').press('Enter');
    await clerk.getByTestId('current-empty').waitFor();
    await onWall(wall, 'A1-803', 'done');
    const stored = await h.db.pool.query<{ case_number: string | null; status: string }>("SELECT case_number, status FROM tickets WHERE number = 'A1-803'");
    expect(stored.rows[0]).toEqual({ case_number: 'SB-2025-0042', status: 'done' });

    // The visitor rates the visit on the prompt (好差评) with the keyboard: the first level has the focus.
    await clerk.getByTestId('rating-panel').waitFor();
    expect(await accessibilityProblems(clerk)).toEqual([]);
    type Focus = { document: { activeElement: { getAttribute(name: string): string | null } | null } };
    const focused = () => clerk.evaluate(() => (globalThis as unknown as Focus).document.activeElement?.getAttribute('data-testid') ?? null);
    await expect.poll(focused).toBe('rating-overall-very-satisfied');
    await clerk.keyboard.press('ArrowRight');
    expect(await clerk.getByTestId('rating-overall-satisfied').isChecked()).toBe(true);
    await clerk.getByTestId('rating-comment').fill('办事很快');
    await clerk.getByTestId('rating-submit').click();
    await clerk.getByTestId('rating-thanks').waitFor();
    const rated = await h.db.pool.query<{ channel: string; overall: string; attitude: string; counter_id: string; staff_id: string }>(
      "SELECT r.channel, r.overall, r.attitude, r.counter_id, r.staff_id FROM ratings r JOIN tickets t USING (hall_id, ticket_id) WHERE t.number = 'A1-803'",
    );
    expect(rated.rows).toEqual([{ channel: 'counter', overall: 'satisfied', attitude: 'satisfied', counter_id: 'window-2', staff_id: 'clerk1' }]);
  });

  it('switches to English, pauses and resumes, and broke no rule of the pages on the way', async () => {
    await clerk.getByTestId('lang-toggle').click();
    await expect(clerk.getByTestId('action-call-next').innerText()).resolves.toContain('Call next');
    expect(await clerk.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.lang)).toBe('en');
    // Pause: no calls until resumed.
    await clerk.getByTestId('pause').click();
    await clerk.getByTestId('paused-notice').waitFor();
    await expect(clerk.getByTestId('counter-state').innerText()).resolves.toBe('Paused');
    expect(await clerk.getByTestId('action-call-next').isDisabled()).toBe(true);
    await clerk.getByTestId('resume').click();
    await clerk.getByTestId('paused-notice').waitFor({ state: 'detached' });
    expect(await clerk.getByTestId('action-call-next').isDisabled()).toBe(false);
    // Every announcement after the one before it: one voice at a time.
    const history = await wall.evaluate(() => (globalThis as unknown as PageGlobals).__hallVoice?.history ?? []);
    for (let i = 1; i < history.length; i++) expect(history[i]?.startedAt ?? 0).toBeGreaterThanOrEqual(history[i - 1]?.endedAt ?? Infinity);
    expect(problems).toEqual([]);
  });
});
