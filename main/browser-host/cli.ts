/**
 * The browser shell: the kiosk core in a plain Node process, its screen in Chromium's
 * kiosk/app mode. `tsx main/browser-host/cli.ts [--config FILE] [--port N] [--no-browser]`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadKioskConfig } from '../core/kiosk-config.js';
import { startKioskRuntime } from '../core/start-kiosk-runtime.js';
import { startBrowserHost } from './browser-host.js';
import { findChromium, launchChromiumKiosk } from './chromium-launcher.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({
  options: {
    config: { type: 'string' },
    port: { type: 'string', default: '0' },
    'no-browser': { type: 'boolean', default: false },
    windowed: { type: 'boolean', default: false },
  },
});

const config = loadKioskConfig({ configPath: values.config, dataDir: path.join(repoRoot, '.data/kiosk') });
const runtime = await startKioskRuntime(config);
const host = await startBrowserHost({ target: runtime, rendererDir: path.join(repoRoot, 'renderer/dist'), port: Number(values.port) });
console.log(JSON.stringify({ event: 'listening', port: host.port }));

const chromium = values['no-browser'] ? null : findChromium();
const browser = chromium && (process.env.DISPLAY || process.env.WAYLAND_DISPLAY)
  ? launchChromiumKiosk(host.launchUrl, { executable: chromium, kiosk: !values.windowed })
  : null;
if (!browser) console.log(`Open the kiosk screen at ${host.launchUrl}`);

async function shutdown(): Promise<void> {
  browser?.kill();
  await host.close();
  await runtime.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
