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
      portal: { baseUrl: 'http://127.0.0.1:8080', token: 'demo-kiosk-token', numberBudgetMs: 400, pushTimeoutMs: 5_000 },
      printer: { host: '127.0.0.1', port: 9100, serialPath: null, baudRate: 9600, statusTimeoutMs: 800, pollIntervalMs: 5_000 },
      idCardReader: null,
      scanner: null,
      visitor: { idleTimeoutMs: 60_000, elderlyAge: 60 },
      technician: { pinHash: DEMO_PIN_HASH, maxFailures: 5, lockoutMs: 300_000, sessionMs: 600_000, selfTestTimeoutMs: 20_000 },
      sync: { bandSize: 50, pullIntervalMs: 30_000 },
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
      portal: { baseUrl: 'http://portal.hall.example:8080', token: 'file-token-123', numberBudgetMs: 250 },
      printer: { port: 9200 },
      sync: { bandSize: 80 },
      retention: { keepDays: 60 },
    });
    const fromFile = loadKioskConfig({ configPath: file, dataDir: tmp.dir, env: {} });
    expect(fromFile).toMatchObject({
      kioskId: 'hall-3-kiosk-2',
      kioskDigit: 2,
      portal: { baseUrl: 'http://portal.hall.example:8080', token: 'file-token-123', numberBudgetMs: 250, pushTimeoutMs: 5_000 },
      printer: { host: '127.0.0.1', port: 9200 },
      sync: { bandSize: 80, pullIntervalMs: 30_000 },
      retention: { personalDataDays: 7, keepDays: 60 },
    });

    const env = {
      KIOSK_ID: 'env-kiosk',
      KIOSK_DIGIT: '5',
      KIOSK_PORTAL_URL: 'http://10.0.0.9:9000',
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
      portal: { baseUrl: 'http://10.0.0.9:9000', token: 'env-token-456', numberBudgetMs: 250 },
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
    expect(config.sync).toEqual({ bandSize: 50, pullIntervalMs: 30_000 });
    expect(config.retention).toEqual({ personalDataDays: 7, keepDays: 30 });
  });
});
