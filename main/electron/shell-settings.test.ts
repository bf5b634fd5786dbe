import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfigPath, resolveKioskMode } from './shell-settings.js';

describe('resolveConfigPath', () => {
  it('uses KIOSK_CONFIG when set, else <userData>/kiosk-config.json', () => {
    expect(resolveConfigPath({ KIOSK_CONFIG: '/etc/hall-kiosk/config.json' }, '/home/k/.config/Hall Kiosk')).toBe(
      path.resolve('/etc/hall-kiosk/config.json'),
    );
    expect(resolveConfigPath({}, '/home/k/.config/Hall Kiosk')).toBe(path.join('/home/k/.config/Hall Kiosk', 'kiosk-config.json'));
    expect(resolveConfigPath({ KIOSK_CONFIG: '  ' }, '/data')).toBe(path.join('/data', 'kiosk-config.json'));
  });
});

describe('resolveKioskMode', () => {
  it('is on unless KIOSK_MODE=0', () => {
    expect(resolveKioskMode({}, {})).toBe(true);
    expect(resolveKioskMode({ KIOSK_MODE: '0' }, {})).toBe(false);
    expect(resolveKioskMode({ KIOSK_MODE: '1' }, {})).toBe(true);
    expect(resolveKioskMode({ KIOSK_MODE: 'yes' }, {})).toBe(true);
  });

  it('falls back to a boolean kioskMode in the config, the environment winning', () => {
    expect(resolveKioskMode({}, { kioskMode: false })).toBe(false);
    expect(resolveKioskMode({ KIOSK_MODE: '1' }, { kioskMode: false })).toBe(true);
    expect(resolveKioskMode({ KIOSK_MODE: '0' }, { kioskMode: true })).toBe(false);
    expect(resolveKioskMode({}, { kioskMode: 'false' })).toBe(true);
    expect(resolveKioskMode({}, null)).toBe(true);
  });
});
