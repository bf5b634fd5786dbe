import { generateKeyPairSync, createPrivateKey, randomBytes, sign, verify } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateKek, CertificateKekFileError, loadCertificateKekFile, openSigningKey, sealSigningKey } from './key-sealing.js';

describe('sealing a signing key at rest', () => {
  const kek = new CertificateKek(randomBytes(32));
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const sealed = sealSigningKey(kek, 'hall-a', 'key-1', privateKey);

  it('opens with the same KEK, hall and key id, and the key signs as before', () => {
    const opened = openSigningKey(kek, 'hall-a', 'key-1', sealed);
    expect(opened).not.toBeNull();
    const message = Buffer.from('payload');
    expect(verify(null, message, publicKey, sign(null, message, opened ?? privateKey))).toBe(true);
  });

  it('is not a private key by itself, and does not contain the key material', () => {
    expect(() => createPrivateKey({ key: sealed, format: 'der', type: 'pkcs8' })).toThrow();
    const raw = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32);
    expect(sealed.includes(raw)).toBe(false);
  });

  it('does not open under another KEK, another hall, another key id, or altered', () => {
    expect(openSigningKey(new CertificateKek(randomBytes(32)), 'hall-a', 'key-1', sealed)).toBeNull();
    expect(openSigningKey(kek, 'hall-b', 'key-1', sealed)).toBeNull();
    expect(openSigningKey(kek, 'hall-a', 'key-2', sealed)).toBeNull();
    const altered = Buffer.from(sealed);
    altered[20] = (altered[20] ?? 0) ^ 1;
    expect(openSigningKey(kek, 'hall-a', 'key-1', altered)).toBeNull();
    expect(openSigningKey(kek, 'hall-a', 'key-1', sealed.subarray(0, 20))).toBeNull();
  });

  it('never prints the KEK: JSON and inspect show its id only', () => {
    const bytes = randomBytes(32);
    const shown = new CertificateKek(bytes);
    const texts = [JSON.stringify({ kek: shown }), inspect(shown), inspect({ nested: { shown } }), String(Object.values(shown))];
    for (const text of texts) {
      expect(text).not.toContain(bytes.toString('hex'));
      expect(text).not.toContain(bytes.toString('base64'));
    }
    expect(JSON.stringify(shown)).toBe(JSON.stringify({ id: shown.id }));
    expect(shown.id).toMatch(/^[0-9a-f]{16}$/);
    expect(new CertificateKek(bytes).id).toBe(shown.id);
    expect(() => new CertificateKek(randomBytes(16))).toThrow(RangeError);
  });
});

describe('the KEK file', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'kek-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is created at first start, readable by its owner only, and read back the same afterwards', async () => {
    const file = path.join(dir, 'secrets', 'portal-certificate.kek');
    const first = await loadCertificateKekFile(file);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readFile(file, 'utf8')).trim()).toMatch(/^[0-9a-f]{64}$/);
    expect((await loadCertificateKekFile(file)).id).toBe(first.id);
  });

  it('is refused when others may read it, or when it holds anything but 32 hex bytes', async () => {
    const open = path.join(dir, 'open.kek');
    await writeFile(open, `${'ab'.repeat(32)}\n`, { mode: 0o644 });
    await chmod(open, 0o644);
    await expect(loadCertificateKekFile(open)).rejects.toThrow(CertificateKekFileError);
    const short = path.join(dir, 'short.kek');
    await writeFile(short, 'abcd\n', { mode: 0o600 });
    await expect(loadCertificateKekFile(short)).rejects.toThrow(/64 hex digits/);
  });
});
