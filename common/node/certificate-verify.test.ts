import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CertificateVerdict, type CertificateKey, type CertificatePayload } from '../contract/cases-api.js';
import { decodeBase64Url, encodeBase64Url, encodeUtf8 } from '../domain/base64url.js';
import { canonicalJson, certificatePayloadBytes, formatCertificateCode } from '../domain/certificate-code.js';
import { verifyCertificateCode } from './certificate-verify.js';

function hallKey(keyId: string): { key: CertificateKey; privateKey: KeyObject } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { key: { keyId, publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64') }, privateKey };
}

const PAYLOAD: CertificatePayload = {
  certificateId: '0195f0a2-7c3e-7d2a-8f10-2b3c4d5e6f70',
  hallId: 'demo-city-hall',
  caseNumber: 'SB-2025-0001',
  serviceId: 'social-insurance',
  title: { zh: '社保参保证明', en: 'Social insurance enrolment certificate' },
  holderName: '张*丰',
  issuedAt: '2025-03-10T02:00:00.000Z',
};

function signed(payload: CertificatePayload, keyId: string, privateKey: KeyObject): string {
  const bytes = certificatePayloadBytes(payload);
  return formatCertificateCode(keyId, bytes, sign(null, bytes, privateKey));
}

describe('verifyCertificateCode', () => {
  const hall = hallKey('hall-a-1');
  const other = hallKey('hall-b-1');
  const keys = [hallKey('hall-a-0').key, hall.key];
  const code = signed(PAYLOAD, 'hall-a-1', hall.privateKey);

  it('accepts a code signed with one of the keys, and shows the certificate', () => {
    expect(verifyCertificateCode(code, keys)).toEqual({ verdict: CertificateVerdict.Valid, certificate: PAYLOAD });
  });

  it('refuses an altered payload (re-encoded canonically, so only the signature can tell)', () => {
    const [prefix, keyId, , signature] = code.split('.');
    const altered = encodeBase64Url(encodeUtf8(canonicalJson({ ...PAYLOAD, holderName: '李*四' })));
    expect(verifyCertificateCode(`${prefix}.${keyId}.${altered}.${signature}`, keys)).toEqual({ verdict: CertificateVerdict.BadSignature, certificate: null });
  });

  it('refuses an altered signature', () => {
    const parts = code.split('.');
    const signature = decodeBase64Url(parts[3] ?? '') ?? new Uint8Array(64);
    signature[10] = (signature[10] ?? 0) ^ 0x01;
    parts[3] = encodeBase64Url(signature);
    expect(verifyCertificateCode(parts.join('.'), keys).verdict).toBe(CertificateVerdict.BadSignature);
  });

  it("refuses another hall's key: unknown under its own id, a bad signature under one of ours", () => {
    expect(verifyCertificateCode(signed(PAYLOAD, 'hall-b-1', other.privateKey), keys)).toEqual({ verdict: CertificateVerdict.UnknownKey, certificate: null });
    expect(verifyCertificateCode(signed(PAYLOAD, 'hall-a-1', other.privateKey), keys).verdict).toBe(CertificateVerdict.BadSignature);
  });

  it('calls garbage malformed, and a code with no usable key unknown', () => {
    for (const text of ['', 'garbage', 'HKC1.a.b.c', code.slice(0, -3)]) expect(verifyCertificateCode(text, keys).verdict, text).toBe(CertificateVerdict.Malformed);
    expect(verifyCertificateCode(code, []).verdict).toBe(CertificateVerdict.UnknownKey);
    // A key that is not an Ed25519 public key is no key at all.
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    expect(verifyCertificateCode(code, [{ keyId: 'hall-a-1', publicKey: rsa }]).verdict).toBe(CertificateVerdict.UnknownKey);
  });
});
