import { describe, expect, it } from 'vitest';
import { PullResponse } from '../../common/contract/sync-api.js';
import { decodePullCursor, encodePullCursor, hallTagOf, type PullCursor } from './pull-cursor.js';

const cursor: PullCursor = { hallTag: hallTagOf('demo-city-hall'), catalogVersion: 7, appointmentSeq: 42, coveredUntil: '2025-03-11' };

function encodeRaw(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

describe('pull cursor', () => {
  it('round-trips and fits the contract, even at the largest counters', () => {
    expect(decodePullCursor(encodePullCursor(cursor))).toEqual(cursor);
    const big = { ...cursor, catalogVersion: Number.MAX_SAFE_INTEGER, appointmentSeq: Number.MAX_SAFE_INTEGER };
    expect(PullResponse.shape.cursor.safeParse(encodePullCursor(big)).success).toBe(true);
  });

  it('tells halls apart by tag', () => {
    expect(hallTagOf('demo-city-hall')).toMatch(/^[0-9a-f]{12}$/);
    expect(hallTagOf('other-hall')).not.toBe(hallTagOf('demo-city-hall'));
  });

  it('refuses anything it did not issue with 400 bad-request', () => {
    const tag = cursor.hallTag;
    const malformed = [
      'not base64!',
      'x'.repeat(201),
      encodeRaw({ catalogVersion: 1 }),
      encodeRaw([2, tag, 1, 1, '2025-03-11']),
      encodeRaw([1, 'nothex', 1, 1, '2025-03-11']),
      encodeRaw([1, tag, -1, 1, '2025-03-11']),
      encodeRaw([1, tag, 1, 1.5, '2025-03-11']),
      encodeRaw([1, tag, 1, 1, '2025-02-30']),
      encodeRaw([1, tag, 1, 1, '2025-03-11', 'extra']),
      Buffer.from('{not json', 'utf8').toString('base64url'),
    ];
    for (const text of malformed) {
      expect(() => decodePullCursor(text), text).toThrow(expect.objectContaining({ code: 'bad-request', status: 400 }));
    }
  });
});
