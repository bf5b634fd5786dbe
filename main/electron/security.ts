import type { App, Session, WebContents } from 'electron';
import { isKioskEscapeKey } from './kiosk-keys.js';
import { saveLogExport, type LogExportOutcome } from './log-export.js';
import { originOf } from './kiosk-origin.js';

export interface SessionHardeningOptions {
  /** Where the technician's log exports are saved; without it every download is cancelled. */
  logExportDir?: string;
  /** Told how each log export ended (saved, cancelled, interrupted). */
  onLogExport?: (outcome: LogExportOutcome) => void;
}

/**
 * The kiosk needs no camera, microphone, geolocation, notifications, HID, serial... from the web
 * side. The one download it makes is the technician's log export, saved to a fixed folder
 * without a dialog; any other download (a link a page slipped in) is cancelled.
 */
export function hardenSession(session: Session, options: SessionHardeningOptions = {}): void {
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.on('will-download', (event, item, webContents) => {
    const { logExportDir } = options;
    if (logExportDir !== undefined && saveLogExport(item, webContents, { exportDir: logExportDir, onDone: options.onLogExport })) return;
    event.preventDefault();
  });
}

export interface HardeningOptions {
  /** Filter the keys that would let a visitor leave the kiosk. */
  kioskMode: boolean;
}

/** Navigation only within `allowedOrigin`, no new windows, no webviews; in kiosk mode, no escape keys. */
export function hardenWebContents(webContents: WebContents, allowedOrigin: string, options: HardeningOptions): void {
  const stayHome = (event: { url: string; preventDefault(): void }): void => {
    if (originOf(event.url) !== allowedOrigin) event.preventDefault();
  };
  webContents.on('will-navigate', stayHome);
  webContents.on('will-redirect', stayHome);
  webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  webContents.on('will-attach-webview', (event) => event.preventDefault());
  if (options.kioskMode) {
    webContents.on('before-input-event', (event, input) => {
      if (isKioskEscapeKey(input)) event.preventDefault();
    });
  }
}

/** Applies hardenWebContents to every webContents the app ever creates, the kiosk window's included. */
export function hardenEveryWebContents(app: App, allowedOrigin: string, options: HardeningOptions): void {
  app.on('web-contents-created', (_event, webContents) => hardenWebContents(webContents, allowedOrigin, options));
}
