import type { TicketReceipt } from './ticket-receipt.js';

/** A realistic receipt for tests: 2025-01-02 01:30Z is 09:30 in Shanghai. */
export function sampleReceipt(overrides: Partial<TicketReceipt> = {}): TicketReceipt {
  return {
    hallName: { zh: '某市政务服务中心', en: 'City Government Service Center' },
    serviceName: { zh: '社会保障卡申领', en: 'Social Security Card' },
    number: 'A023',
    peopleAhead: 3,
    peopleAheadApproximate: false,
    issuedAt: new Date('2025-01-02T01:30:00Z'),
    timeZone: 'Asia/Shanghai',
    issuedOffline: false,
    qrData: 'https://hall.example.gov.cn/t/0194254e-7c00-7abc-8def-0123456789ab',
    holderName: null,
    ...overrides,
  };
}
