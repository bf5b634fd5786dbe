import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../offline-queue/testing/temp-dir.js';
import { DEMO_KIOSK_TOKEN, refuseDemoCredentials } from './demo-credentials.js';
import { KioskConfigError, KioskConfigSchema, type KioskConfig } from './kiosk-config.js';
import { startKioskRuntime } from './start-kiosk-runtime.js';
import { DEMO_PIN, DEMO_PIN_HASH, hashPin } from './technician-pin.js';

const tmp = makeTempDir('demo-credentials');
afterAll(() => tmp.remove());

const CHEAP = { N: 1024, r: 8, p: 1 };
let ownPinHash = '';
let demoPinFreshSalt = '';
beforeAll(async () => {
  ownPinHash = await hashPin('246810', { cost: CHEAP });
  demoPinFreshSalt = await hashPin(DEMO_PIN, { cost: CHEAP });
});

function config(overrides: { token?: string; pinHash?: string; demoMode?: boolean; dataDir?: string }): KioskConfig {
  return KioskConfigSchema.parse({
    version: 1,
    kioskId: 'kiosk-1',
    kioskDigit: 1,
    dataDir: overrides.dataDir ?? tmp.dir,
    ...(overrides.demoMode === undefined ? {} : { demoMode: overrides.demoMode }),
    portal: { baseUrl: 'http://127.0.0.1:9', token: overrides.token ?? 'hall-3-kiosk-1-token' },
    printer: {},
    technician: overrides.pinHash === undefined ? {} : { pinHash: overrides.pinHash },
  });
}

async function refusal(c: KioskConfig): Promise<KioskConfigError> {
  try {
    await refuseDemoCredentials(c);
  } catch (err) {
    expect(err).toBeInstanceOf(KioskConfigError);
    return err as KioskConfigError;
  }
  throw new Error('expected a refusal');
}

describe('refuseDemoCredentials', () => {
  it('refuses the demo kiosk token outside demo mode, in one line that says what to set', async () => {
    const err = await refusal(config({ token: DEMO_KIOSK_TOKEN, pinHash: ownPinHash }));
    expect(err.code).toBe('invalid-config');
    expect(err.message).toMatch(/^kiosk config: portal\.token .*KIOSK_TOKEN.*--demo/);
    expect(err.message).not.toContain('\n');
  });

  it('refuses the demo PIN outside demo mode: the default hash and a hash of 135790 with a salt of its own', async () => {
    expect(config({}).technician.pinHash).toBe(DEMO_PIN_HASH);
    expect((await refusal(config({}))).message).toMatch(/^kiosk config: technician\.pinHash is the demo PIN/);
    expect((await refusal(config({ pinHash: demoPinFreshSalt }))).message).toContain('technician.pinHash');
  });

  it('accepts a kiosk with its own token and PIN, and the demo credentials in demo mode', async () => {
    await expect(refuseDemoCredentials(config({ pinHash: ownPinHash }))).resolves.toBeUndefined();
    await expect(refuseDemoCredentials(config({ token: DEMO_KIOSK_TOKEN, demoMode: true }))).resolves.toBeUndefined();
  });
});

describe('startKioskRuntime outside demo mode', () => {
  it('refuses demo credentials before it opens or creates anything', async () => {
    const dataDir = path.join(tmp.dir, 'never-created');
    await expect(startKioskRuntime(config({ dataDir }), { catalogWaitMs: 10 })).rejects.toBeInstanceOf(KioskConfigError);
    await expect(startKioskRuntime(config({ dataDir, token: DEMO_KIOSK_TOKEN, pinHash: ownPinHash }), { catalogWaitMs: 10 })).rejects.toThrow(/portal\.token/);
    expect(existsSync(dataDir)).toBe(false);
  });
});
