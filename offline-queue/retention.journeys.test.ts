import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { CaseStatus } from '../common/contract/cases-api.js';
import { RatingLevel } from '../common/contract/ratings-api.js';
import { SyncRejectCode } from '../common/contract/sync-api.js';
import { RatingQueued, openKioskStore } from './kiosk-store.js';
import { testPull } from './testing/store-fixtures.js';
import { makeTempDir } from './testing/temp-dir.js';

const tmp = makeTempDir('retention-journeys');
afterAll(() => tmp.remove());

const DAY_MS = 86_400_000;
const HMAC = 'ab'.repeat(32);
const policy = { personalDataDays: 7, keepDays: 30 };

const caseView = {
  caseNumber: 'C20250301-0007',
  serviceId: 'social-insurance',
  serviceName: { zh: '社保', en: 'Social insurance' },
  status: CaseStatus.Accepted,
  timeline: [{ status: CaseStatus.Accepted, at: '2025-03-01T02:00:00.000Z', note: null }],
  dueDay: null,
  certificate: null,
  updatedAt: '2025-03-01T02:00:00.000Z',
};

describe('KioskStore.purgeExpired and the citizen journeys', () => {
  it('deletes a visitor’s cached cases personalDataDays after they were fetched; a fresher answer stays', () => {
    const clock = { ms: Date.parse('2025-03-01T02:00:00.000Z') };
    const store = openKioskStore({ path: tmp.file('cases'), now: () => new Date(clock.ms) });
    store.applyPull(testPull());
    store.saveCases(HMAC, [caseView], new Date(clock.ms).toISOString());
    store.saveCases('cd'.repeat(32), [caseView], new Date(clock.ms + 5 * DAY_MS).toISOString());
    clock.ms += 6 * DAY_MS;
    expect(store.purgeExpired(new Date(clock.ms), policy).casesDeleted).toBe(0);
    clock.ms += 2 * DAY_MS;
    expect(store.purgeExpired(new Date(clock.ms), policy).casesDeleted).toBe(1);
    expect(store.cachedCases(HMAC)).toBeNull();
    expect(store.cachedCases('cd'.repeat(32))?.cases).toHaveLength(1);
    store.close();
  });

  it('takes a quarantined rating’s comment with the personal data, and forgets a rating given here after keepDays', () => {
    const clock = { ms: Date.parse('2025-03-01T02:00:00.000Z') };
    const file = tmp.file('ratings');
    const store = openKioskStore({ path: file, now: () => new Date(clock.ms) });
    store.applyPull(testPull());
    const ticketId = randomUUID();
    const rated = store.queueRating({
      ratingId: randomUUID(),
      ticketId,
      overall: RatingLevel.VeryDissatisfied,
      efficiency: RatingLevel.Dissatisfied,
      expertise: RatingLevel.Dissatisfied,
      attitude: RatingLevel.VeryDissatisfied,
      comment: '张三的电话 13800000000',
      ratedAt: new Date(clock.ms).toISOString(),
    });
    expect(rated).toBe(RatingQueued.Queued);
    const [event] = store.readOutbox(1);
    store.acknowledge(1, [{ seq: 1, eventId: event?.eventId ?? '', code: SyncRejectCode.NotRateable, reason: 'not served' }]);

    clock.ms += 8 * DAY_MS;
    expect(store.purgeExpired(new Date(clock.ms), policy)).toMatchObject({ quarantineCleared: 1, ratingsDeleted: 0 });
    const db = new Database(file, { readonly: true });
    const payload = JSON.parse(String(db.prepare('SELECT payload FROM quarantine').pluck().get())) as Record<string, unknown>;
    db.close();
    expect(payload.comment).toBeNull();
    expect(payload.overall).toBe(RatingLevel.VeryDissatisfied);
    expect(store.ratingGiven(ticketId)).not.toBeNull();

    clock.ms += 23 * DAY_MS;
    expect(store.purgeExpired(new Date(clock.ms), policy)).toMatchObject({ ratingsDeleted: 1, quarantineDeleted: 1 });
    expect(store.ratingGiven(ticketId)).toBeNull();
    store.close();
  });
});
