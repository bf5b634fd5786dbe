/**
 * The hall at work across its processes, in Debian's Chromium: a visitor takes a ticket on the
 * kiosk screen (the browser shell over the real kiosk runtime, printing to the printer simulator),
 * the kiosk pushes it to a real portal process, and it appears by itself on the counter console of
 * a clerk signed in with a password. The clerk calls it (F1): the hall display, a third page with
 * the display token, shows the call and queues its announcement with the expected clips. Then
 * recall, hold and call back, transfer, no-show and complete, each seen on the console and on the
 * wall. Every wait is on a condition, never a fixed sleep.
 *
 * The console's own behaviour (order of the line, dialogs, pause, accessibility) is
 * counter-console.test.ts; the display's (reconnects, blinking, reduced motion) hall-display.test.ts.
 * Needs `npm run build:renderer` and `npm run build:web` (npm run test:e2e builds both).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DisplayStateResponse } from '../../common/contract/display-api.js';
import { pagesConfigFromEnv } from '../../portal/pages/pages-config.js';
import { DEMO_DISPLAY_TOKEN, DEMO_STAFF_PASSWORD } from '../../portal/seed/demo-credentials.js';
import { announced, expectedClips, onWall, PAGES_CHROMIUM_ARGS, signInAtCounter, watchForProblems } from './support/hall-pages.js';
import { CHROMIUM_EXECUTABLE, startKioskStack, takeTicketOnScreen, type KioskStack } from './support/kiosk-stack.js';

const KIOSK_TOKEN = 'e2e-journey-kiosk-token';
const STAFF_TOKEN = 'e2e-journey-staff-token';
/** 1 号窗口 of the demo hall serves social insurance (prefix A). */
const COUNTER = { counterId: 'window-1', number: 1 };

let stack: KioskStack;
let browser: Browser;
let kiosk: Page;
let clerk: Page;
let wall: Page;
let voiceSettings: { voiceRepeat: number; voiceEnglish: boolean };
const problems: string[] = [];
/** Announcements already matched: each step looks for a new one. */
const heard = new Set<number>();
/** The tickets the visitors took, in order. */
const numbers: string[] = [];

/** The console shows `number` as its current visitor. */
const current = (number: string) => clerk.locator('[data-testid="current-number"]', { hasText: number }).waitFor();

/** The display queued (or said) a new announcement of this call, with every clip the hall's settings ask for. */
async function expectAnnounced(number: string, recall: boolean): Promise<void> {
  const record = await announced(wall, number, (r) => r.recall === recall, heard);
  expect(record.counterNumber).toBe(COUNTER.number);
  expect(record.clips).toEqual(expectedClips({ number, counterNumber: COUNTER.number, recall }, voiceSettings));
}

/** A visitor takes a social-insurance ticket on the kiosk screen and goes back to the start. */
async function takeTicket(): Promise<string> {
  const number = await takeTicketOnScreen(kiosk, 'social-insurance');
  numbers.push(number);
  await kiosk.getByTestId('done-button').click();
  await kiosk.getByTestId('service-social-insurance').waitFor();
  return number;
}

beforeAll(async () => {
  if (!existsSync(path.join(pagesConfigFromEnv(process.env).webDir, 'counter', 'index.html'))) {
    throw new Error('portal/web/dist is missing: run `npm run build:web` first');
  }
  stack = await startKioskStack({ kioskToken: KIOSK_TOKEN, staffToken: STAFF_TOKEN });
  const state = await fetch(`${stack.portalUrl}/v1/display/state`, { headers: { Authorization: `Bearer ${DEMO_DISPLAY_TOKEN}` } });
  expect(state.status).toBe(200);
  voiceSettings = DisplayStateResponse.parse(await state.json()).settings;

  browser = await chromium.launch({ executablePath: CHROMIUM_EXECUTABLE, args: PAGES_CHROMIUM_ARGS });
  // Three machines of the hall, three browser contexts: nothing shared between them but the portal.
  kiosk = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  clerk = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  wall = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  watchForProblems(clerk, 'console', problems);
  watchForProblems(wall, 'display', problems);

  await kiosk.goto(stack.host.newLaunchUrl());
  await kiosk.getByTestId('service-social-insurance').waitFor();
  await wall.goto(`${stack.portalUrl}/display/#token=${DEMO_DISPLAY_TOKEN}`);
  await wall.locator('[data-testid="display"][data-phase="showing"]').waitFor();
  await signInAtCounter(clerk, stack.portalUrl, { username: 'clerk1', password: DEMO_STAFF_PASSWORD, counterId: COUNTER.counterId });
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('a ticket from the kiosk screen to the counter and the wall', () => {
  it('appears on the console and in the wall’s waiting count once taken on the kiosk, without a reload', async () => {
    const number = await takeTicket();
    expect(number).toMatch(/^A\d{3}$/);
    await clerk.getByTestId(`waiting-${number}`).waitFor();
    await wall.locator('[data-testid="waiting-social-insurance"] [data-testid="waiting-count"]').filter({ hasText: '1 人' }).waitFor();
  });

  it('is called (F1): the wall shows it, new, and queues its announcement', async () => {
    const [number = ''] = numbers;
    await clerk.keyboard.press('F1');
    await current(number);
    await onWall(wall, number, 'called');
    expect(await wall.getByTestId(`call-${number}`).getAttribute('data-fresh')).toBe('true');
    expect(await wall.getByTestId(`call-${number}`).getByTestId('call-counter').innerText()).toContain(`${COUNTER.number} 号窗口`);
    await expectAnnounced(number, false);
  });

  it('is recalled (F2): twice called on the console, 重呼 on the wall and in the voice', async () => {
    const [number = ''] = numbers;
    await clerk.keyboard.press('F2');
    await clerk.locator('[data-testid="current-calls"]', { hasText: '2 次' }).waitFor();
    await wall.getByTestId(`call-${number}`).getByTestId('recall-badge').waitFor();
    await expectAnnounced(number, true);
  });

  it('is held (F6) and called back (F7)', async () => {
    const [number = ''] = numbers;
    await clerk.keyboard.press('F6');
    await clerk.getByTestId('current-empty').waitFor();
    await clerk.getByTestId(`held-${number}`).waitFor();
    await onWall(wall, number, 'held');

    await clerk.keyboard.press('F7');
    await clerk.getByTestId(`call-back-choose-${number}`).click();
    await current(number);
    await onWall(wall, number, 'called');
  });

  it('is transferred (F8) to the housing fund, keeping its number', async () => {
    const [number = ''] = numbers;
    await clerk.keyboard.press('F8');
    await clerk.getByTestId('transfer-target').selectOption('housing-fund');
    await clerk.getByTestId('transfer-confirm').click();
    await clerk.getByTestId('current-empty').waitFor();
    await onWall(wall, number, 'waiting');
    await expect(wall.getByTestId(`call-${number}`).getByTestId('status-badge').innerText()).resolves.toBe('已转移');
  });

  it('marks the next visitor a no-show (F5) and completes the one after (F3, F4)', async () => {
    const absent = await takeTicket();
    const present = await takeTicket();
    await clerk.getByTestId(`waiting-${present}`).waitFor();

    await clerk.keyboard.press('F1');
    await current(absent);
    await onWall(wall, absent, 'called');
    await clerk.keyboard.press('F5');
    await clerk.getByTestId(`no-shows-${absent}`).waitFor();
    await onWall(wall, absent, 'no-show');

    await clerk.keyboard.press('F1');
    await current(present);
    await expectAnnounced(present, false);
    await clerk.keyboard.press('F3');
    await onWall(wall, present, 'serving');
    await clerk.keyboard.press('F4');
    await clerk.getByTestId('case-number').press('Enter');
    await clerk.getByTestId('current-empty').waitFor();
    await onWall(wall, present, 'done');
    expect(problems).toEqual([]);
  });
});
