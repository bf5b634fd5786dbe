/**
 * Durable ticket issuance in the kiosk core during an outage (band number taken, ticket + outbox
 * committed in one synchronous=FULL transaction), print excluded, beside the floor measured on the same disk in the same run:
 * a one-row synchronous=FULL transaction. Run once on an empty database and once with 20,000
 * tickets already in it.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { PrintState, PrinterState } from '../common/contract/kiosk-api.js';
import { Priority } from '../common/domain/priority.js';
import { NumberSource } from '../common/domain/ticket-number.js';
import { businessDayOf } from '../common/domain/business-day.js';
import type { ReceiptPrinter } from '../devices/printer/escpos-printer.js';
import { openKioskStore } from '../offline-queue/kiosk-store.js';
import { createNumberAllocator } from '../main/core/number-allocator.js';
import { PortalReachability } from '../main/core/portal-reachability.js';
import { PrinterMonitor } from '../main/core/printer-monitor.js';
import { TicketIssuer } from '../main/core/ticket-issuer.js';
import { emit, percentile, round } from './stats.js';
import { Catalog } from '../common/contract/catalog.js';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 2_000);
// Same filesystem as the kiosk's data folder would be: the working directory's disk, not tmpfs.
const dir = mkdtempSync(path.join(process.cwd(), '.bench-issuance-'));

function floorSamples(label: string): number[] {
  const db = new Database(path.join(dir, `floor-${label}.db`));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL) STRICT');
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
  const tx = db.transaction((v: string) => insert.run(v));
  const out: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const t0 = process.hrtime.bigint();
    tx(randomUUID());
    out.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  db.close();
  return out;
}

/** A printer that reports paper out: the issuer then skips printing, which this bench excludes. */
const noPaper: ReceiptPrinter = {
  readStatus: async () => PrinterState.PaperOut,
  print: async () => {},
  health: () => ({ state: PrinterState.PaperOut, lastCheckedAt: null, errors: { disconnected: 0, timeout: 0, 'bad-frame': 0, 'device-error': 0 }, jobsPrinted: 0 }),
  close: async () => {},
};

async function issuanceSamples(prefill: number): Promise<{ samples: number[]; rss: number }> {
  const store = openKioskStore({ path: path.join(dir, `kiosk-${prefill}.db`) });
  const catalog = Catalog.parse({
    hall: { hallId: 'bench', name: { zh: '大厅', en: 'Hall' }, timeZone: 'Asia/Shanghai' },
    services: 'ABCDEFGHJK'.split('').map((prefix, i) => ({
      id: `service-${i}`, prefix, name: { zh: `业务${i}`, en: `Service ${i}` }, description: null, enabled: true, sortOrder: i,
    })),
  });
  store.saveCatalog(catalog);
  const today = businessDayOf(new Date(), 'Asia/Shanghai');
  // Bands leased before the outage, as the sync engine's lease phase would have stored them.
  store.applyPull({
    cursor: 'bench', catalog: null, kiosk: { kioskId: 'kiosk-1', kioskDigit: 1 }, citizenKey: '0'.repeat(64),
    bands: catalog.services.map((s) => ({ bandId: randomUUID(), serviceId: s.id, businessDay: today, firstSequence: 1, lastSequence: 999 })),
    appointments: [], certificateKeys: [], serverTime: new Date().toISOString(),
  });
  // The real allocator, during an outage: the portal is known unreachable, so it goes straight to the band.
  const reachability = new PortalReachability({ baseMs: 3_600_000, maxMs: 3_600_000 });
  reachability.recordUnanswered();
  const allocator = createNumberAllocator({
    client: { allocateNumber: () => Promise.reject(new Error('unreachable')) },
    budgetMs: 400, kioskDigit: () => 1, clockOffsetMs: () => 0, reachability,
  });
  const monitor = new PrinterMonitor(noPaper, { pollIntervalMs: 60_000, freshMs: 3_600_000, now: () => new Date(), onChange: () => {} });
  await monitor.refresh();
  const issuer = new TicketIssuer({
    store, allocator, printer: noPaper, printerMonitor: monitor, now: () => new Date(),
    onIssued: () => {}, onUpdated: () => {},
  });
  // History: earlier days' tickets, already in the file (the measured day starts with fresh bands).
  for (let i = 0; i < prefill; i++) {
    const service = catalog.services[i % 10]!;
    store.issueTicket({
      ticketId: randomUUID(), requestId: randomUUID(), serviceId: service.id, businessDay: `2026-01-${String(1 + (i % 28)).padStart(2, '0')}`,
      priority: Priority.Normal, number: { source: NumberSource.KioskSeries, prefix: service.prefix, kioskDigit: 1 },
      peopleAhead: null, peopleAheadApproximate: true, issuedOffline: true, printState: PrintState.Printed, citizenHmac: null,
    });
  }
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const requestId = randomUUID();
    const t0 = process.hrtime.bigint();
    await issuer.takeTicket({ serviceId: `service-${i % 10}`, requestId });
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const rss = process.memoryUsage().rss;
  store.close();
  return { samples, rss };
}

try {
  for (const prefill of [0, 20_000]) {
    const floor = floorSamples(String(prefill));
    const { samples, rss } = await issuanceSamples(prefill);
    emit({
      name: prefill === 0 ? 'issuance' : 'issuance-20k-prefilled',
      unit: 'ms',
      p50: round(percentile(samples, 50)),
      p99: round(percentile(samples, 99)),
      floor_p50: round(percentile(floor, 50)),
      floor_p99: round(percentile(floor, 99)),
      samples: SAMPLES,
      prefilled: prefill,
      rss_mb: round(rss / 1_048_576, 1),
    });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
