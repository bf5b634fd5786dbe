/**
 * Long outage (issue 3, "Must show"): on a controlled clock, a kiosk that leased its number bands
 * while online loses the portal for 7 days and issues 20,000 tickets across the day boundaries:
 * the bands run out (then the kiosk-marked series takes over), its clock jumps back by hours across
 * midnight and forward by a day (and back). Then the network returns and one drain pushes
 * everything: the portal holds every ticket once, with the number the kiosk printed, no number
 * twice on any business day, and the events arrived in seq order, which is issuance order.
 *
 * Clocks: "hall time" runs the scenario and is the portal's clock; the kiosk's clock is hall time
 * plus a skew the test sets (the jumps). Timers (retries, back-off) stay on real time: 7 days are
 * simulated, not waited for. The printer is out of paper, so the tickets are shown on screen
 * only: printing is the power-cut test's business, the clock and the numbering are this one's.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { NumberSource } from '../../common/domain/ticket-number.js';
import { PrinterSimulator } from '../../devices/printer/simulator/printer-simulator.js';
import { KioskConfigSchema } from '../../main/core/kiosk-config.js';
import { startKioskRuntime } from '../../main/core/start-kiosk-runtime.js';
import { DEMO_SERVICES } from '../../portal/seed/demo-hall.js';
import { ChaosProxy, PartitionMode } from './support/chaos-proxy.js';
import { countMissing, countSurplus, holes, repeated } from './support/counting.js';
import { recordFaultResult } from './support/fault-results.js';
import { readKioskDb } from './support/kiosk-db-snapshot.js';
import { faultKiosks, snapshotPortal, startPortalUnderTest, type PortalUnderTest } from './support/portal-under-test.js';

const OUTAGE_DAYS = 7;
const OUTAGE_TICKETS = 20_000;
const ONLINE_TICKETS = 30;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** 2025-03-10 00:00 in Shanghai (UTC+8, no DST): day 0 of the scenario. */
const DAY0_MIDNIGHT = Date.parse('2025-03-09T16:00:00.000Z');
/** Opening hours, local: tickets are spread evenly from 08:30 to 17:30. */
const OPEN_AT = 8.5 * HOUR;
const OPEN_FOR = 9 * HOUR;
/** The clock jumps: back 10 h across midnight early on day 3; forward a day from mid-day 4 until day 5. */
const BACK_JUMP = { day: 3, fromShare: 0, toShare: 0.1, skewMs: -10 * HOUR };
const FORWARD_JUMP = { day: 4, fromShare: 0.5, toShare: 1, skewMs: DAY };
/** Three services: enough tickets each to use up the bands leased for days 0 and 1. */
const services = DEMO_SERVICES.slice(0, 3);
const KIOSK = faultKiosks('outage', 1)[0]!;

type Runtime = Awaited<ReturnType<typeof startKioskRuntime>>;
const TicketAnswer = z.object({ ticketId: z.string(), number: z.string(), numberSource: z.enum(NumberSource) });

const clock = { hallMs: DAY0_MIDNIGHT + 8 * HOUR, skewMs: 0 };
const hallNow = (): Date => new Date(clock.hallMs);
const kioskNow = (): Date => new Date(clock.hallMs + clock.skewMs);

const tmp = mkdtempSync(path.join(os.tmpdir(), 'hall-kiosk-outage-'));
let portal: PortalUnderTest;
let proxy: ChaosProxy;
let printer: PrinterSimulator;
let runtime: Runtime;

beforeAll(async () => {
  portal = await startPortalUnderTest([KIOSK], { clock: hallNow });
  // Only the three services of the scenario are open: the kiosk leases bands for open services.
  await portal.pool.query('UPDATE services SET enabled = (service_id = ANY($1))', [services.map((s) => s.id)]);
  proxy = await ChaosProxy.start({ upstream: { host: '127.0.0.1', port: portal.port }, seed: 7 });
  printer = await PrinterSimulator.start({ port: 0 });
  printer.setFaults({ paperOut: true });
  const config = KioskConfigSchema.parse({
    version: 1,
    kioskId: KIOSK.kioskId,
    kioskDigit: KIOSK.kioskDigit,
    dataDir: path.join(tmp, 'kiosk'),
    // The default technician PIN is the demo one: refused outside demo mode.
    demoMode: true,
    // A generous budget: the online tickets before the outage must get portal numbers even on a
    // loaded machine; during the outage the proxy refuses at once, so it costs nothing there.
    portal: { baseUrl: proxy.url, token: KIOSK.token, numberBudgetMs: 5_000 },
    printer: { host: '127.0.0.1', port: printer.port, pollIntervalMs: 60_000 },
  });
  runtime = await startKioskRuntime(config, { now: kioskNow, catalogWaitMs: 30_000 });
});

afterAll(async () => {
  proxy?.heal();
  await runtime?.close();
  await proxy?.close();
  await printer?.stop();
  await portal?.close();
  rmSync(tmp, { recursive: true, force: true });
});

interface Issued {
  ticketId: string;
  number: string;
  numberSource: NumberSource;
  hallDay: number;
}

async function until(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await probe())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The business days of the bands the kiosk holds per service (to see they were leased before the outage). */
function bandDays(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const band of runtime.store.listBands()) {
    const days = out.get(band.serviceId) ?? new Set<string>();
    days.add(band.businessDay);
    out.set(band.serviceId, days);
  }
  return out;
}

describe('long outage', () => {
  it(`issues ${OUTAGE_TICKETS} tickets over ${OUTAGE_DAYS} offline days and syncs them in order, once`, async () => {
    const issued: Issued[] = [];
    const take = async (serviceId: string, hallDay: number): Promise<void> => {
      const result = await runtime.dispatch('takeTicket', { serviceId, requestId: randomUUID() });
      if (!result.ok) throw new Error(`takeTicket refused on day ${hallDay}: ${result.error.code} ${result.error.message}`);
      issued.push({ ...TicketAnswer.parse(result.response), hallDay });
    };

    // Online on day 0: bands for today and tomorrow are leased, a few tickets get portal numbers.
    await until('bands for day 0 and day 1 to be leased', () => {
      const days = bandDays();
      return services.every((s) => (days.get(s.id)?.size ?? 0) >= 2);
    });
    for (let n = 0; n < ONLINE_TICKETS; n++) await take(services[n % services.length]!.id, 0);

    // The portal is gone for a week.
    proxy.partition(PartitionMode.Refuse);
    const perDay = Math.ceil(OUTAGE_TICKETS / OUTAGE_DAYS);
    let n = 0;
    for (let day = 0; day < OUTAGE_DAYS && n < OUTAGE_TICKETS; day++) {
      const today = Math.min(perDay, OUTAGE_TICKETS - n);
      for (let i = 0; i < today; i++, n++) {
        const share = i / today;
        clock.hallMs = DAY0_MIDNIGHT + day * DAY + OPEN_AT + Math.floor(share * OPEN_FOR);
        const jump = [BACK_JUMP, FORWARD_JUMP].find((j) => j.day === day && share >= j.fromShare && share < j.toShare);
        clock.skewMs = jump?.skewMs ?? 0;
        await take(services[n % services.length]!.id, day);
      }
    }
    clock.skewMs = 0;
    expect(runtime.store.backlog()).toBeGreaterThanOrEqual(OUTAGE_TICKETS);

    // Day 7: the network is back. One drain pushes the whole week.
    clock.hallMs = DAY0_MIDNIGHT + OUTAGE_DAYS * DAY + 9 * HOUR;
    proxy.heal();
    await runtime.sync.drainOnce();
    const backlogAfterOneDrain = runtime.store.backlog();
    const lastSeq = runtime.store.lastSeq();
    const dbEpoch = runtime.store.dbEpoch;
    const quarantined = runtime.store.quarantined();
    await runtime.close();

    const kiosk = readKioskDb(path.join(tmp, 'kiosk', 'kiosk.db'));
    const snapshot = await snapshotPortal(portal.pool);
    expect.soft(kiosk.integrity).toBe('ok');
    expect.soft(backlogAfterOneDrain).toBe(0);
    expect.soft(quarantined).toEqual([]);

    // Every ticket once at the portal, with the day and number the kiosk printed.
    const total = ONLINE_TICKETS + OUTAGE_TICKETS;
    expect.soft(issued).toHaveLength(total);
    const kioskById = new Map(kiosk.tickets.map((t) => [t.ticketId, t]));
    const portalById = new Map(snapshot.tickets.map((t) => [t.ticketId, t]));
    const lost = countMissing(issued.map((t) => t.ticketId), portalById.keys());
    expect.soft(lost, 'tickets missing at the portal').toBe(0);
    expect.soft(snapshot.tickets).toHaveLength(total);
    const notAsPrinted = issued.filter((t) => {
      const mine = kioskById.get(t.ticketId);
      const held = portalById.get(t.ticketId);
      return mine?.number !== t.number || `${held?.businessDay} ${held?.number}` !== `${mine.businessDay} ${t.number}`;
    });
    expect.soft(notAsPrinted, 'tickets whose stored or portal number differs from the one issued').toEqual([]);
    const dayNumbers = snapshot.tickets.map((t) => `${t.businessDay} ${t.number}`);
    expect.soft(repeated(dayNumbers), 'a number twice on one business day').toEqual(new Map());
    expect.soft(repeated(snapshot.tickets.map((t) => t.ticketId))).toEqual(new Map());

    // In order, once: seqs 1..N, each once, in issuance order, received in seq order.
    const events = [...snapshot.events].sort((a, b) => a.seq - b.seq);
    expect.soft(new Set(events.map((e) => e.dbEpoch))).toEqual(new Set([dbEpoch]));
    expect.soft(lastSeq).toBe(total);
    expect.soft(holes(events.map((e) => e.seq), lastSeq)).toEqual([]);
    expect.soft(events).toHaveLength(lastSeq);
    expect.soft(events.map((e) => e.ticketId)).toEqual(issued.map((t) => t.ticketId));
    const outOfOrder = events.filter((e, i) => i > 0 && e.receivedUs < events[i - 1]!.receivedUs);
    expect.soft(outOfOrder, 'events received out of seq order').toEqual([]);
    expect.soft(events.filter((e) => e.rejectedCode !== null)).toEqual([]);
    expect.soft(snapshot.cursors).toEqual([{ kioskId: KIOSK.kioskId, dbEpoch, lastSeq }]);

    // The scenario happened as described: portal numbers online, bands used up, the series after
    // them; the clock jumps put tickets on the day before and the day after.
    const sourcesByDay = new Map<string, Map<string, number>>();
    for (const t of kiosk.tickets) {
      const day = sourcesByDay.get(t.businessDay) ?? new Map<string, number>();
      day.set(t.numberSource, (day.get(t.numberSource) ?? 0) + 1);
      sourcesByDay.set(t.businessDay, day);
    }
    const day = (d: number): string => new Date(DAY0_MIDNIGHT + d * DAY + 12 * HOUR).toISOString().slice(0, 10);
    expect.soft(sourcesByDay.get(day(0))?.get(NumberSource.Portal)).toBe(ONLINE_TICKETS);
    for (const d of [0, 1]) {
      expect.soft(sourcesByDay.get(day(d))?.get(NumberSource.Band) ?? 0, `band numbers on ${day(d)}`).toBeGreaterThan(0);
      expect.soft(sourcesByDay.get(day(d))?.get(NumberSource.KioskSeries) ?? 0, `series after the bands ran out on ${day(d)}`).toBeGreaterThan(0);
    }
    const backJumped = issued.filter((t) => t.hallDay === BACK_JUMP.day && kioskById.get(t.ticketId)?.businessDay === day(BACK_JUMP.day - 1));
    expect.soft(backJumped.length, 'tickets the backwards jump put on the previous day').toBeGreaterThan(0);
    const forwardJumped = issued.filter((t) => t.hallDay === FORWARD_JUMP.day && kioskById.get(t.ticketId)?.businessDay === day(FORWARD_JUMP.day + 1));
    expect.soft(forwardJumped.length, 'tickets the forward jump put on the next day').toBeGreaterThan(0);
    expect.soft(sourcesByDay.size).toBe(OUTAGE_DAYS);

    const duplicated = countSurplus(dayNumbers) + countSurplus(snapshot.tickets.map((t) => t.ticketId)) + countSurplus(events.map((e) => String(e.seq)));
    console.log(
      `long outage: ${JSON.stringify(Object.fromEntries([...sourcesByDay].map(([d, m]) => [d, Object.fromEntries(m)])))}, ` +
        `back jump ${backJumped.length}, forward jump ${forwardJumped.length}`,
    );
    recordFaultResult({
      test: 'long-outage',
      kills: 0,
      events: issued.length,
      lost,
      duplicated,
      details: { days: OUTAGE_DAYS, backJumped: backJumped.length, forwardJumped: forwardJumped.length },
    });
    expect(duplicated).toBe(0);
  });
});
