import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CertificateVerdict, type CertificateKey, type CertificatePayload } from '../../common/contract/cases-api.js';
import { certificatePayloadBytes, formatCertificateCode } from '../../common/domain/certificate-code.js';
import { checkCertificate } from './certificate-check.js';

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const KEY: CertificateKey = { keyId: 'hall-1-new', publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64') };
const PAYLOAD: CertificatePayload = {
  certificateId: '0195f0a2-7c3e-7d2a-8f10-2b3c4d5e6f71',
  hallId: 'hall-1',
  caseNumber: 'SB-2025-0002',
  serviceId: 'social-insurance',
  title: { zh: '社保参保证明', en: 'Social insurance certificate' },
  holderName: '张*丰',
  issuedAt: '2025-03-10T02:00:00.000Z',
};
const BYTES = certificatePayloadBytes(PAYLOAD);
const CODE = formatCertificateCode(KEY.keyId, BYTES, sign(null, BYTES, privateKey));

/** Keys as the kiosk store holds them; `refresh` plays the pull that brings `pulled` in. */
function kiosk(held: CertificateKey[], pulled: CertificateKey[] = []) {
  const keys = [...held];
  let pulls = 0;
  return {
    keys: () => keys,
    refresh: async () => {
      pulls += 1;
      keys.push(...pulled);
    },
    pulls: () => pulls,
  };
}

describe('checkCertificate at the kiosk', () => {
  it('verifies a slip signed by a key the kiosk has not pulled yet, after one pull (the hall’s first certificate)', async () => {
    const k = kiosk([], [KEY]);
    const result = await checkCertificate(CODE, k);
    expect(result.verdict).toBe(CertificateVerdict.Valid);
    expect(result.certificate?.caseNumber).toBe('SB-2025-0002');
    expect(k.pulls()).toBe(1);
  });

  it('keeps unknown-key when the pull brings no such key, or when there is nothing to pull with (offline)', async () => {
    const k = kiosk([]);
    expect((await checkCertificate(CODE, k)).verdict).toBe(CertificateVerdict.UnknownKey);
    expect(k.pulls()).toBe(1);
    expect((await checkCertificate(CODE, { keys: () => [] })).verdict).toBe(CertificateVerdict.UnknownKey);
  });

  it('pulls for nothing else: a known key verifies or refuses at once', async () => {
    const k = kiosk([KEY]);
    expect((await checkCertificate(CODE, k)).verdict).toBe(CertificateVerdict.Valid);
    const [prefix, keyId, payload = '', signature = ''] = CODE.split('.');
    const altered = [prefix, keyId, payload, `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`].join('.');
    expect((await checkCertificate(altered, k)).verdict).toBe(CertificateVerdict.BadSignature);
    expect((await checkCertificate('HKC1.not-a-code', k)).verdict).toBe(CertificateVerdict.Malformed);
    expect(k.pulls()).toBe(0);
  });
});
