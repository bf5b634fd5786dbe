import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'hall-kiosk-cli-demo-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The shell with nothing from this process's KIOSK_* environment, a portal nobody listens on, no browser. */
function startShell(args: string[], env: NodeJS.ProcessEnv = {}) {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('KIOSK_')));
  const configFile = path.join(tmp, `kiosk-${Math.random().toString(36).slice(2)}.json`);
  // The demo kiosk token and the demo PIN: the defaults.
  writeFileSync(configFile, JSON.stringify({ dataDir: path.join(tmp, 'data'), portal: { baseUrl: 'http://127.0.0.1:9' } }));
  const child = spawn(process.execPath, ['--import', 'tsx', 'main/browser-host/cli.ts', '--config', configFile, '--no-browser', '--port', '0', ...args], {
    cwd: repoRoot,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines = createInterface({ input: child.stdout });
  const listening = new Promise<boolean>((resolve) => {
    lines.on('line', (line) => {
      stdout += `${line}\n`;
      if (line.includes('"listening"')) resolve(true);
    });
    child.once('exit', () => resolve(false));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, listening, exited, output: () => ({ stdout, stderr }) };
}

describe('browser shell, demo credentials', () => {
  it('refuses to start on the demo credentials without --demo: one line on stderr, exit code 78', async () => {
    const shell = startShell([]);
    const code = await shell.exited;
    const { stdout, stderr } = shell.output();
    expect(code).toBe(78);
    expect(stdout).not.toContain('listening');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^kiosk config: (portal\.token|technician\.pinHash) .*demo/);
  });

  it('refuses KIOSK_DEMO=0 as well, and starts with --demo or KIOSK_DEMO=1', async () => {
    expect(await startShell([], { KIOSK_DEMO: '0' }).exited).toBe(78);
    for (const [args, env] of [[['--demo'], {}], [[], { KIOSK_DEMO: '1' }]] as const) {
      const shell = startShell([...args], env);
      const listening = await shell.listening;
      expect(listening, shell.output().stderr).toBe(true);
      shell.child.kill('SIGKILL');
      await shell.exited;
    }
  });
});
