/**
 * `npm start`: the whole hall on one machine. An embedded PostgreSQL portal seeded with a city
 * hall's catalog, the printer simulator (with a page showing what it printed), the kiosk core,
 * and the kiosk screen in Chromium's kiosk mode where a display exists (else the URL is printed).
 *
 * Ports (env): PORTAL_PORT 8080, PRINTER_PORT 9100, RECEIPTS_PORT 9180, KIOSK_PORT 8700.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrinterSimulator } from '../devices/printer/simulator/printer-simulator.js';
import { startReceiptsPage } from '../devices/printer/simulator/receipts-page.js';
import { startBrowserHost } from '../main/browser-host/browser-host.js';
import { findChromium, launchChromiumKiosk } from '../main/browser-host/chromium-launcher.js';
import { KioskConfigSchema } from '../main/core/kiosk-config.js';
import { startKioskRuntime } from '../main/core/start-kiosk-runtime.js';
import { killHard, startTsChild } from './support/child-process.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const port = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const KIOSK_TOKEN = 'demo-kiosk-token';

console.log('Starting the portal (embedded PostgreSQL; the first start initialises .data/portal-pg)...');
const portal = await startTsChild(path.join(repoRoot, 'portal/cli.ts'), ['--seed-demo'], {
  PORT: String(port('PORTAL_PORT', 8080)),
  KIOSK_TOKEN,
  STAFF_TOKEN: 'demo-staff-token',
}, 180_000);
const portalPort = Number(portal.ready.port);

const sim = await PrinterSimulator.start({ port: port('PRINTER_PORT', 9100), jobsDir: path.join(repoRoot, '.data/receipts') });
const receipts = await startReceiptsPage(sim, { port: port('RECEIPTS_PORT', 9180) });

const runtime = await startKioskRuntime(KioskConfigSchema.parse({
  version: 1,
  kioskId: 'kiosk-1',
  kioskDigit: 1,
  dataDir: path.join(repoRoot, '.data/kiosk'),
  portal: { baseUrl: `http://127.0.0.1:${portalPort}`, token: KIOSK_TOKEN },
  printer: { host: '127.0.0.1', port: sim.port },
}));
const host = await startBrowserHost({ target: runtime, rendererDir: path.join(repoRoot, 'renderer/dist'), port: port('KIOSK_PORT', 8700) });

const chromium = findChromium();
const hasDisplay = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const browser = chromium && hasDisplay ? launchChromiumKiosk(host.launchUrl, { executable: chromium, kiosk: process.env.KIOSK_WINDOWED !== '1' }) : null;

console.log(`
Hall Kiosk demo is running.
  Kiosk screen     ${browser ? '(opened in Chromium kiosk mode) ' : ''}${host.launchUrl}
  Printed receipts http://127.0.0.1:${receipts.port}/
  Portal API       http://127.0.0.1:${portalPort}/openapi.json
  Counter call     curl -X POST -H 'Authorization: Bearer demo-staff-token' -H 'Content-Type: application/json' \\
                     -d '{"counterId":"window-1","serviceIds":[]}' http://127.0.0.1:${portalPort}/v1/counter/call-next
Press Ctrl+C to stop.`);

let stopping = false;
async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  browser?.kill();
  await host.close();
  await runtime.close();
  await receipts.close();
  await sim.stop();
  portal.child.kill('SIGTERM');
  const timer = setTimeout(() => void killHard(portal.child), 10_000);
  await new Promise((resolve) => portal.child.once('exit', resolve));
  clearTimeout(timer);
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
