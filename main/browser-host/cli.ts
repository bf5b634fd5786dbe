/**
 * The browser shell: the kiosk core in a plain Node process, its screen in Chromium's
 * kiosk/app mode. `tsx main/browser-host/cli.ts [--config FILE] [--port N] [--no-browser] [--demo]`.
 *
 * Chromium is started with a one-time launch code, never the bridge token; the operator's URL
 * (with the token) is in `<dataDir>/launch-url`, readable by this user only. Nothing printed
 * here carries either.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { exitOnConfigError } from '../core/config-error-exit.js';
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
    // Demo mode: the demo kiosk token and technician PIN are accepted (refused otherwise).
    demo: { type: 'boolean', default: false },
  },
});

const config = await exitOnConfigError(() =>
  loadKioskConfig({ configPath: values.config, dataDir: path.join(repoRoot, '.data/kiosk'), demoMode: values.demo }),
);
const runtime = await exitOnConfigError(() => startKioskRuntime(config));
const host = await startBrowserHost({
  target: runtime,
  rendererDir: path.join(repoRoot, 'renderer/dist'),
  port: Number(values.port),
  dataDir: config.dataDir,
  onWarning: (message) => console.warn(message),
});
let browser: ReturnType<typeof launchChromiumKiosk> | null = null;
async function shutdown(): Promise<void> {
  browser?.kill();
  await host.close();
  await runtime.close();
  process.exit(0);
}
// Before anything is printed: whoever reads the output may stop us at once, and a stop must
// still close the host (which removes the launch-url file with its now dead token).
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());

console.log(JSON.stringify({ event: 'listening', port: host.port, launchUrlFile: host.launchUrlFile }));

const chromium = values['no-browser'] ? null : findChromium();
if (chromium && (process.env.DISPLAY || process.env.WAYLAND_DISPLAY)) {
  browser = launchChromiumKiosk(host.newLaunchUrl(), { executable: chromium, kiosk: !values.windowed });
} else {
  console.log(`The kiosk screen's URL is in ${host.launchUrlFile ?? '(no file)'} (readable by this user only).`);
}
