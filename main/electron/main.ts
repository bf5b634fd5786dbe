/**
 * Entry of the Electron shell: one locked-down kiosk window over the kiosk core, which runs in
 * this process and is reached only through the IPC bridge.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, ipcMain, Menu, protocol, session } from 'electron';
import { loadKioskConfig } from '../core/kiosk-config.js';
import { startKioskRuntime } from '../core/start-kiosk-runtime.js';
import { registerKioskProtocol, registerKioskSchemePrivileges } from './app-protocol.js';
import { applyCrashPolicy } from './crash-policy.js';
import { forwardKioskEvents, registerKioskIpc } from './ipc-bridge.js';
import { isTrustedKioskFrame, kioskEntryUrl, kioskOrigin } from './kiosk-origin.js';
import { LOG_EXPORT_FOLDER } from './log-export.js';
import { closeRuntimeBeforeQuit } from './quit-lifecycle.js';
import { hardenEveryWebContents, hardenSession } from './security.js';
import { resolveConfigPath, resolveKioskMode } from './shell-settings.js';
import { kioskWindowOptions } from './window-options.js';

// tsc compiles preload.cts to preload.cjs next to this file.
const preloadPath = fileURLToPath(new URL('./preload.cjs', import.meta.url));

let kioskWindow: BrowserWindow | null = null;

async function startShell(): Promise<void> {
  // The technician's log export is the one download allowed: to <userData>/log-exports, no dialog.
  hardenSession(session.defaultSession, {
    logExportDir: path.join(app.getPath('userData'), LOG_EXPORT_FOLDER),
    onLogExport: (outcome) => {
      if (outcome.state !== 'completed') console.error(`log export ${outcome.fileName} not saved: ${outcome.state}`);
    },
  });
  registerKioskProtocol(protocol, path.join(app.getAppPath(), 'renderer', 'dist'));

  const dataDir = app.getPath('userData');
  const config = loadKioskConfig({ configPath: resolveConfigPath(process.env, dataDir), dataDir });
  const kioskMode = resolveKioskMode(process.env, config);
  if (kioskMode) Menu.setApplicationMenu(null); // no menu, so no menu accelerators either

  const runtime = await startKioskRuntime(config);
  closeRuntimeBeforeQuit(app, runtime);
  registerKioskIpc(ipcMain, runtime, isTrustedKioskFrame);
  hardenEveryWebContents(app, kioskOrigin, { kioskMode });

  const win = new BrowserWindow(kioskWindowOptions({ preloadPath, kioskMode }));
  kioskWindow = win;
  win.on('closed', () => {
    kioskWindow = null;
  });
  forwardKioskEvents(runtime, win.webContents);
  applyCrashPolicy(win.webContents, {
    reload: () => {
      win.loadURL(kioskEntryUrl).catch((err: unknown) => console.error('kiosk page reload failed', err));
    },
    relaunch: () => {
      app.relaunch();
      app.exit(0);
    },
  });
  await win.loadURL(kioskEntryUrl);
}

if (app.requestSingleInstanceLock()) {
  registerKioskSchemePrivileges(protocol); // before 'ready', or the scheme gets no privileges
  app.on('second-instance', () => {
    if (!kioskWindow) return;
    if (kioskWindow.isMinimized()) kioskWindow.restore();
    kioskWindow.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app
    .whenReady()
    .then(startShell)
    .catch((err: unknown) => {
      // Without its core the kiosk is useless; exit non-zero so the service manager restarts it.
      console.error('kiosk shell failed to start', err);
      app.exit(1);
    });
} else {
  // Another kiosk instance owns the screen and the devices.
  app.quit();
}
