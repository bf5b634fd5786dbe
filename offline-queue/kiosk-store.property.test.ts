import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { SyncRejectCode } from '../common/contract/sync-api.js';
import { openKioskStore, type KioskStore } from './kiosk-store.js';
import { makeTempDir } from './testing/temp-dir.js';
import { ticketInput } from './testing/ticket-input.js';

const tmp = makeTempDir('store-prop');
afterAll(() => tmp.remove());

type Step =
  | { kind: 'issue'; count: number }
  | { kind: 'ack'; take: number; rejectFirst: boolean }
  | { kind: 'reopen' };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('issue' as const), count: fc.integer({ min: 1, max: 4 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('ack' as const), take: fc.integer({ min: 0, max: 6 }), rejectFirst: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reopen' as const) }) },
);

describe('KioskStore outbox (property)', () => {
  it('random issue / acknowledge / reopen keeps seq gapless and backlog == issued - acked', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 14 }), (steps) => {
        const file = tmp.file('prop');
        let store: KioskStore = openKioskStore({ path: file });
        let issued = 0;
        let acked = 0;
        let quarantined = 0;
        try {
          for (const s of steps) {
            if (s.kind === 'issue') {
              for (let i = 0; i < s.count; i++) store.issueTicket(ticketInput());
              issued += s.count;
            } else if (s.kind === 'ack') {
              // The portal answers with a cursor at or before the last event it was sent.
              const head = store.readOutbox(s.take);
              const last = head.at(-1);
              const first = head[0];
              const rejected =
                s.rejectFirst && first
                  ? [{ seq: first.seq, eventId: first.eventId, code: SyncRejectCode.InvalidEvent, reason: 'property' }]
                  : [];
              store.acknowledge(last?.seq ?? acked, rejected);
              acked += head.length;
              quarantined += rejected.length;
            } else {
              store.close();
              store = openKioskStore({ path: file });
            }

            const seqs = store.readOutbox(1_000).map((e) => e.seq);
            expect(store.backlog()).toBe(issued - acked);
            expect(seqs).toEqual(Array.from({ length: issued - acked }, (_, i) => acked + 1 + i));
            expect(store.lastSeq()).toBe(issued);
            expect(store.quarantined()).toHaveLength(quarantined);
          }
        } finally {
          store.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});
