import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../offline-queue/testing/temp-dir.js';
import { KioskConfigError, KioskConfigSchema, loadKioskConfig } from './kiosk-config.js';
import { DEMO_PIN_HASH } from './technician-pin.js';

const tmp = makeTempDir('config');
afterAll(() => tmp.remove());

function configFile(body: unknown): string {
  const file = path.join(tmp.dir, `kiosk-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, typeof body === 'string' ? body : JSON.stringify(body));
  return file;
}

function configError(fn: () => unknown): KioskConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(KioskConfigError);
    return err as KioskConfigError;
  }
  throw new Error('expected a KioskConfigError');
}

describe('loadKioskConfig', () => {
  it('fills every default when there is no file and no environment', () => {
    const config = loadKioskConfig({ dataDir: 'relative/data', env: {} });
    expect(config).toEqual({
      version: 1,
      kioskId: 'kiosk-1',
      kioskDigit: 1,
      dataDir: path.resolve('relative/data'),
      demoMode: false,
      portal: { baseUrl: 'http://127.0.0.1:8080', token: 'demo-kiosk-token', numberBudgetMs: 400, pushTimeoutMs: 5_000, lookupBudgetMs: 1_500, caFile: null },
      printer: { host: '127.0.0.1', port: 9100, serialPath: null, baudRate: 9600, statusTimeoutMs: 800, pollIntervalMs: 5_000 },
      idCardReader: null,
      scanner: null,
      visitor: { idleTimeoutMs: 60_000, elderlyAge: 60 },
      technician: { pinHash: DEMO_PIN_HASH, maxFailures: 5, lockoutMs: 300_000, sessionMs: 600_000, selfTestTimeoutMs: 20_000 },
      sync: { bandSize: 50, pullIntervalMs: 30_000, maxClockJumpMs: 300_000 },
      retention: { personalDataDays: 7, keepDays: 30 },
    });
  });

  it('reads the devices, visitor and technician sections, the environment naming the ports', () => {
    const file = configFile({
      idCardReader: { path: '/dev/ttyS1', baudRate: 57_600 },
      scanner: { path: '/dev/ttyUSB0', interByteTimeoutMs: null },
      visitor: { elderlyAge: 65 },
      technician: { pinHash: 'scrypt$1024$8$1$c2FsdA==$aGFzaGhhc2hoYXNoaGFzaA==', maxFailures: 3 },
    });
    const config = loadKioskConfig({ configPath: file, dataDir: tmp.dir, env: {} });
    expect(config.idCardReader).toEqual({ path: '/dev/ttyS1', baudRate: 57_600, commandTimeoutMs: 1_000 });
    expect(config.scanner).toEqual({ path: '/dev/ttyUSB0', baudRate: 9_600, interByteTimeoutMs: null });
    expect(config.visitor).toEqual({ idleTimeoutMs: 60_000, elderlyAge: 65 });
    expect(config.technician).toMatchObject({ pinHash: 'scrypt$1024$8$1$c2FsdA==$aGFzaGhhc2hoYXNoaGFzaA==', maxFailures: 3, lockoutMs: 300_000 });

    const env = { KIOSK_ID_READER: '/tmp/pty/id-reader', KIOSK_SCANNER: 'none', KIOSK_PRINTER: 'serial:/tmp/pty/printer', KIOSK_TECHNICIAN_PIN_HASH: DEMO_PIN_HASH };
    const overridden = loadKioskConfig({ configPath: file, dataDir: tmp.dir, env });
    expect(overridden.idCardReader).toEqual({ path: '/tmp/pty/id-reader', baudRate: 57_600, commandTimeoutMs: 1_000 });
    expect(overridden.scanner).toBeNull();
    expect(overridden.printer).toMatchObject({ serialPath: '/tmp/pty/printer', baudRate: 9600 });
    expect(overridden.technician.pinHash).toBe(DEMO_PIN_HASH);
    expect(loadKioskConfig({ dataDir: tmp.dir, env: { KIOSK_ID_READER: '/dev/ttyS0' } }).idCardReader).toEqual({ path: '/dev/ttyS0', baudRate: 115_200, commandTimeoutMs: 1_000 });
  });

  it('refuses a PIN kept in clear text and an absurd elderly age', () => {
    expect(configError(() => loadKioskConfig({ configPath: configFile({ technician: { pinHash: '123456' } }), dataDir: tmp.dir, env: {} })).message).toMatch(/technician\.pinHash/);
    expect(configError(() => loadKioskConfig({ configPath: configFile({ visitor: { elderlyAge: 12 } }), dataDir: tmp.dir, env: {} })).message).toMatch(/visitor\.elderlyAge/);
  });

  it('reads the file, keeping defaults for what it leaves out, and the environment overrides it', () => {
    const file = configFile({
      kioskId: 'hall-3-kiosk-2',
      kioskDigit: 2,
      portal: { baseUrl: 'https://portal.hall.example:8443', token: 'file-token-123', numberBudgetMs: 250 },
      printer: { port: 9200 },
      sync: { bandSize: 80 },
      retention: { keepDays: 60 },
    });
    const fromFile = loadKioskConfig({ configPath: file, dataDir: tmp.dir, env: {} });
    expect(fromFile).toMatchObject({
      kioskId: 'hall-3-kiosk-2',
      kioskDigit: 2,
      portal: { baseUrl: 'https://portal.hall.example:8443', token: 'file-token-123', numberBudgetMs: 250, pushTimeoutMs: 5_000 },
      printer: { host: '127.0.0.1', port: 9200 },
      sync: { bandSize: 80, pullIntervalMs: 30_000, maxClockJumpMs: 300_000 },
      retention: { personalDataDays: 7, keepDays: 60 },
    });

    const env = {
      KIOSK_ID: 'env-kiosk',
      KIOSK_DIGIT: '5',
      KIOSK_PORTAL_URL: 'https://10.0.0.9:9000',
      KIOSK_TOKEN: 'env-token-456',
      KIOSK_PRINTER: 'tcp://printer.local:9300',
      KIOSK_DATA_DIR: path.join(tmp.dir, 'env-data'),
      KIOSK_BAND_SIZE: '20',
      KIOSK_PULL_INTERVAL_MS: '5000',
    };
    expect(loadKioskConfig({ configPath: file, dataDir: tmp.dir, env })).toMatchObject({
      kioskId: 'env-kiosk',
      kioskDigit: 5,
      dataDir: path.join(tmp.dir, 'env-data'),
      portal: { baseUrl: 'https://10.0.0.9:9000', token: 'env-token-456', numberBudgetMs: 250 },
      printer: { host: 'printer.local', port: 9300 },
      sync: { bandSize: 20, pullIntervalMs: 5_000 },
    });
  });

  it('treats a missing file as no file', () => {
    expect(loadKioskConfig({ configPath: path.join(tmp.dir, 'absent.json'), dataDir: tmp.dir, env: {} }).kioskId).toBe('kiosk-1');
  });

  it('throws KioskConfigError for a file that is not a JSON object, naming the file', () => {
    const notJson = configFile('{ kioskId: ');
    expect(configError(() => loadKioskConfig({ configPath: notJson, dataDir: tmp.dir, env: {} })).message).toContain(notJson);
    const array = configFile([1, 2]);
    expect(configError(() => loadKioskConfig({ configPath: array, dataDir: tmp.dir, env: {} })).code).toBe('invalid-config');
  });

  it('throws KioskConfigError naming the field for a value out of range, from the file or the environment', () => {
    const badDigit = configFile({ kioskDigit: 12 });
    expect(configError(() => loadKioskConfig({ configPath: badDigit, dataDir: tmp.dir, env: {} })).message).toContain('kioskDigit');
    const badBand = configFile({ sync: { bandSize: 1_000 } });
    expect(configError(() => loadKioskConfig({ configPath: badBand, dataDir: tmp.dir, env: {} })).message).toContain('sync.bandSize');
    const badRetention = configFile({ retention: { personalDataDays: 40, keepDays: 30 } });
    expect(configError(() => loadKioskConfig({ configPath: badRetention, dataDir: tmp.dir, env: {} })).message).toContain('keepDays');
    expect(configError(() => loadKioskConfig({ dataDir: tmp.dir, env: { KIOSK_PORTAL_URL: 'not a url' } })).message).toContain('portal.baseUrl');
    expect(configError(() => loadKioskConfig({ dataDir: tmp.dir, env: { KIOSK_PRINTER: 'http://printer:80' } })).message).toContain('tcp://');
  });

  it('parses a config written in code (the e2e and demo way) with the new sections defaulted', () => {
    const config = KioskConfigSchema.parse({
      version: 1,
      kioskId: 'k1',
      kioskDigit: 1,
      dataDir: tmp.dir,
      portal: { baseUrl: 'http://127.0.0.1:1', token: 'token-123' },
      printer: {},
    });
    expect(config.sync).toEqual({ bandSize: 50, pullIntervalMs: 30_000, maxClockJumpMs: 300_000 });
    expect(config.demoMode).toBe(false);
    expect(config.retention).toEqual({ personalDataDays: 7, keepDays: 30 });
  });
});

describe('loadKioskConfig, demo mode', () => {
  it('is off unless the file, KIOSK_DEMO=1 or the shell switch turns it on', () => {
    expect(loadKioskConfig({ dataDir: tmp.dir, env: {} }).demoMode).toBe(false);
    expect(loadKioskConfig({ dataDir: tmp.dir, env: { KIOSK_DEMO: '1' } }).demoMode).toBe(true);
    expect(loadKioskConfig({ configPath: configFile({ demoMode: true }), dataDir: tmp.dir, env: { KIOSK_DEMO: '0' } }).demoMode).toBe(false);
    expect(loadKioskConfig({ configPath: configFile({ demoMode: true }), dataDir: tmp.dir, env: {} }).demoMode).toBe(true);
    expect(loadKioskConfig({ dataDir: tmp.dir, env: { KIOSK_DEMO: '0' }, demoMode: true }).demoMode).toBe(true);
  });

  it('refuses a KIOSK_DEMO that is neither 1 nor 0, rather than reading it as off', () => {
    expect(configError(() => loadKioskConfig({ dataDir: tmp.dir, env: { KIOSK_DEMO: 'yes' } })).message).toContain('KIOSK_DEMO');
  });
});

describe('loadKioskConfig, portal transport', () => {
  const portalAt = (baseUrl: string, extra: Record<string, unknown> = {}) =>
    loadKioskConfig({ configPath: configFile({ portal: { baseUrl, token: 'file-token-123', ...extra } }), dataDir: tmp.dir, env: {} });

  it('refuses plain http: to a portal on another machine, naming the field and the fix, in one line', () => {
    for (const url of ['http://portal.hall.example:8080', 'http://10.0.0.9:8080', 'http://[fe80::1]:8080', 'http://127.0.0.1.nip.io/']) {
      const err = configError(() => portalAt(url));
      expect(err.message, url).toMatch(/^kiosk config: portal\.baseUrl: .*https:/);
      expect(err.message).not.toContain('\n');
    }
    expect(configError(() => loadKioskConfig({ dataDir: tmp.dir, env: { KIOSK_PORTAL_URL: 'http://portal.hall.example' } })).message).toContain('portal.baseUrl');
  });

  it('allows http: on loopback only (localhost, 127.0.0.0/8, ::1), https: anywhere, and nothing else', () => {
    for (const url of ['http://localhost:8080', 'http://127.0.0.1:8080', 'http://127.8.9.10/', 'http://[::1]:8080', 'http://[::ffff:127.0.0.1]/', 'https://portal.hall.example']) {
      expect(portalAt(url).portal.baseUrl, url).toBe(url);
    }
    expect(configError(() => portalAt('ftp://127.0.0.1/')).message).toContain('portal.baseUrl');
  });

  it('reads the hall CA file from the file or KIOSK_PORTAL_CA, resolved, and only for an https: portal', () => {
    expect(portalAt('https://portal.hall.example', { caFile: '/etc/hall/ca.pem' }).portal.caFile).toBe('/etc/hall/ca.pem');
    const env = { KIOSK_PORTAL_URL: 'https://portal.hall.example', KIOSK_PORTAL_CA: 'certs/hall-ca.pem' };
    expect(loadKioskConfig({ dataDir: tmp.dir, env }).portal.caFile).toBe(path.resolve('certs/hall-ca.pem'));
    expect(configError(() => portalAt('http://127.0.0.1:8080', { caFile: '/etc/hall/ca.pem' })).message).toContain('portal.caFile');
  });
});
