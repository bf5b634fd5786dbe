import type { BrowserWindowConstructorOptions } from 'electron';

/** Shown behind the page while it loads, so a reload after a crash does not flash white-black. */
export const kioskBackgroundColor = '#ffffff';

export interface KioskWindowSettings {
  /** Absolute path of the compiled preload (preload.cjs). */
  preloadPath: string;
  /** Full screen, no way out, no devtools. Off only on a developer's desk. */
  kioskMode: boolean;
}

/** The one kiosk window, locked down per Electron's security checklist (docs/architecture.md §7). */
export function kioskWindowOptions(opts: KioskWindowSettings): BrowserWindowConstructorOptions {
  return {
    title: 'Hall Kiosk',
    width: 1280,
    height: 800,
    kiosk: opts.kioskMode,
    fullscreen: opts.kioskMode,
    autoHideMenuBar: true,
    backgroundColor: kioskBackgroundColor,
    webPreferences: {
      preload: opts.preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: !opts.kioskMode,
      // enableBlinkFeatures is deliberately left unset.
    },
  };
}
