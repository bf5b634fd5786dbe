/**
 * Issue 4 end to end: Debian's Chromium drives the browser shell; the kiosk core reads the
 * simulated ID card reader and QR scanner over real pseudo-terminals (socat) and prints to the
 * printer simulator over TCP; the portal runs on a real PostgreSQL and hands out the citizen key.
 *
 * A card whose name has 䶮 is swiped, a ticket taken: the screen and the receipt show the masked
 * name (the receipt as a raster line, never '?'). With paper out before issuance the visitor gets
 * an on-screen ticket and the technician, after the PIN, sees the alert. Five wrong PINs lock the
 * technician screen.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeviceSimulators } from '../../devices/device-simulators.js';
import { SampleCardName } from '../../devices/id-card/simulator/sample-cards.js';
import type { PrinterSimulator } from '../../devices/printer/simulator/printer-simulator.js';
import { startBrowserHost, type BrowserHost } from '../../main/browser-host/browser-host.js';
import { KioskConfigSchema } from '../../main/core/kiosk-config.js';
import type { KioskRuntime } from '../../main/core/kiosk-runtime.js';
import { startKioskRuntime } from '../../main/core/start-kiosk-runtime.js';
import { DEMO_PIN } from '../../main/core/technician-pin.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../portal/db/embedded.js';
import { findFreePort } from '../../portal/net/find-free-port.js';
import { killHard, startTsChild, type StartedChild } from '../../scripts/support/child-process.js';

const KIOSK = 'e2e-kiosk-token';
const repoRoot = path.resolve(import.meta.dirname, '../..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'hall-kiosk-e2e-id-'));
// The embedded PostgreSQL runs as the 'postgres' user when we are root: it must reach its folder.
chmodSync(tmp, 0o755);

let pg: EmbeddedPostgres;
let portal: StartedChild;
let sims: DeviceSimulators;
let printerSim: PrinterSimulator;
let runtime: KioskRuntime;
let host: BrowserHost;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  pg = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'pg'), port: await findFreePort(), unsafeNoFsync: true, libraryHandlesSignals: false });
  const portalPort = await findFreePort();
  portal = await startTsChild(path.join(repoRoot, 'portal/cli.ts'), ['--seed-demo'], {
    DATABASE_URL: pg.url,
    PORT: String(portalPort),
    KIOSK_TOKEN: KIOSK,
    STAFF_TOKEN: 'e2e-staff-token',
  });
  sims = await DeviceSimulators.start({ dir: path.join(tmp, 'devices'), printerTcpPort: 0 });
  const tcpPrinter = sims.tcpPrinter;
  if (!tcpPrinter) throw new Error('no TCP printer simulator');
  printerSim = tcpPrinter;
  const paths = sims.paths();
  const config = KioskConfigSchema.parse({
    version: 1,
    kioskId: 'kiosk-1',
    kioskDigit: 1,
    dataDir: path.join(tmp, 'kiosk'),
    // The portal is seeded with --seed-demo and the technician logs in with the demo PIN.
    demoMode: true,
    portal: { baseUrl: `http://127.0.0.1:${portalPort}`, token: KIOSK },
    printer: { host: '127.0.0.1', port: printerSim.port, pollIntervalMs: 500 },
    idCardReader: { path: paths.idReader },
    scanner: { path: paths.scanner },
  });
  runtime = await startKioskRuntime(config);
  host = await startBrowserHost({ target: runtime, rendererDir: path.join(repoRoot, 'renderer/dist') });
  browser = await chromium.launch({
    executablePath: process.env.KIOSK_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // A one-time launch code, as Chromium gets it: the page trades it for the bridge token.
  await page.goto(host.newLaunchUrl());
  await page.getByTestId('service-social-insurance').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await runtime?.close();
  await sims?.stop();
  if (portal) await killHard(portal.child);
  await pg?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

async function text(testId: string): Promise<string> {
  return (await page.getByTestId(testId).innerText()).trim();
}

/** Holds the pointer on the hall name for three seconds: the technician's way in. */
async function openTechnicianScreen(): Promise<void> {
  await page.getByTestId('hall-name').hover();
  await page.mouse.down();
  await page.waitForTimeout(3_300);
  await page.mouse.up();
  await page.getByTestId('pin-pad').waitFor();
}

async function enterPin(pin: string): Promise<void> {
  for (const digit of pin) await page.getByTestId(`pin-key-${digit}`).click();
  await page.getByTestId('pin-submit').click();
}

describe('ID card, scanner and technician flows in the browser shell', () => {
  it('swipe a card with 䶮, take a ticket: masked name on screen and, as a raster line, on the receipt', async () => {
    sims.reader.placeCard(SampleCardName.RareName);
    await page.getByTestId('visitor-panel').waitFor({ timeout: 15_000 });
    expect(await text('visitor-name')).toContain('䶮*');
    expect(await text('visitor-id-number')).toMatch(/^\d{4}\*{10}\d{3}[\dX]$/);

    const jobsBefore = printerSim.jobs().length;
    await page.getByTestId('service-social-insurance').click();
    await page.getByTestId('ticket-number').waitFor();
    const number = await text('ticket-number');
    expect(number).toMatch(/^A\d{3}$/);
    expect(await text('ticket-holder')).toBe('取号人：䶮*');
    await page.getByTestId('print-state').and(page.locator('[data-state="printed"]')).waitFor({ timeout: 15_000 });

    const receipt = printerSim.jobs().slice(jobsBefore).at(-1)?.receipt;
    expect(receipt?.text).toContain(number);
    // The holder line holds 䶮, which the printer's font lacks: a raster image, never '?'.
    expect(receipt?.rasters.length).toBeGreaterThanOrEqual(1);
    expect(receipt?.lines.some((l) => l.startsWith('[raster'))).toBe(true);
    expect(receipt?.text).not.toContain('?');

    // The card data was wiped once the ticket was issued: home shows no visitor.
    await page.getByTestId('done-button').click();
    await page.getByTestId('home-screen').waitFor();
    expect(await page.getByTestId('visitor-panel').count()).toBe(0);
    sims.reader.removeCard();
  });

  it('Done on the identity panel wipes the card; scans reach the core (wedge by key codes, serial); an expired card is refused', async () => {
    sims.reader.placeCard(SampleCardName.Elderly);
    await page.getByTestId('visitor-panel').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('priority-badge').getAttribute('data-priority')).toBe('elderly');
    await page.getByTestId('visitor-done').click();
    await page.getByTestId('visitor-panel').waitFor({ state: 'detached' });
    sims.reader.removeCard();

    // A HID scanner types fast, Shift for capitals, Enter at the end. With a Chinese IME on, every
    // key reports key 'Process': the page must read the physical codes. The keys are dispatched in
    // the page in one go (a scanner's pace), so the test does not hang on input round-trip times.
    // (A script string: this file is typed for Node, without the DOM.)
    await page.evaluate(`(() => {
      const keyCode = (ch) => (/[A-Z]/.test(ch) ? 'Key' + ch : /[0-9]/.test(ch) ? 'Digit' + ch : 'Minus');
      const send = (init) => window.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, cancelable: true, key: 'Process', ...init }));
      for (const ch of ${JSON.stringify('HKA-7Q2M9XKD')}) send({ code: keyCode(ch), shiftKey: /[A-Z]/.test(ch) });
      send({ code: 'Enter' });
    })()`);
    await page.getByTestId('scan-notice').and(page.locator('[data-kind="appointment"]')).waitFor({ timeout: 10_000 });
    expect(await text('scan-notice')).toContain('HKA-7Q2M9XKD');
    // A booking code starts the check-in: the portal knows no booking HKA-7Q2M9XKD.
    await page.getByTestId('check-in-outcome').and(page.locator('[data-outcome="not-found"]')).waitFor({ timeout: 10_000 });
    // The serial scanner goes to the core directly.
    await sims.scanner.scan('not a code we know');
    await page.getByTestId('scan-notice').and(page.locator('[data-kind="unknown"]')).waitFor({ timeout: 10_000 });

    // An expired card identifies nobody: the visitor is told, no panel appears.
    sims.reader.placeCard(SampleCardName.Expired);
    await page.getByTestId('card-notice').and(page.locator('[data-reason="expired"]')).waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('visitor-panel').count()).toBe(0);
    sims.reader.removeCard();
    await page.getByTestId('journey-home').click();
    await page.getByTestId('home-screen').waitFor();
  });

  it('paper out before issuance: an on-screen ticket with its QR code, and the alert on the technician screen', async () => {
    printerSim.setFaults({ paperOut: true });
    await page.getByTestId('printer-notice').and(page.locator('[data-state="paper-out"]')).waitFor({ timeout: 15_000 });
    await page.getByTestId('service-housing-fund').click();
    await page.getByTestId('print-state').and(page.locator('[data-state="on-screen-only"]')).waitFor();
    const number = await text('ticket-number');
    await page.getByTestId('ticket-qr').waitFor();
    expect(await page.getByTestId('ticket-qr').getAttribute('data-payload')).toMatch(new RegExp(`^HK1:[0-9a-f-]{36}:${number}$`));
    await page.getByTestId('done-button').click();

    await openTechnicianScreen();
    await enterPin(DEMO_PIN);
    await page.getByTestId('diagnostics').waitFor();
    const alert = page.getByTestId('alert').and(page.locator('[data-kind="on-screen-ticket"]'));
    expect(await alert.getAttribute('data-open')).toBe('true');
    expect(await alert.innerText()).toContain(number);
    expect(await page.getByTestId('device-printer').getAttribute('data-state')).toBe('fault');
    expect(await page.getByTestId('device-reader').getAttribute('data-state')).toBe('ready');
    expect(await page.getByTestId('audit-row').first().getAttribute('data-action')).toBe('view-diagnostics');

    // Paper back in: the technician reprints the on-screen ticket.
    printerSim.setFaults({ paperOut: false });
    const jobsBefore = printerSim.jobs().length;
    await page.getByTestId(`reprint-${number}`).click();
    await page.getByTestId('technician-outcome').waitFor({ timeout: 15_000 });
    expect(printerSim.jobs().slice(jobsBefore).some((j) => j.receipt.text.includes(number))).toBe(true);
    await page.getByTestId('technician-logout').click();
    await page.getByTestId('home-screen').waitFor();
  });

  it('five wrong PINs lock the technician screen, even for the right PIN', async () => {
    await openTechnicianScreen();
    const codes: (string | null)[] = [];
    for (let i = 0; i < 5; i++) {
      // Typing clears the previous error; the answer to this attempt brings a new one.
      await enterPin('000000');
      const error = page.getByTestId('pin-error');
      await error.waitFor();
      codes.push(await error.getAttribute('data-code'));
    }
    expect(codes).toEqual(['wrong-pin', 'wrong-pin', 'wrong-pin', 'wrong-pin', 'locked-out']);
    await enterPin(DEMO_PIN);
    await page.getByTestId('pin-error').and(page.locator('[data-code="locked-out"]')).waitFor();
    expect(await page.getByTestId('diagnostics').count()).toBe(0);
  });
});
