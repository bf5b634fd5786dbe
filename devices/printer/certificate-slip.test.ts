import { describe, expect, it } from 'vitest';
import { composeCertificateSlip, type CertificateSlip } from './certificate-slip.js';
import { decodeEscPos } from './simulator/escpos-decoder.js';

const CODE = `HKC1.hall-1-2025.${'e'.repeat(380)}.${'s'.repeat(86)}`;

function sample(overrides: Partial<CertificateSlip> = {}): CertificateSlip {
  return {
    hallName: { zh: '市民中心', en: 'Civic Centre' },
    title: { zh: '社保参保证明', en: 'Social insurance certificate' },
    holderName: '张*三',
    caseNumber: 'C20250310-0001',
    // 16:30Z on the 9th is 00:30 on the 10th in Shanghai.
    issuedAt: new Date('2025-03-09T16:30:00.000Z'),
    timeZone: 'Asia/Shanghai',
    code: CODE,
    ...overrides,
  };
}

describe('composeCertificateSlip', () => {
  it('prints the title, masked holder, case number, issue date in the hall zone and a QR of the code', () => {
    const slip = decodeEscPos(composeCertificateSlip(sample()));
    expect(slip.lines).toContain('电子证照核验单');
    expect(slip.lines).toContain('社保参保证明');
    expect(slip.lines).toContain('Social insurance certificate');
    expect(slip.lines).toContain('持证人 / Holder: 张*三');
    expect(slip.lines).toContain('办件编号 / Case: C20250310-0001');
    expect(slip.lines).toContain('签发日期 / Issued: 2025-03-10');
    expect(slip.qrCodes).toEqual([CODE]);
    expect(slip.lines.at(-1)).toBe('扫码核验 / Scan to verify');
    expect(slip.cut).toBe(true);
  });

  it('keeps a short code at the ticket QR size and shrinks the modules of a long one', () => {
    const moduleSize = (bytes: Buffer): number => bytes[bytes.indexOf(Buffer.from([0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x43])) + 7] ?? -1;
    expect(moduleSize(composeCertificateSlip(sample({ code: 'HKC1.k.abc.def' })))).toBe(6);
    expect(moduleSize(composeCertificateSlip(sample()))).toBe(4);
  });
});
