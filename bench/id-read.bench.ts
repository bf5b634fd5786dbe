/**
 * id-read: from the moment a card is placed on the simulated reader to the decoded card at the
 * driver, poll cycle included, over a real PTY (socat) with the simulator pacing at 115200 baud.
 * Beside it the wire-time floor of the exchange one read needs (find, select and read, commands
 * and replies: bytes counted by the simulator for each read) x 10 bits / baud.
 * Placements fall at a random phase of the poll cycle, as a hand does.
 *   BENCH_READS (default 40), BENCH_POLL_MS (default 10).
 */
import { IdCardReader } from '../devices/id-card/id-card-reader.js';
import type { IdCardData } from '../devices/id-card/id-card-text.js';
import { IdReaderSimulator } from '../devices/id-card/simulator/id-reader-simulator.js';
import { SampleCardName } from '../devices/id-card/simulator/sample-cards.js';
import { wireTimeMs } from '../devices/serial/baud-pacer.js';
import { startPtyPair } from '../devices/testing/pty-pair.js';
import { emit, percentile, round } from './stats.js';

const READS = Math.max(30, Number(process.env.BENCH_READS ?? 40));
const POLL_MS = Number(process.env.BENCH_POLL_MS ?? 10);
const BAUD = 115200;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const pty = await startPtyPair();
  const sim = await IdReaderSimulator.open({ path: pty.b, baudRate: BAUD });
  const reader = new IdCardReader({ path: pty.a, baudRate: BAUD, pollIntervalMs: POLL_MS, commandTimeoutMs: 1000, today: () => '2025-06-01' });
  const latencies: number[] = [];
  const floors: number[] = [];
  try {
    const ready = new Promise<void>((resolve) => reader.on('state', (s) => s === 'ready' && resolve()));
    reader.start();
    await ready;
    const cards = [SampleCardName.Mainland, SampleCardName.HkMacauTaiwan, SampleCardName.Foreign2017, SampleCardName.Foreign2023, SampleCardName.RareName];
    for (let i = 0; i < READS; i++) {
      await sleep(Math.random() * (POLL_MS + 5));
      const read = new Promise<IdCardData>((resolve) => reader.once('card', resolve));
      const t0 = performance.now();
      sim.placeCard(cards[i % cards.length] ?? SampleCardName.Mainland);
      await read;
      latencies.push(performance.now() - t0);
      if (process.env.BENCH_DEBUG) console.error(i, (performance.now() - t0).toFixed(1));
      floors.push(wireTimeMs(sim.stats.lastReadExchangeBytes, BAUD));
      sim.removeCard();
      // Let the reader see the field empty before the next card.
      const seen = sim.stats.commands + 2;
      while (sim.stats.commands < seen) await sleep(1);
    }
  } finally {
    await reader.stop();
    await sim.close();
    await pty.stop();
  }
  emit({
    name: 'id-read',
    unit: 'ms',
    p50: round(percentile(latencies, 50)),
    p99: round(percentile(latencies, 99)),
    floor_p50: round(percentile(floors, 50)),
    floor_p99: round(percentile(floors, 99)),
    reads: READS,
    baud: BAUD,
    poll_ms: POLL_MS,
    bytes_per_read: sim.stats.lastReadExchangeBytes,
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
