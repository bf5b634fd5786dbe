/**
 * Model test (issue 3, "Must show"): fast-check drives the real SyncEngine and a real KioskStore
 * (a SQLite file) through a network that drops, duplicates, reorders and delays push requests and
 * loses answers, in front of an in-memory model of the portal's push rules (§5). At every step
 * the kiosk has trimmed only what the portal consumed, in seq order; after healing, the portal
 * holds exactly the issued events, each once, applied in seq order, poison events are
 * quarantined at the kiosk with the portal's reason, and the backlog is 0.
 */
import { rmSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { OutboxEvent } from '../../common/contract/sync-api.js';
import { openKioskStore, type KioskStore } from '../../offline-queue/kiosk-store.js';
import { PortalClient } from '../../offline-queue/sync/portal-client.js';
import { SyncEngine } from '../../offline-queue/sync/sync-engine.js';
import { makeTempDir } from '../../offline-queue/testing/temp-dir.js';
import { ticketInput } from '../../offline-queue/testing/ticket-input.js';
import { countMissing, countSurplus } from './support/counting.js';
import { recordFaultResult } from './support/fault-results.js';
import { ALL_NET_FAULTS, FaultyTransport, NetFault } from './support/faulty-transport.js';
import { ModelPortal } from './support/model-portal.js';
import { faultSeed } from './support/seeded-random.js';

const SEED = faultSeed(5_2025);
const NUM_RUNS = 200;
/** Pushes per run before the network heals for good: a bound, so every run ends. */
const MAX_HEALED_ROUNDS = 50;

const tmp = makeTempDir('sync-model');
afterAll(() => tmp.remove());

type Action =
  | { kind: 'issue'; count: number }
  | { kind: 'sync'; faults: NetFault[] }
  | { kind: 'deliver-held'; pick: number };

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant('issue' as const), count: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('sync' as const), faults: fc.array(fc.constantFrom(...ALL_NET_FAULTS), { maxLength: 6 }) }),
  fc.record({ kind: fc.constant('deliver-held' as const), pick: fc.nat() }),
);

const scenarioArb = fc.record({
  batchSize: fc.integer({ min: 1, max: 7 }),
  poisonSeqs: fc.uniqueArray(fc.integer({ min: 1, max: 120 }), { maxLength: 6 }),
  actions: fc.array(actionArb, { minLength: 1, maxLength: 25 }),
  /** Order in which requests still held in the network arrive after the heal. */
  lateOrder: fc.array(fc.nat(), { maxLength: 20 }),
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

interface RunTally {
  events: number;
  lost: number;
  duplicated: number;
}
const tally: RunTally = { events: 0, lost: 0, duplicated: 0 };
const faultsSeen = new Map<NetFault, number>();

/** Events in the outbox now, remembered by seq before the engine trims them. */
function remember(store: KioskStore, issued: Map<number, OutboxEvent>): void {
  for (const e of store.readOutbox(10_000)) if (!issued.has(e.seq)) issued.set(e.seq, e);
}

/** The first seq the kiosk still holds; everything below it was trimmed. */
function firstUnacked(store: KioskStore): number {
  return store.readOutbox(1)[0]?.seq ?? store.lastSeq() + 1;
}

async function runScenario(s: Scenario): Promise<void> {
  const file = tmp.file('model');
  const store = openKioskStore({ path: file });
  const poison = new Set(s.poisonSeqs);
  const portal = new ModelPortal((e) => poison.has(e.seq));
  const net = new FaultyTransport(portal);
  const client = new PortalClient({ baseUrl: 'http://model-portal.invalid', token: 'model-kiosk-token', fetchImpl: net.fetch });
  const engine = new SyncEngine({ store, client, batchSize: s.batchSize, pushTimeoutMs: 1_000 });
  const issued = new Map<number, OutboxEvent>();

  const checkSafety = (when: string): void => {
    const cursor = portal.cursor(store.dbEpoch);
    // The portal consumed exactly 1..cursor, in order, each once.
    expect(portal.consumed.map((e) => e.seq), when).toEqual(Array.from({ length: cursor }, (_, i) => i + 1));
    // The kiosk trimmed nothing the portal had not consumed.
    expect(firstUnacked(store) - 1, when).toBeLessThanOrEqual(cursor);
    // Only poison ever lands in quarantine.
    for (const q of store.quarantined()) expect(poison.has(q.seq), when).toBe(true);
  };

  try {
    for (const [i, action] of s.actions.entries()) {
      switch (action.kind) {
        case 'issue':
          for (let n = 0; n < action.count; n++) store.issueTicket(ticketInput());
          remember(store, issued);
          break;
        case 'sync':
          net.script(action.faults);
          await engine.drainOnce();
          net.clearScript();
          break;
        case 'deliver-held':
          if (net.held.length > 0) net.deliverHeld(action.pick % net.held.length);
          break;
      }
      checkSafety(`after action ${i} (${action.kind})`);
    }

    // Heal: whatever the network still holds arrives late, in the scenario's order; then clean pushes.
    for (const pick of s.lateOrder) if (net.held.length > 0) net.deliverHeld(pick % net.held.length);
    while (net.held.length > 0) net.deliverHeld(net.held.length - 1);
    checkSafety('after late deliveries');
    for (let round = 0; round < MAX_HEALED_ROUNDS && store.backlog() > 0; round++) await engine.drainOnce();

    const all = [...issued.values()].sort((a, b) => a.seq - b.seq);
    const lastSeq = store.lastSeq();
    expect(all.map((e) => e.seq)).toEqual(Array.from({ length: lastSeq }, (_, i) => i + 1));
    expect(store.backlog()).toBe(0);
    expect(portal.cursor(store.dbEpoch)).toBe(lastSeq);
    // Exactly the issued events, each once, in seq order, unchanged.
    expect(portal.consumed).toEqual(all);
    expect([...portal.effects.values()].every((n) => n === 1)).toBe(true);
    expect(portal.applied.map((e) => e.seq)).toEqual(all.filter((e) => !poison.has(e.seq)).map((e) => e.seq));
    // Poison is quarantined with the portal's reason, and nothing else is.
    expect(store.quarantined().map((q) => q.seq)).toEqual(portal.rejectedSeqs());
    expect(portal.rejectedSeqs()).toEqual(all.filter((e) => poison.has(e.seq)).map((e) => e.seq));
  } finally {
    tally.events += issued.size;
    tally.lost += countMissing(
      [...issued.values()].map((e) => e.eventId),
      portal.consumed.map((e) => e.eventId),
    );
    tally.duplicated += countSurplus(portal.consumed.map((e) => e.eventId));
    for (const [fault, n] of net.faultCounts) faultsSeen.set(fault, (faultsSeen.get(fault) ?? 0) + n);
    await engine.stop();
    store.close();
    rmSync(file, { force: true });
    rmSync(`${file}-wal`, { force: true });
    rmSync(`${file}-shm`, { force: true });
  }
}

describe('sync engine against a model portal behind a faulty network', () => {
  it(`delivers every event exactly once, in seq order, whatever the network does (seed ${SEED})`, async () => {
    try {
      await fc.assert(fc.asyncProperty(scenarioArb, runScenario), { seed: SEED, numRuns: NUM_RUNS });
    } finally {
      recordFaultResult({
        test: 'sync-model',
        kills: 0,
        events: tally.events,
        lost: tally.lost,
        duplicated: tally.duplicated,
        details: { seed: SEED, runs: NUM_RUNS, faults: Object.fromEntries(faultsSeen) },
      });
    }
    // Every kind of fault was exercised, not just generated.
    for (const fault of ALL_NET_FAULTS) expect(faultsSeen.get(fault) ?? 0, fault).toBeGreaterThan(0);
    expect(tally.lost).toBe(0);
    expect(tally.duplicated).toBe(0);
  });
});
