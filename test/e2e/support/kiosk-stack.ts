import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { defaultSimTransport, DeviceSimulators } from '../../../devices/device-simulators.js';
import { PrinterSimulator } from '../../../devices/printer/simulator/printer-simulator.js';
import { startBrowserHost, type BrowserHost } from '../../../main/browser-host/browser-host.js';
import { KioskConfigSchema } from '../../../main/core/kiosk-config.js';
import type { KioskRuntime } from '../../../main/core/kiosk-runtime.js';
import { startKioskRuntime } from '../../../main/core/start-kiosk-runtime.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../../portal/db/embedded.js';
import { findFreePort } from '../../../portal/net/find-free-port.js';
import { killHard, startTsChild, type StartedChild } from '../../../scripts/support/child-process.js';

/**
 * The hall as the end-to-end tests run it across processes: a real portal process
 * (`portal/cli.ts --seed-demo`: the demo hall, its counters, staff accounts and display token) on
 * an embedded PostgreSQL, the printer simulator on TCP, the real kiosk runtime talking to that
 * portal, and the browser shell's host serving the kiosk screen (`npm run build:renderer` first).
 * With `devices`, the ID card reader and QR scanner simulators too (socat PTYs, or TCP without
 * socat), the kiosk reading them through its real drivers.
 */

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const CHROMIUM_EXECUTABLE = process.env.KIOSK_CHROMIUM ?? '/usr/bin/chromium';
/** Headless Chromium as the tests drive it: no sandbox (root), no GPU, no calls home. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

export interface KioskStackOptions {
  kioskToken: string;
  staffToken: string;
  /** Also start the ID card reader and QR scanner simulators and plug them into the kiosk. */
  devices?: boolean;
  /** The kiosk's `sync.pullIntervalMs` (it also reports its health this often); default the kiosk's own. */
  pullIntervalMs?: number;
}

export interface KioskStack {
  readonly pg: EmbeddedPostgres;
  readonly portalPort: number;
  readonly portalUrl: string;
  /** The portal process now running (replaced by restartPortal). */
  readonly portal: StartedChild;
  readonly sim: PrinterSimulator;
  /** The reader and scanner simulators (and `sim`, their printer) when started with `devices`. */
  readonly devices: DeviceSimulators | null;
  /** The kiosk's data folder (its SQLite store is `kiosk.db` in it). */
  readonly kioskDataDir: string;
  readonly runtime: KioskRuntime;
  readonly host: BrowserHost;
  /** Kills the portal process at once (SIGKILL), as a power cut would. */
  killPortal(): Promise<void>;
  /** Starts the portal process again, on the same port and database. */
  restartPortal(): Promise<void>;
  close(): Promise<void>;
}

/** Everything above, started in order; `close` stops it in reverse and removes the temp folder. */
export async function startKioskStack(options: KioskStackOptions): Promise<KioskStack> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'hall-kiosk-e2e-'));
  // The embedded PostgreSQL runs as the 'postgres' user when we are root: it must reach its folder.
  chmodSync(tmp, 0o755);
  const stopped: (() => Promise<void>)[] = [];
  const close = async (): Promise<void> => {
    for (const stop of stopped.splice(0).reverse()) await stop();
    rmSync(tmp, { recursive: true, force: true });
  };
  try {
    const pg = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'pg'), port: await findFreePort(), unsafeNoFsync: true, libraryHandlesSignals: false });
    stopped.push(() => pg.stop());
    const portalPort = await findFreePort();
    const startPortal = (): Promise<StartedChild> =>
      startTsChild(path.join(REPO_ROOT, 'portal/cli.ts'), ['--seed-demo'], {
        DATABASE_URL: pg.url,
        PORT: String(portalPort),
        KIOSK_TOKEN: options.kioskToken,
        STAFF_TOKEN: options.staffToken,
      });
    let portal = await startPortal();
    stopped.push(() => killHard(portal.child));
    let devices: DeviceSimulators | null = null;
    let sim: PrinterSimulator;
    if (options.devices) {
      const started = await DeviceSimulators.start({ dir: path.join(tmp, 'devices'), transport: defaultSimTransport(), printerTcpPort: 0 });
      devices = started;
      stopped.push(() => started.stop());
      if (!started.tcpPrinter) throw new Error('no TCP printer simulator');
      sim = started.tcpPrinter;
    } else {
      const printer = await PrinterSimulator.start({ port: 0 });
      stopped.push(() => printer.stop());
      sim = printer;
    }
    const portalUrl = `http://127.0.0.1:${portalPort}`;
    const kioskDataDir = path.join(tmp, 'kiosk');
    const config = KioskConfigSchema.parse({
      version: 1,
      kioskId: 'kiosk-1',
      kioskDigit: 1,
      dataDir: kioskDataDir,
      // The portal is seeded with --seed-demo and the technician logs in with the demo PIN.
      demoMode: true,
      portal: { baseUrl: portalUrl, token: options.kioskToken },
      printer: { host: '127.0.0.1', port: sim.port, pollIntervalMs: 500 },
      ...(options.pullIntervalMs ? { sync: { pullIntervalMs: options.pullIntervalMs } } : {}),
      ...(devices ? { idCardReader: { path: devices.paths().idReader }, scanner: { path: devices.paths().scanner } } : {}),
    });
    const runtime = await startKioskRuntime(config);
    stopped.push(() => runtime.close());
    const host = await startBrowserHost({ target: runtime, rendererDir: path.join(REPO_ROOT, 'renderer/dist') });
    stopped.push(() => host.close());
    return {
      pg,
      portalPort,
      portalUrl,
      get portal() {
        return portal;
      },
      sim,
      devices,
      kioskDataDir,
      runtime,
      host,
      killPortal: () => killHard(portal.child),
      async restartPortal() {
        portal = await startPortal();
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Polls `probe` until it returns a value (not undefined); throws naming `what` past the timeout. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A visitor on the kiosk screen takes a ticket of `serviceId`; resolves with its number once printed. */
export async function takeTicketOnScreen(page: Page, serviceId: string): Promise<string> {
  await page.getByTestId(`service-${serviceId}`).click();
  const number = page.getByTestId('ticket-number');
  await number.waitFor();
  await page.getByTestId('print-state').and(page.locator('[data-state="printed"]')).waitFor({ timeout: 15_000 });
  return (await number.innerText()).trim();
}
