import { describe, expect, it } from 'vitest';
import { kioskWindowOptions } from './window-options.js';

describe('kioskWindowOptions', () => {
  const kiosk = kioskWindowOptions({ preloadPath: '/app/dist/main/electron/preload.cjs', kioskMode: true });
  const desk = kioskWindowOptions({ preloadPath: '/app/dist/main/electron/preload.cjs', kioskMode: false });

  it('locks the renderer down in both modes', () => {
    for (const options of [kiosk, desk]) {
      expect(options.webPreferences).toMatchObject({
        preload: '/app/dist/main/electron/preload.cjs',
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        webviewTag: false,
        spellcheck: false,
      });
      expect(options.webPreferences).not.toHaveProperty('enableBlinkFeatures');
      expect(options.autoHideMenuBar).toBe(true);
      expect(options.backgroundColor).toMatch(/^#[0-9a-f]{6}$/i);
    }
  });

  it('in kiosk mode: kiosk, full screen, no devtools', () => {
    expect(kiosk.kiosk).toBe(true);
    expect(kiosk.fullscreen).toBe(true);
    expect(kiosk.webPreferences?.devTools).toBe(false);
  });

  it('on a developer desk: a normal window with devtools', () => {
    expect(desk.kiosk).toBe(false);
    expect(desk.fullscreen).toBe(false);
    expect(desk.webPreferences?.devTools).toBe(true);
  });
});
