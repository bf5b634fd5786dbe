import { randomUUID } from 'node:crypto';
import type { NumberBand, PullResponse } from '../../common/contract/sync-api.js';
import { TEST_CITIZEN_KEY, testCatalog } from './fake-portal.js';

/** A band for tests: service `social-insurance` on 2025-03-10 unless overridden. */
export function testBand(overrides: Partial<NumberBand> = {}): NumberBand {
  return {
    bandId: randomUUID(),
    serviceId: 'social-insurance',
    businessDay: '2025-03-10',
    firstSequence: 8001,
    lastSequence: 8050,
    ...overrides,
  };
}

/** A pull answer for tests: the test catalog, kiosk 7, no bands or appointments unless given. */
export function testPull(overrides: Partial<PullResponse> = {}): PullResponse {
  return {
    cursor: 'v1',
    catalog: testCatalog,
    kiosk: { kioskId: 'kiosk-test', kioskDigit: 7 },
    citizenKey: TEST_CITIZEN_KEY,
    bands: [],
    appointments: [],
    certificateKeys: [],
    serverTime: new Date().toISOString(),
    ...overrides,
  };
}
