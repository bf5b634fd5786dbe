import type { Page } from 'playwright-core';
import type { AnnouncementRecord } from '../../../common/browser/voice/announcement-queue.js';
import type { HallVoiceHook } from '../../../common/browser/voice/hall-voice-hook.js';
import { callClips, type CallToAnnounce, type ClipRef } from '../../../common/voice/call-announcement.js';
import { VoiceLanguage } from '../../../common/voice/clip-set.js';
import { CHROMIUM_ARGS } from './kiosk-stack.js';

/**
 * The portal's pages (the counter console at `/counter/`, the hall display at `/display/`) as the
 * end-to-end tests drive them in Chromium: what the tests read in a page, the voice queue of the
 * display (`window.__hallVoice`), and the console's sign-in.
 */

/** What the tests read in the page, typed here (the Node-side tests have no DOM library). */
export interface PageGlobals {
  __hallVoice?: HallVoiceHook;
  document: { cookie: string; documentElement: { lang: string } };
  localStorage: { getItem(key: string): string | null };
  getComputedStyle(element: unknown): { animationName: string; backgroundColor: string };
}

/** The display speaks without anyone touching it. */
export const PAGES_CHROMIUM_ARGS = [...CHROMIUM_ARGS, '--autoplay-policy=no-user-gesture-required'];

export interface VoiceSnapshot {
  queue: AnnouncementRecord[];
  history: AnnouncementRecord[];
}

/** The display's announcement queue (being said, then waiting) and what it has said. */
export function voiceOf(wall: Page): Promise<VoiceSnapshot> {
  return wall.evaluate(() => {
    const hook = (globalThis as unknown as PageGlobals).__hallVoice;
    return { queue: hook?.queue ?? [], history: hook?.history ?? [] };
  });
}

/** The latest announcement of `number` the display has finished saying (and `predicate` accepts). */
export async function said(
  wall: Page,
  number: string,
  predicate: (r: AnnouncementRecord) => boolean = () => true,
  timeoutMs = 60_000,
): Promise<AnnouncementRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { history } = await voiceOf(wall);
    const found = history.filter((r) => r.number === number && predicate(r)).at(-1);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`the display never said ${number}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * An announcement of `number` (queued, being said or said) that `predicate` accepts and whose id
 * is not in `seen`; it is added to `seen`, so the next look finds the next announcement.
 */
export async function announced(
  wall: Page,
  number: string,
  predicate: (r: AnnouncementRecord) => boolean,
  seen: Set<number>,
  timeoutMs = 10_000,
): Promise<AnnouncementRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { queue, history } = await voiceOf(wall);
    const found = [...history, ...queue].find((r) => r.number === number && !seen.has(r.id) && predicate(r));
    if (found) {
      seen.add(found.id);
      return found;
    }
    if (Date.now() > deadline) throw new Error(`the display never queued an announcement of ${number}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Every clip a call is announced with under the hall's voice settings: the Chinese sentence (and
 * the English one after it when the hall wants English), all of it `voiceRepeat` times.
 */
export function expectedClips(call: CallToAnnounce, settings: { voiceRepeat: number; voiceEnglish: boolean }): ClipRef[] {
  const once = [...callClips(call, VoiceLanguage.Zh), ...(settings.voiceEnglish ? callClips(call, VoiceLanguage.En) : [])];
  return Array.from({ length: settings.voiceRepeat }, () => once).flat();
}

/** Waits until the wall shows the call of `number` in `status` (called, serving, held, …). */
export function onWall(wall: Page, number: string, status: string): Promise<void> {
  return wall.locator(`[data-testid="call-${number}"][data-status="${status}"]`).waitFor();
}

/** Collects console errors, CSP reports and uncaught exceptions of a page into `problems`. */
export function watchForProblems(page: Page, name: string, problems: string[]): void {
  page.on('console', (message) => {
    const text = message.text();
    // The console asks for a session before sign-in: that 401 is the expected answer.
    if (message.type() === 'error' && !/status of 401/.test(text)) problems.push(`${name}: ${text}`);
    if (/Content Security Policy/i.test(text)) problems.push(`${name}: ${text}`);
  });
  page.on('pageerror', (err) => problems.push(`${name}: ${err.message}`));
}

/** Signs in on the counter console with a password and takes a counter; resolves once the console shows. */
export async function signInAtCounter(
  page: Page,
  portalUrl: string,
  account: { username: string; password: string; counterId: string },
): Promise<void> {
  await page.goto(`${portalUrl}/counter/`);
  await page.getByTestId('username').fill(account.username);
  await page.getByTestId('password').fill(account.password);
  await page.getByTestId('password').press('Enter');
  await page.getByTestId('choose-counter').waitFor();
  await page.locator(`[data-testid="counter-${account.counterId}"] input`).check();
  await page.getByTestId('take-counter').click();
  await page.getByTestId('console').waitFor();
}
