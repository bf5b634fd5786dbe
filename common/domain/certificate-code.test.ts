import { describe, expect, it } from 'vitest';
import type { CertificatePayload } from '../contract/cases-api.js';
import { decodeUtf8, encodeBase64Url, encodeUtf8 } from './base64url.js';
import { canonicalJson, certificatePayloadBytes, formatCertificateCode, parseCertificateCode } from './certificate-code.js';

const PAYLOAD: CertificatePayload = {
  certificateId: '0195f0a2-7c3e-7d2a-8f10-2b3c4d5e6f70',
  hallId: 'demo-city-hall',
  caseNumber: 'SB-2025-0001',
  serviceId: 'social-insurance',
  title: { zh: '社保参保证明', en: 'Social insurance enrolment certificate' },
  holderName: '张*丰',
  issuedAt: '2025-03-10T02:00:00.000Z',
};
const SIGNATURE = new Uint8Array(64).fill(7);

describe('canonical JSON', () => {
  it('sorts keys at every depth and drops whitespace, whatever order the object was built in', () => {
    expect(canonicalJson({ b: 1, a: { d: 'x', c: [true, null] } })).toBe('{"a":{"c":[true,null],"d":"x"},"b":1}');
    const shuffled = { title: { en: PAYLOAD.title.en, zh: PAYLOAD.title.zh }, issuedAt: PAYLOAD.issuedAt, holderName: PAYLOAD.holderName,
      serviceId: PAYLOAD.serviceId, caseNumber: PAYLOAD.caseNumber, hallId: PAYLOAD.hallId, certificateId: PAYLOAD.certificateId };
    expect(certificatePayloadBytes(shuffled)).toEqual(certificatePayloadBytes(PAYLOAD));
  });

  it('pins the payload bytes: a change here breaks every slip already printed', () => {
    expect(decodeUtf8(certificatePayloadBytes(PAYLOAD))).toBe(
      '{"caseNumber":"SB-2025-0001","certificateId":"0195f0a2-7c3e-7d2a-8f10-2b3c4d5e6f70","hallId":"demo-city-hall","holderName":"张*丰",' +
        '"issuedAt":"2025-03-10T02:00:00.000Z","serviceId":"social-insurance","title":{"en":"Social insurance enrolment certificate","zh":"社保参保证明"}}',
    );
  });
});

describe('certificate code', () => {
  const code = formatCertificateCode('k1', certificatePayloadBytes(PAYLOAD), SIGNATURE);

  it('parses what it formats, and ignores a scanner line end', () => {
    expect(code).toMatch(/^HKC1\.k1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{86}$/);
    for (const text of [code, `${code}\r\n`, `  ${code}`]) {
      const parsed = parseCertificateCode(text);
      expect(parsed?.keyId).toBe('k1');
      expect(parsed?.payload).toEqual(PAYLOAD);
      expect(parsed?.signature).toEqual(SIGNATURE);
      expect(parsed?.payloadBytes).toEqual(certificatePayloadBytes(PAYLOAD));
    }
  });

  it('refuses what is not a certificate code', () => {
    const [, , payload, signature] = code.split('.');
    const b64 = (text: string): string => encodeBase64Url(encodeUtf8(text));
    const malformed = [
      '',
      'garbage',
      'https://example.org/?c=HKC1',
      code.replace('HKC1', 'HKC2'),
      `HKC1.k1.${payload}`,
      `${code}.extra`,
      `HKC1.k1.${payload}.${encodeBase64Url(new Uint8Array(63))}`,
      `HKC1.k1.${payload}.${signature}=`,
      `HKC1.k1.${b64('not json')}.${signature}`,
      `HKC1.k1.${b64('{"hallId":"demo-city-hall"}')}.${signature}`,
      // Valid content, not canonical: spaces, reordered keys, an extra key, a duplicated key.
      `HKC1.k1.${b64(JSON.stringify(PAYLOAD, null, 1))}.${signature}`,
      `HKC1.k1.${b64(JSON.stringify(PAYLOAD))}.${signature}`,
      `HKC1.k1.${b64(canonicalJson({ ...PAYLOAD, extra: 'x' }))}.${signature}`,
      `HKC1.k1.${b64(`{"caseNumber":"X-1",${canonicalJson(PAYLOAD).slice(1)}`)}.${signature}`,
      `HKC1.k1.${encodeBase64Url(Uint8Array.from([0xc0, 0xaf]))}.${signature}`,
      'x'.repeat(3000),
    ];
    for (const text of malformed) expect(parseCertificateCode(text), text.slice(0, 80)).toBeNull();
  });
});
