import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppVersion } from '../../common/contract/kiosk-health-api.js';
import { KIOSK_APP_VERSION } from './app-version.js';

describe('KIOSK_APP_VERSION', () => {
  it('is package.json’s version, in the form the health report accepts', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(KIOSK_APP_VERSION).toBe(pkg.version);
    expect(AppVersion.safeParse(KIOSK_APP_VERSION).success).toBe(true);
  });
});
