/**
 * The hall display in Debian's Chromium against a real portal (PostgreSQL, LISTEN/NOTIFY, SSE):
 * the display token moves from the URL to storage, a call made through the counter API appears
 * on the wall, blinking, and the voice queue says it with the expected clips (`(globalThis as unknown as PageGlobals).__hallVoice`,
 * so the test need not hear it). Needs `npm run build:web` (npm run test:e2e builds first).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallNextResponse } from '../../common/contract/counter-api.js';
import { PushResponse } from '../../common/contract/sync-api.js';
import { callClips } from '../../common/voice/call-announcement.js';
import { VoiceLanguage } from '../../common/voice/clip-set.js';
import { pagesConfigFromEnv } from '../../portal/pages/pages-config.js';
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
import { PAGES_CHROMIUM_ARGS, voiceOf, type PageGlobals } from './support/hall-pages.js';
import { until } from './support/kiosk-stack.js';
import { screenshot } from './support/screenshots.js';

const DISPLAY_TOKEN = 'e2e-hall-display-token';
const DB_EPOCH = crypto.randomUUID();
/** An announcement is said in real time: 2 × (Chinese + English) takes about 16 s. */
const SAID_WITHIN_MS = 60_000;

let h: PortalHarness;
let profile: string;
let context: BrowserContext;
let page: Page;
const pageProblems: string[] = [];

async function staff(method: 'GET' | 'POST', route: string, body?: unknown): Promise<unknown> {
  const answer = await h.request(method, route, { token: STAFF_TOKEN, ...(body === undefined ? {} : { body }) });
  if (answer.status !== 200) throw new Error(`${method} ${route}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

beforeAll(async () => {
  if (!existsSync(path.join(pagesConfigFromEnv(process.env).webDir, 'display', 'index.html'))) {
    throw new Error('portal/web/dist is missing: run `npm run build:web` first');
  }
  h = await startPortalHarness();
  // The harness's hall, plus a display token (a re-seed changes nothing else).
  await seedDemoHall(h.db.pool, {
    kioskTokens: [
      { kioskId: KIOSK_ID, token: KIOSK_TOKEN, kioskDigit: 1 },
      { kioskId: KIOSK_ID_2, token: KIOSK_TOKEN_2, kioskDigit: 2 },
    ],
    staffToken: STAFF_TOKEN,
    displayToken: DISPLAY_TOKEN,
  });
  await h.db.pool.query(
    `UPDATE halls SET voice_repeat = 2, voice_english = true,
       display_notice_zh = '请携带身份证件，保管好随身物品', display_notice_en = 'Please bring your ID card and keep your belongings with you'`,
  );
  profile = mkdtempSync(path.join(os.tmpdir(), 'hk-display-profile-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.KIOSK_CHROMIUM ?? '/usr/bin/chromium',
    args: PAGES_CHROMIUM_ARGS,
    viewport: { width: 1920, height: 1080 },
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) pageProblems.push(message.text());
  });
  page.on('pageerror', (err) => pageProblems.push(err.message));
});

afterAll(async () => {
  await context?.close();
  await h?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

describe('the hall display in Chromium', () => {
  it('takes its token out of the address, loads the hall and goes live', async () => {
    await page.goto(`${h.baseUrl}/display/#token=${DISPLAY_TOKEN}`);
    await page.locator('[data-testid="display"][data-phase="showing"]').waitFor();
    expect(new URL(page.url()).hash).toBe('');
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).localStorage.getItem('hall-display-token'))).toBe(DISPLAY_TOKEN);
    expect(await page.getByTestId('hall-name').innerText()).toContain('政务服务大厅');
    await expect(page.getByTestId('notice').innerText()).resolves.toContain('请携带身份证件');
    // Live once the stream said it is caught up: no connection notice on the wall.
    await page.getByTestId('feed-notice').waitFor({ state: 'detached' });
  });

  it('shows a call made through the counter API, blinking, and says it with the clip sequence', async () => {
    const event = ticketIssuedEvent(1, { number: 'A1-801' });
    const pushed = await h.request('POST', '/v1/kiosk/events', { token: KIOSK_TOKEN, body: { dbEpoch: DB_EPOCH, events: [event] } });
    expect(PushResponse.parse(pushed.body).rejected).toEqual([]);
    await page.locator('[data-testid="waiting-social-insurance"] [data-testid="waiting-count"]').filter({ hasText: '1 人' }).waitFor();

    await staff('POST', '/v1/counter/counters/window-8/sign-in', { serviceIds: [] });
    const called = CallNextResponse.parse(await staff('POST', '/v1/counter/call-next', { counterId: 'window-8' })).ticket;
    expect(called?.number).toBe('A1-801');

    const row = page.getByTestId('call-A1-801');
    await row.waitFor();
    expect(await row.getAttribute('data-fresh')).toBe('true');
    expect(await row.getAttribute('class')).toContain('call-lead');
    expect(await row.getByTestId('call-counter').innerText()).toContain('8 号窗口');
    await screenshot(page, 'hall-display.png');

    const once = [...callClips({ number: 'A1-801', counterNumber: 8, recall: false }, VoiceLanguage.Zh), ...callClips({ number: 'A1-801', counterNumber: 8, recall: false }, VoiceLanguage.En)];
    // Queued at once; said in real time (four sentences of about four seconds).
    const queued = await until('the call to be queued', async () => (await voiceOf(page)).queue.find((r) => r.number === 'A1-801'), 5_000);
    expect(queued.clips).toEqual([...once, ...once]);
    const said = await until('the call to be said', async () => (await voiceOf(page)).history.find((r) => r.number === 'A1-801'), SAID_WITHIN_MS);
    expect(said.clips).toEqual([...once, ...once]);
    expect(said.counterNumber).toBe(8);
    expect(said.recall).toBe(false);
    // Four sentences (zh, en, twice), each from the clips: Chromium fetched and decoded every one.
    expect(said.outcomes).toEqual(['clips', 'clips', 'clips', 'clips']);
    // The blink stops after a few seconds.
    await page.locator('[data-testid="call-A1-801"][data-fresh="false"]').waitFor({ timeout: 15_000 });
  });

  it('says a recall with 重呼 first, after the call, never both at once', async () => {
    const counters = (await staff('GET', '/v1/counter/counters')) as { counters: { counterId: string; currentTicket: { ticketId: string } | null }[] };
    const current = counters.counters.find((c) => c.counterId === 'window-8')?.currentTicket;
    expect(current).toBeTruthy();
    await staff('POST', `/v1/counter/tickets/${current?.ticketId}/recall`);

    const recall = await until('the recall to be said', async () => (await voiceOf(page)).history.find((r) => r.number === 'A1-801' && r.recall), SAID_WITHIN_MS);
    expect(recall.clips[0]).toEqual({ language: VoiceLanguage.Zh, clip: 'recall' });
    expect(recall.clips.slice(0, 3).map((c) => c.clip)).toEqual(['recall', 'please', 'letter-A']);
    const { history } = await voiceOf(page);
    // One voice at a time: each announcement starts after the one before it ended.
    for (let i = 1; i < history.length; i++) expect(history[i]?.startedAt ?? 0).toBeGreaterThanOrEqual(history[i - 1]?.endedAt ?? Infinity);
    await expect(page.getByTestId('recall-badge').innerText()).resolves.toBe('重呼');
  });

  it('shows what became of the call, keeps its token across a reload, and broke no CSP rule', async () => {
    const counters = (await staff('GET', '/v1/counter/counters')) as { counters: { counterId: string; currentTicket: { ticketId: string } | null }[] };
    const current = counters.counters.find((c) => c.counterId === 'window-8')?.currentTicket;
    await staff('POST', `/v1/counter/tickets/${current?.ticketId}/start`);
    await page.locator('[data-testid="call-A1-801"][data-status="serving"]').waitFor();
    expect(await page.getByTestId('call-A1-801').getByTestId('status-badge').innerText()).toBe('办理中');

    await page.reload();
    await page.locator('[data-testid="display"][data-phase="showing"]').waitFor();
    await page.getByTestId('call-A1-801').waitFor();
    expect(pageProblems).toEqual([]);
  });

  it('scrolls the notice, and holds it (and every blink) still for a viewer who asked for reduced motion', async () => {
    const animation = () => page.locator('.ticker-text').evaluate((el) => (globalThis as unknown as PageGlobals).getComputedStyle(el).animationName);
    expect(await animation()).toBe('ticker');
    await page.emulateMedia({ reducedMotion: 'reduce' });
    expect(await animation()).toBe('none');
    const event = ticketIssuedEvent(2, { number: 'A1-802' });
    const pushed = await h.request('POST', '/v1/kiosk/events', { token: KIOSK_TOKEN, body: { dbEpoch: DB_EPOCH, events: [event] } });
    expect(PushResponse.parse(pushed.body).rejected).toEqual([]);
    const counters = (await staff('GET', '/v1/counter/counters')) as { counters: { counterId: string; currentTicket: { ticketId: string } | null }[] };
    const current = counters.counters.find((c) => c.counterId === 'window-8')?.currentTicket;
    await staff('POST', `/v1/counter/tickets/${current?.ticketId}/complete`, { caseNumber: null });
    const next = CallNextResponse.parse(await staff('POST', '/v1/counter/call-next', { counterId: 'window-8' })).ticket;
    expect(next?.number).toBe('A1-802');
    const fresh = page.locator('[data-testid="call-A1-802"][data-fresh="true"]');
    await fresh.waitFor();
    // New, and marked so, but without blinking.
    expect(await fresh.evaluate((el) => (globalThis as unknown as PageGlobals).getComputedStyle(el).animationName)).toBe('none');
    expect(await fresh.evaluate((el) => (globalThis as unknown as PageGlobals).getComputedStyle(el).backgroundColor)).toBe('rgb(255, 210, 63)');
  });
});
