import {
  SyncRejectCode,
  type OutboxEvent,
  type PushRequest,
  type PushResponse,
  type RejectedEvent,
} from '../../../common/contract/sync-api.js';

/**
 * An in-memory model of the portal's push rules (docs/architecture.md §5), the reference the sync
 * engine is checked against: per db epoch one cursor; in one "transaction" per batch it skips
 * seq <= last_seq, stops at the first gap, records each event id once (ON CONFLICT DO NOTHING),
 * applies what is new (or rejects it, if it is poison), advances last_seq and answers it.
 *
 * Its answer is a function of its state: a rejection is reported for every rejected event the
 * batch carries, also when the batch is a resend of one whose answer was lost, so the kiosk can
 * quarantine it whichever answer reaches it.
 */
export class ModelPortal {
  private readonly cursors = new Map<string, number>();
  private readonly received = new Set<string>();
  private readonly rejections = new Map<string, RejectedEvent>();
  /** Events applied (accepted), in the order they were applied. */
  readonly applied: OutboxEvent[] = [];
  /** Events consumed (applied or rejected), in the order they were consumed. */
  readonly consumed: OutboxEvent[] = [];
  /** How many times each event id took effect (must stay 1). */
  readonly effects = new Map<string, number>();
  pushes = 0;

  /** `poison(event)`: the portal refuses this event with a 4xx code (e.g. an unknown service). */
  constructor(private readonly poison: (event: OutboxEvent) => boolean = () => false) {}

  cursor(dbEpoch: string): number {
    return this.cursors.get(dbEpoch) ?? 0;
  }

  push(request: PushRequest, serverTime: string): PushResponse {
    this.pushes++;
    let lastSeq = this.cursor(request.dbEpoch);
    for (const event of [...request.events].sort((a, b) => a.seq - b.seq)) {
      if (event.seq <= lastSeq) continue;
      if (event.seq !== lastSeq + 1) break;
      if (!this.received.has(event.eventId)) {
        this.received.add(event.eventId);
        this.consumed.push(event);
        if (this.poison(event)) {
          this.rejections.set(event.eventId, {
            seq: event.seq,
            eventId: event.eventId,
            code: SyncRejectCode.UnknownService,
            reason: `model portal refuses seq ${event.seq}`,
          });
        } else {
          this.applied.push(event);
          this.effects.set(event.eventId, (this.effects.get(event.eventId) ?? 0) + 1);
        }
      }
      lastSeq = event.seq;
    }
    this.cursors.set(request.dbEpoch, lastSeq);
    const rejected = request.events.flatMap((e) => {
      const r = this.rejections.get(e.eventId);
      return r && e.seq <= lastSeq ? [r] : [];
    });
    return { lastSeq, rejected, serverTime };
  }

  rejectedSeqs(): number[] {
    return [...this.rejections.values()].map((r) => r.seq).sort((a, b) => a - b);
  }
}
