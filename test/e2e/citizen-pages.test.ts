/**
 * The citizen pages (一网通办) in Debian's Chromium on a 360 × 740 phone screen, against a real
 * portal (PostgreSQL, the booking, cases and ratings domains): the guide found by pinyin initials,
 * the booking journey (ID number checked on the page, hold with its countdown, confirmation with
 * the reference, its QR code and the cancel code; a second booking of the day refused; cancelling
 * frees the place), a case's progress with its e-certificate, the certificate verified and a
 * tampered one refused, a served ticket rated once. Every page and state passes axe (no serious or
 * critical violation) and breaks no CSP rule. Needs `npm run build:web` (npm run test:e2e builds first).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlotsResponse } from '../../common/contract/booking-api.js';
import { CaseStatus } from '../../common/contract/cases-api.js';
import { certificateVerifyPath, citizenRatePath } from '../../common/contract/citizen-pages.js';
import { CallNextResponse } from '../../common/contract/counter-api.js';
import { StaffRole } from '../../common/contract/route-spec.js';
import { PushResponse } from '../../common/contract/sync-api.js';
import { citizenHmacOf } from '../../portal/citizen/citizen-hmac.js';
import { addStaffKey } from '../../portal/counter/counter-test-kit.js';
import { pagesConfigFromEnv } from '../../portal/pages/pages-config.js';
import { DEMO_HALL_ID, ID_NUMBER, KIOSK_TOKEN, STAFF_TOKEN, startPortalHarness, ticketIssuedEvent, type PortalHarness } from '../../portal/test-support/portal-harness.js';
import type { PageGlobals } from './support/hall-pages.js';
import { CHROMIUM_ARGS } from './support/kiosk-stack.js';
import { screenshot } from './support/screenshots.js';

const MANAGER_TOKEN = 'e2e-citizen-manager-token';
/** The example number with its check character changed: the page must catch it before sending. */
const MISTYPED_ID = `${ID_NUMBER.slice(0, 17)}3`;
const DB_EPOCH = randomUUID();

let h: PortalHarness;
let profile: string;
let context: BrowserContext;
let page: Page;
let citizenHmac = '';
let pushSeq = 0;
let series = 300;
const problems: string[] = [];

/** What axe finds serious or critical on the page (WCAG 2.1 A and AA rules). */
async function accessibilityProblems(target: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page: target }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function expectAccessible(target: Page, what: string): Promise<void> {
  expect(await accessibilityProblems(target), what).toEqual([]);
  // Mobile first: nothing wider than the phone.
  const overflow = await target.evaluate(() => {
    const doc = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document;
    return doc.documentElement.scrollWidth - doc.documentElement.clientWidth;
  });
  expect(overflow, `${what}: horizontal scroll`).toBeLessThanOrEqual(0);
}

function watch(target: Page): void {
  target.on('console', (message) => {
    const text = message.text();
    // Refusals the tests provoke (409, 410) are logged by Chromium as failed loads: expected.
    if (message.type() === 'error' && !/Failed to load resource/.test(text)) problems.push(text);
    if (/Content Security Policy/i.test(text)) problems.push(text);
  });
  target.on('pageerror', (err) => problems.push(err.message));
}

async function slotsOf(serviceId: string): Promise<z.infer<typeof SlotsResponse>> {
  const answer = await h.request('GET', `/v1/citizen/halls/${DEMO_HALL_ID}/services/${serviceId}/slots`);
  expect(answer.status).toBe(200);
  return SlotsResponse.parse(answer.body);
}

async function staff(token: string, method: 'GET' | 'POST', route: string, body?: unknown): Promise<unknown> {
  const answer = await h.request(method, route, { token, ...(body === undefined ? {} : { body }) });
  if (answer.status !== 200) throw new Error(`${method} ${route}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** A visitor's ticket pushed by the kiosk and called at window-1: its id and number. */
async function ticketAtCounter(visitor: { citizenHmac: string | null }): Promise<{ ticketId: string; number: string }> {
  const event = ticketIssuedEvent(++pushSeq, { number: `A1-${series++}`, ...visitor });
  const pushed = await h.request('POST', '/v1/kiosk/events', { token: KIOSK_TOKEN, body: { dbEpoch: DB_EPOCH, events: [event] } });
  expect(PushResponse.parse(pushed.body).rejected).toEqual([]);
  await staff(STAFF_TOKEN, 'POST', '/v1/counter/counters/window-1/sign-in', {});
  const called = CallNextResponse.parse(await staff(STAFF_TOKEN, 'POST', '/v1/counter/call-next', { counterId: 'window-1', serviceIds: [] }));
  expect(called.ticket?.ticketId).toBe(event.payload.ticketId);
  return { ticketId: event.payload.ticketId, number: event.payload.number };
}

beforeAll(async () => {
  if (!existsSync(path.join(pagesConfigFromEnv(process.env).webDir, 'citizen', 'index.html'))) {
    throw new Error('portal/web/dist is missing: run `npm run build:web` first');
  }
  h = await startPortalHarness();
  await addStaffKey(h.db.pool, DEMO_HALL_ID, 'e2e-manager', StaffRole.Manager, MANAGER_TOKEN);
  const key = await h.db.pool.query<{ citizen_hmac_key: string }>('SELECT citizen_hmac_key FROM halls WHERE hall_id = $1', [DEMO_HALL_ID]);
  citizenHmac = citizenHmacOf(key.rows[0]?.citizen_hmac_key ?? '', ID_NUMBER);
  profile = mkdtempSync(path.join(os.tmpdir(), 'hk-citizen-profile-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.KIOSK_CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    viewport: { width: 360, height: 740 },
    locale: 'zh-CN',
  });
  page = context.pages()[0] ?? (await context.newPage());
  watch(page);
});

afterAll(async () => {
  await context?.close();
  await h?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

describe('the citizen pages on a phone', () => {
  it('find a service by its pinyin initials and show its guide, in Chinese and in English', async () => {
    await page.goto(`${h.baseUrl}/citizen/`);
    await page.getByTestId('service-list').waitFor();
    // The only hall is chosen for the citizen, in the address too.
    expect(new URL(page.url()).searchParams.get('hall')).toBe(DEMO_HALL_ID);
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.lang)).toBe('zh-CN');
    await expectAccessible(page, 'guide list');

    await page.getByTestId('guide-search').fill('gjj');
    await page.getByTestId('result-count').filter({ hasText: '共 1 项' }).waitFor();
    expect(await page.locator('[data-testid="service-list"] > li').count()).toBe(1);
    expect(await page.getByTestId('service-housing-fund').innerText()).toContain('住房公积金');

    await page.getByTestId('guide-search').fill('');
    await page.locator('[data-testid="service-social-insurance"] h2 a').click();
    await page.getByTestId('service-guide').waitFor();
    expect(new URL(page.url()).pathname).toBe('/citizen/guide');
    expect(await page.getByTestId('materials').innerText()).toContain('居民身份证');
    expect(await page.getByTestId('hours').innerText()).toContain('09:00–12:00');
    // After a move inside the pages, the new page's heading has the focus (a screen reader reads it).
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { tagName: string } | null } }).document.activeElement?.tagName)).toBe('H1');
    await expectAccessible(page, 'service guide');
    await screenshot(page, 'citizen-guide.png');

    await page.getByTestId('lang-toggle').click();
    await page.getByTestId('service-title').filter({ hasText: 'Social Insurance' }).waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.lang)).toBe('en');
    await expectAccessible(page, 'service guide in English');
    await page.getByTestId('lang-toggle').click();
    await page.getByTestId('service-title').filter({ hasText: '社会保障' }).waitFor();
  });

  it('book: day, slot, ID number (checked on the page), hold with a countdown, confirm — reference, QR and cancel code; then cancel frees the place', async () => {
    await page.getByTestId('book-service').click();
    await page.locator('[data-testid="booking"][data-phase="choosing"]').waitFor();
    await expectAccessible(page, 'booking: choose a day');
    await page.locator('[data-testid="days"] label:has(input:not([disabled]))').first().click();
    const slot = page.locator('[data-testid="slots"] label:has(input:not([disabled]))').first();
    const slotStart = await slot.locator('input').getAttribute('value');
    const day = (await page.locator('[data-testid="days"] input:checked').getAttribute('value')) ?? '';
    await slot.click();
    const before = (await slotsOf('social-insurance')).slots.find((s) => s.start === slotStart);
    expect(before?.available).toBeGreaterThan(0);

    // A mistyped ID number is caught on the page: nothing is sent.
    const holds: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/v1/citizen/bookings/hold')) holds.push(request.method());
    });
    await page.getByTestId('id-number').fill(MISTYPED_ID);
    await page.getByTestId('hold').click();
    await page.getByTestId('id-problem').waitFor();
    expect(await page.getByTestId('id-problem').innerText()).toContain('校验位');
    expect(holds).toEqual([]);
    await expectAccessible(page, 'booking: ID number problem');

    await page.getByTestId('id-number').fill(ID_NUMBER);
    await screenshot(page, 'citizen-booking.png');
    await page.getByTestId('hold').click();
    await page.getByTestId('held').waitFor();
    expect(holds).toEqual(['POST']);
    expect(await page.getByTestId('countdown').innerText()).toMatch(/^\d+:\d{2}$/);
    // Held places count: the portal shows one place fewer already.
    expect((await slotsOf('social-insurance')).slots.find((s) => s.start === slotStart)?.available).toBe((before?.available ?? 0) - 1);
    await expectAccessible(page, 'booking: held');

    await page.getByTestId('confirm').click();
    await page.getByTestId('confirmation').waitFor();
    const reference = await page.getByTestId('reference').innerText();
    expect(reference).toMatch(/^[A-Z0-9-]{6,32}$/);
    const qr = page.getByTestId('booking-qr');
    expect(await qr.getAttribute('data-payload')).toBe(reference);
    expect(await qr.locator('path').getAttribute('d')).toMatch(/^M4 4h7v1h-7z/);
    expect((await qr.boundingBox())?.width).toBeGreaterThan(150);
    const cancelCode = await page.getByTestId('cancel-code').innerText();
    expect(cancelCode).toMatch(/^\d{6}$/);
    expect(await page.getByTestId('cancel-code-warning').innerText()).toContain('只显示这一次');
    expect(await page.getByTestId('check-in-window').innerText()).toMatch(/\d{2}:\d{2} 至 \d{2}:\d{2}/);
    expect((await slotsOf('social-insurance')).slots.find((s) => s.start === slotStart)?.available).toBe((before?.available ?? 0) - 1);
    await expectAccessible(page, 'booking: confirmation');
    await screenshot(page, 'citizen-booking-confirmation.png');

    // One booking per service per day: a second one that day is refused with the reason.
    const second = await context.newPage();
    watch(second);
    await second.goto(`${h.baseUrl}/citizen/book?hall=${DEMO_HALL_ID}&service=social-insurance`);
    await second.getByTestId(`day-${day}`).click();
    await second.locator('[data-testid="slots"] label:has(input:not([disabled]))').last().click();
    await second.getByTestId('id-number').fill(ID_NUMBER);
    await second.getByTestId('hold').click();
    await second.locator('[data-testid="error"][data-code="already-booked"]').waitFor();
    expect(await second.getByTestId('error').innerText()).toContain('每天只能预约一次');
    await expectAccessible(second, 'booking: refused');
    await second.close();

    await page.getByTestId('cancel-this').click();
    await page.getByTestId('cancel-form').waitFor();
    expect(await page.getByTestId('cancel-reference').inputValue()).toBe(reference);
    await expectAccessible(page, 'cancel form');
    await page.getByTestId('cancel-code-input').fill('000000' === cancelCode ? '111111' : '000000');
    await page.getByTestId('cancel-submit').click();
    await page.locator('[data-testid="error"]').waitFor();
    await page.getByTestId('cancel-code-input').fill(cancelCode);
    await page.getByTestId('cancel-submit').click();
    await page.getByTestId('cancelled').waitFor();
    expect(await page.getByTestId('cancelled').innerText()).toContain(reference);
    expect((await slotsOf('social-insurance')).slots.find((s) => s.start === slotStart)?.available).toBe(before?.available);
    await expectAccessible(page, 'cancelled');
  });

  it('show a case’s progress and its e-certificate, which verifies — and a tampered code does not', async () => {
    const { ticketId } = await ticketAtCounter({ citizenHmac });
    await staff(STAFF_TOKEN, 'POST', `/v1/counter/tickets/${ticketId}/complete`, { caseNumber: 'SB-E2E-0001' });
    await staff(STAFF_TOKEN, 'POST', '/v1/cases/SB-E2E-0001/status', { status: CaseStatus.Processing, note: '材料齐全，已送审' });
    await staff(MANAGER_TOKEN, 'POST', '/v1/cases/SB-E2E-0001/status', {
      status: CaseStatus.Concluded,
      certificateTitle: { zh: '社保参保证明', en: 'Social insurance enrolment certificate' },
    });

    await page.goto(`${h.baseUrl}/citizen/progress?hall=${DEMO_HALL_ID}`);
    await page.getByTestId('progress-form').waitFor();
    await expectAccessible(page, 'progress form');
    await page.getByTestId('case-number').fill('sb-e2e-0001');
    await page.getByTestId('progress-id-number').fill(ID_NUMBER);
    await page.getByTestId('lookup').click();
    await page.getByTestId('case').waitFor();
    expect(await page.getByTestId('case-status').innerText()).toBe('办结');
    expect(await page.getByTestId('timeline').innerText()).toContain('材料齐全，已送审');
    expect(await page.getByTestId('certificate-title').innerText()).toBe('社保参保证明');
    const code = (await page.getByTestId('certificate-qr').getAttribute('data-payload')) ?? '';
    expect(code).toMatch(/^HKC1\./);
    await expectAccessible(page, 'progress with a certificate');
    await screenshot(page, 'citizen-progress.png');

    await page.getByTestId('verify-this').click();
    await page.locator('[data-testid="verdict"][data-verdict="valid"]').waitFor();
    expect(await page.getByTestId('verdict-title').innerText()).toBe('证照真实有效');
    await expectAccessible(page, 'verify: valid');

    // The holder's name altered in the payload, the signature kept: forged or altered.
    const [prefix, keyId, payload = '', signature] = code.split('.');
    const altered = { ...(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>), holderName: '李*四' };
    const tampered = [prefix, keyId, Buffer.from(JSON.stringify(altered), 'utf8').toString('base64url'), signature].join('.');
    await page.goto(`${h.baseUrl}${certificateVerifyPath(tampered)}`);
    await page.locator('[data-testid="verdict"][data-verdict="bad-signature"]').waitFor();
    expect(await page.getByTestId('verdict-title').innerText()).toBe('证照已被伪造或篡改');
    // The forged claims are not repeated as if they were true.
    expect(await page.getByTestId('verdict').innerText()).not.toContain('李*四');
    await expectAccessible(page, 'verify: forged');
    await page.goto(`${h.baseUrl}${certificateVerifyPath([prefix, 'no-such-key', payload, signature].join('.'))}`);
    await page.locator('[data-testid="verdict"][data-verdict="unknown-key"]').waitFor();
    await page.goto(`${h.baseUrl}/citizen/verify`);
    await page.getByTestId('verify-form').waitFor();
    await expectAccessible(page, 'verify form');
  });

  it('rate a served ticket from its receipt link, once', async () => {
    const { ticketId, number } = await ticketAtCounter({ citizenHmac: null });
    await staff(STAFF_TOKEN, 'POST', `/v1/counter/tickets/${ticketId}/complete`, {});

    await page.goto(`${h.baseUrl}/citizen/rate`);
    await page.getByTestId('ticket-form').waitFor();
    await expectAccessible(page, 'rating: ticket form');

    await page.goto(`${h.baseUrl}${citizenRatePath(ticketId, number)}`);
    await page.getByTestId('rating-form').waitFor();
    expect(await page.getByTestId('rated-ticket').innerText()).toContain(number);
    await expectAccessible(page, 'rating form');
    // 整体 first fills the others; 态度 changed on its own.
    await page.locator('[data-testid="dimension-overall"] label', { hasText: /^满意$/ }).click();
    await page.locator('[data-testid="dimension-attitude"] label', { hasText: /^非常满意$/ }).click();
    await page.getByTestId('rating-comment').fill('窗口工作人员很耐心');
    await screenshot(page, 'citizen-rating.png');
    await page.getByTestId('rating-submit').click();
    await page.getByTestId('thanks').waitFor();
    await expectAccessible(page, 'rating: thanks');
    const stored = await h.db.pool.query('SELECT overall, efficiency, attitude, comment, channel FROM ratings WHERE ticket_id = $1', [ticketId]);
    expect(stored.rows).toEqual([{ overall: 'satisfied', efficiency: 'satisfied', attitude: 'very-satisfied', comment: '窗口工作人员很耐心', channel: 'web' }]);

    // 一次一评: the same link again is refused with the reason.
    await page.goto(`${h.baseUrl}${citizenRatePath(ticketId, number)}`);
    await page.locator('[data-testid="dimension-overall"] label', { hasText: /^不满意$/ }).click();
    await page.getByTestId('rating-submit').click();
    await page.locator('[data-testid="error"][data-code="already-rated"]').waitFor();
    await expectAccessible(page, 'rating: already rated');
  });

  it('broke no CSP rule and threw nothing', () => {
    expect(problems).toEqual([]);
  });
});
