import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyPin } from '../main/core/technician-pin.js';

const repoRoot = path.resolve(import.meta.dirname, '..');

function hashPinScript(input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'scripts/hash-pin.ts')], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('scripts/hash-pin.ts', () => {
  it('refuses a PIN shorter than 6 digits', async () => {
    const { code, stdout, stderr } = await hashPinScript('12345\n');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('6 to 12 digits');
  });

  it('prints a scrypt hash of a 6-digit PIN', async () => {
    const { code, stdout } = await hashPinScript('246810\n');
    expect(code).toBe(0);
    await expect(verifyPin('246810', stdout.trim())).resolves.toBe(true);
  });
});
