import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
// Untyped CommonJS packages: declare the little used here.
const yaml = require('js-yaml') as { load(text: string): unknown };
const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration(config: unknown, logger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

const configFile = fileURLToPath(new URL('../../electron-builder.yml', import.meta.url));

interface BuilderConfig {
  appId: string;
  productName: string;
  directories: { output: string };
  files: string[];
  asar: boolean;
  asarUnpack: string[];
  npmRebuild: boolean;
  buildDependenciesFromSource: boolean;
  electronFuses: Record<string, boolean>;
  linux: { target: string[]; category: string; maintainer: string };
  win: { target: Array<{ target: string; arch: string[] }> };
  nsis: { oneClick: boolean; perMachine: boolean };
  extraResources?: unknown;
}

async function loadConfig(): Promise<BuilderConfig> {
  return yaml.load(await readFile(configFile, 'utf8')) as BuilderConfig;
}

describe('electron-builder.yml', () => {
  it("is valid for electron-builder 26's own schema", async () => {
    await expect(validateConfiguration(await loadConfig(), new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('the schema check is real: a misspelt key fails it', async () => {
    const config = await loadConfig();
    await expect(validateConfiguration({ ...config, npmRebuilt: true }, new DebugLogger(false))).rejects.toThrow(/npmRebuilt/);
    const badFuse = { ...config, electronFuses: { ...config.electronFuses, runAsNodee: false } };
    await expect(validateConfiguration(badFuse, new DebugLogger(false))).rejects.toThrow(/electronFuses/);
  });

  it('packages the app into an asar, native modules unpacked and rebuilt', async () => {
    const config = await loadConfig();
    expect(config.appId).toBe('cn.gov.hallkiosk');
    expect(config.productName).toBe('Hall Kiosk');
    expect(config.directories.output).toBe('release');
    expect(config.files).toEqual(expect.arrayContaining(['dist/**', 'renderer/dist/**', 'package.json']));
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining(['**/*.node', 'node_modules/better-sqlite3/**', 'node_modules/@serialport/bindings-cpp/**']),
    );
    expect(config.npmRebuild).toBe(true);
    expect(config.buildDependenciesFromSource).toBe(false);
    expect(config.extraResources).toBeUndefined();
  });

  it('sets the fuses of the security checklist', async () => {
    expect((await loadConfig()).electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('builds AppImage and deb for Linux, an x64 per-machine NSIS installer for Windows', async () => {
    const config = await loadConfig();
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.linux.category).toBe('Utility');
    expect(config.linux.maintainer).toMatch(/<[^@\s]+@[^>\s]+>/);
    expect(config.win.target).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    expect(config.nsis).toEqual({ oneClick: false, perMachine: true });
  });
});
