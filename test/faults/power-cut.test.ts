/**
 * Power cut (issue 3, "Must show"): kiosk processes issue and print tickets while they are
 * SIGKILLed at seeded random moments, each life reopening the same database file. The portal (on a
 * real PostgreSQL) and the printer simulators live in this process, so they survive every cut, as
 * they would in a hall. Afterwards one clean run per kiosk drains its outbox, and:
 * - every receipt a printer produced belongs to a ticket in that kiosk's database, and no ticket
 *   has more than one receipt or more than one print job (nothing is silently printed again);
 * - a printed ticket has its receipt; a receipt's ticket is 'printed' or 'possibly-printed';
 * - every ticket the kiosk had answered for is in its database;
 * - the portal holds each ticket exactly once, with the number the kiosk issued;
 * - `PRAGMA integrity_check` is ok; the seqs the portal received are 1..N without a hole, N being
 *   the kiosk's last seq and the portal's cursor; no number was issued twice.
 *
 * Cost: a life is dominated by starting Node, tsx and the core (about 0.7 s alone on an idle
 * machine). The next process of a kiosk loads while the current life runs and opens the database
 * only once the current one is dead (KioskLauncher), so that cost is mostly hidden; the test logs
 * the measured load and open times.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrintState } from '../../common/contract/kiosk-api.js';
import { TicketNumber } from '../../common/domain/ticket-number.js';
import type { DecodedReceipt } from '../../devices/printer/simulator/escpos-decoder.js';
import { PrinterSimulator } from '../../devices/printer/simulator/printer-simulator.js';
import { DEMO_SERVICES } from '../../portal/seed/demo-hall.js';
import { countMissing, countSurplus, holes, repeated } from './support/counting.js';
import { recordFaultResult } from './support/fault-results.js';
import { DEFAULT_FAULT_KILLS, faultKills, livesPerKiosk } from './support/fault-kills.js';
import { readKioskDb, type KioskDbSnapshot } from './support/kiosk-db-snapshot.js';
import { KioskLauncher, killAll, type KillPlan, type LifeOutcome } from './support/kiosk-life.js';
import { faultKiosks, snapshotPortal, startPortalUnderTest, type PortalUnderTest } from './support/portal-under-test.js';
import type { PowerCutChildArgs } from './support/power-cut-protocol.js';
import { faultSeed, randomInt, seededRandom } from './support/seeded-random.js';

const SEED = faultSeed(310_2025);
/** Two kiosks cut in parallel: twice the cuts per minute on two cores, and numbers checked across kiosks. */
const KIOSKS = faultKiosks('power-cut', 2);
/** FAULT_KILLS (validated), default 202: CI's run; `FAULT_KILLS=1000` is a hall's scale (issue 7 §10). */
const KILLS = faultKills();
const LIVES_PER_KIOSK = livesPerKiosk(KILLS, KIOSKS.length);
/** The default run fits the project's 10 minutes; a larger one gets as long per kill. */
const TIMEOUT_MS = Math.max(600_000, Math.ceil((600_000 * KILLS) / DEFAULT_FAULT_KILLS));
/** Share of cuts that land while the kiosk opens (file, migrations, recovery, first pull) rather than while it issues. */
const EARLY_CUT_SHARE = 0.15;
/** Kiosk processes loading ahead of the current life, per kiosk (see KioskLauncher). */
const STANDBY_DEPTH = 1;
const services = DEMO_SERVICES.map((s) => s.id);

const live = new Set<ChildProcess>();
const launchers = KIOSKS.map(() => new KioskLauncher(live, STANDBY_DEPTH));
const tmp = mkdtempSync(path.join(os.tmpdir(), 'hall-kiosk-power-cut-'));
let portal: PortalUnderTest;
const printers: PrinterSimulator[] = [];

beforeAll(async () => {
  portal = await startPortalUnderTest(KIOSKS);
  for (let i = 0; i < KIOSKS.length; i++) printers.push(await PrinterSimulator.start({ port: 0 }));
});

afterAll(async () => {
  await Promise.all(launchers.map((l) => l.close()));
  await killAll(live);
  await Promise.all(printers.map((p) => p.stop()));
  await portal?.close();
  rmSync(tmp, { recursive: true, force: true });
});

function childArgs(k: number, mode: 'issue' | 'drain'): PowerCutChildArgs {
  const kiosk = KIOSKS[k]!;
  return {
    mode,
    services,
    config: {
      version: 1,
      kioskId: kiosk.kioskId,
      kioskDigit: kiosk.kioskDigit,
      dataDir: path.join(tmp, kiosk.kioskId),
      // The default technician PIN is the demo one: refused outside demo mode.
      demoMode: true,
      portal: { baseUrl: portal.baseUrl, token: kiosk.token, numberBudgetMs: 400, pushTimeoutMs: 2_000 },
      // No background polling: the issuance path asks the printer itself before every ticket.
      printer: { host: '127.0.0.1', port: printers[k]!.port, statusTimeoutMs: 800, pollIntervalMs: 60_000 },
    },
  };
}

interface KioskRun {
  lives: LifeOutcome[];
  kills: number;
}

async function cutRepeatedly(k: number): Promise<KioskRun> {
  const random = seededRandom(SEED + k);
  const lives: LifeOutcome[] = [];
  for (let life = 0; life < LIVES_PER_KIOSK; life++) {
    const plan: KillPlan =
      random() < EARLY_CUT_SHARE
        ? { from: 'go', afterMs: randomInt(random, 0, 150) }
        : { from: 'ready', afterMs: randomInt(random, 0, 1_000) };
    lives.push(await launchers[k]!.run(childArgs(k, 'issue'), plan));
  }
  return { lives, kills: lives.filter((l) => l.killed).length };
}

/**
 * The ticket a receipt is for: from its QR (`HK1:<ticketId>:<number>`), or, for a receipt torn off
 * by a cut before its QR came out, from the big number line (unique within a kiosk unless the run
 * crosses the hall's day boundary). Empty when it names no ticket at all.
 */
function identifyReceipt(receipt: DecodedReceipt, byNumber: Map<string, { ticketId: string }>): { ticketId: string; number: string; torn: boolean } {
  const qr = receipt.qrCodes.find((q) => q.startsWith('HK1:'));
  if (qr) {
    const [, ticketId = '', number = ''] = qr.split(':');
    return { ticketId, number, torn: !receipt.cut };
  }
  const number = receipt.lines.map((l) => l.trim()).find((l) => TicketNumber.safeParse(l).success) ?? '';
  return { ticketId: byNumber.get(number)?.ticketId ?? '', number, torn: true };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

describe('power cut', () => {
  it(`keeps every ticket and receipt through ${KIOSKS.length * LIVES_PER_KIOSK} SIGKILLs (seed ${SEED})`, async () => {
    const runs = await Promise.all(KIOSKS.map((_, k) => cutRepeatedly(k)));
    // The final clean run: recovery, then the outbox drained to the portal, then a clean close.
    await Promise.all(KIOSKS.map((_, k) => launchers[k]!.run(childArgs(k, 'drain'), null)));

    const snapshot = await snapshotPortal(portal.pool);
    const dbs: KioskDbSnapshot[] = KIOSKS.map((kiosk) => readKioskDb(path.join(tmp, kiosk.kioskId, 'kiosk.db')));
    let lost = 0;
    let duplicated = 0;
    const stats: Record<string, unknown>[] = [];

    KIOSKS.forEach((kiosk, k) => {
      const run = runs[k]!;
      const db = dbs[k]!;
      const where = `${kiosk.kioskId} (seed ${SEED})`;
      expect.soft(db.integrity, where).toBe('ok');
      expect.soft(run.kills, where).toBe(LIVES_PER_KIOSK);
      const refusing = run.lives.find((l) => l.refused.length > 0);
      expect.soft(refusing?.refused.slice(0, 3) ?? [], `${where}: tickets refused; child stderr:\n${refusing?.stderrTail ?? ''}`).toEqual([]);

      const byId = new Map(db.tickets.map((t) => [t.ticketId, t]));
      // Every ticket the kiosk answered for (takeTicket resolved) survived the cut.
      const answered = run.lives.flatMap((l) => l.issued);
      const answeredLost = countMissing(answered.map((t) => t.ticketId), byId.keys());
      expect.soft(answeredLost, `${where}: answered tickets missing from the database`).toBe(0);
      expect.soft(answered.filter((t) => byId.get(t.ticketId)?.number !== t.number), `${where}: answered numbers not stored`).toEqual([]);

      // Receipts: each one belongs to a ticket of this kiosk, with the printed number, once.
      const byNumber = new Map(db.tickets.map((t) => [t.number, t]));
      const receipts = printers[k]!.jobs().map((job) => identifyReceipt(job.receipt, byNumber));
      expect.soft(receipts.filter((r) => r.ticketId === ''), `${where}: receipts that name no ticket`).toEqual([]);
      const receiptsLost = countMissing(receipts.map((r) => r.ticketId), byId.keys());
      expect.soft(receiptsLost, `${where}: receipts whose ticket is not in the database`).toBe(0);
      expect.soft(receipts.filter((r) => byId.get(r.ticketId)?.number !== r.number), `${where}: receipt numbers`).toEqual([]);
      expect.soft(repeated(receipts.map((r) => r.ticketId)), `${where}: tickets printed twice`).toEqual(new Map());
      expect.soft(repeated(db.printJobs.map((j) => j.ticketId)), `${where}: tickets with a second print job`).toEqual(new Map());

      // Print states after recovery: nothing left 'sending'; paper and state agree.
      const printedIds = new Set(receipts.map((r) => r.ticketId));
      expect.soft(db.printJobs.filter((j) => j.state === 'recorded' || j.state === 'sending'), where).toEqual([]);
      const printedWithoutPaper = db.tickets.filter((t) => t.printState === PrintState.Printed && !printedIds.has(t.ticketId));
      expect.soft(printedWithoutPaper, `${where}: 'printed' without a receipt`).toEqual([]);
      expect.soft(db.tickets.filter((t) => t.printState === PrintState.Printing), `${where}: still 'printing' after recovery`).toEqual([]);
      const onPaperStates = [PrintState.Printed, PrintState.PossiblyPrinted] as string[];
      const paperWrongState = [...printedIds].filter((id) => !onPaperStates.includes(byId.get(id)?.printState ?? ''));
      expect.soft(paperWrongState, `${where}: receipts whose ticket is neither printed nor possibly printed`).toEqual([]);

      // The portal holds each of this kiosk's tickets exactly once, with the kiosk's number.
      const atPortal = snapshot.tickets.filter((t) => t.kioskId === kiosk.kioskId);
      const portalLost = countMissing(byId.keys(), atPortal.map((t) => t.ticketId));
      expect.soft(portalLost, `${where}: tickets missing at the portal`).toBe(0);
      expect.soft(atPortal.length, where).toBe(db.tickets.length);
      const renumbered = atPortal.filter((t) => {
        const mine = byId.get(t.ticketId);
        return `${mine?.businessDay} ${mine?.number}` !== `${t.businessDay} ${t.number}`;
      });
      expect.soft(renumbered, `${where}: tickets the portal holds under another day or number`).toEqual([]);

      // Gapless seq: one epoch, seqs 1..N each once, N = last seq = the portal's cursor.
      expect.soft(db.backlog, where).toBe(0);
      expect.soft(db.quarantined, where).toBe(0);
      expect.soft(db.lastSeq, where).toBe(db.tickets.length);
      const events = snapshot.events.filter((e) => e.kioskId === kiosk.kioskId);
      expect.soft(new Set(events.map((e) => e.dbEpoch)), where).toEqual(new Set([db.dbEpoch]));
      const seqs = events.map((e) => e.seq);
      const seqHoles = holes(seqs, db.lastSeq);
      expect.soft(seqHoles, `${where}: seq holes at the portal`).toEqual([]);
      expect.soft(Math.max(0, ...seqs), where).toBe(db.lastSeq);
      expect.soft(events.filter((e) => e.rejectedCode !== null), where).toEqual([]);
      expect.soft(snapshot.cursors.filter((c) => c.kioskId === kiosk.kioskId), where).toEqual([
        { kioskId: kiosk.kioskId, dbEpoch: db.dbEpoch, lastSeq: db.lastSeq },
      ]);

      // After the final clean run nothing is left in between: every number is printed or on screen (§4.3).
      const stuck = db.tickets.filter((t) => t.printState === PrintState.Pending || t.printState === PrintState.Printing);
      expect.soft(stuck.map((t) => t.number), `${where}: tickets left pending or printing`).toEqual([]);

      lost += answeredLost + receiptsLost + portalLost + seqHoles.length;
      duplicated +=
        countSurplus(receipts.map((r) => r.ticketId)) +
        countSurplus(atPortal.map((t) => t.ticketId)) +
        countSurplus(events.map((e) => String(e.seq)));

      stats.push({
        kiosk: kiosk.kioskId,
        kills: run.kills,
        tickets: db.tickets.length,
        receipts: receipts.length,
        tornReceipts: receipts.filter((r) => r.torn).length,
        possiblyPrinted: db.tickets.filter((t) => t.printState === PrintState.PossiblyPrinted).length,
        failedPrints: db.tickets.filter((t) => t.printState === PrintState.Failed).length,
        // Cut between the ticket's commit and its print job: never sent; recovery marks it failed.
        failedNeverSent: db.tickets.filter((t) => t.printState === PrintState.Failed && !db.printJobs.some((j) => j.ticketId === t.ticketId)).length,
        cutWhileOpening: run.lives.filter((l) => l.openMs === null).length,
        // Start-up cost, measured: loading Node + tsx + the core (done in standby) and opening the kiosk.
        loadMedianMs: median(run.lives.map((l) => l.loadMs)),
        openMedianMs: median(run.lives.flatMap((l) => (l.openMs === null ? [] : [l.openMs]))),
      });
    });

    // No number twice in the hall on a day, across kiosks (the portal's own unique key aside).
    const numbers = dbs.flatMap((db) => db.tickets.map((t) => `${t.businessDay} ${t.number}`));
    expect.soft(repeated(numbers), 'numbers issued twice').toEqual(new Map());
    duplicated += countSurplus(numbers);
    expect.soft(snapshot.tickets.length).toBe(numbers.length);

    const kills = runs.reduce((s, r) => s + r.kills, 0);
    console.log(`power cut (seed ${SEED}): ${JSON.stringify(stats)}`);
    recordFaultResult({ test: 'power-cut', kills, events: numbers.length, lost, duplicated, details: { seed: SEED, kiosks: stats } });
    expect(kills).toBeGreaterThanOrEqual(KILLS);
    // The cuts did land mid-print: some receipts are 'possibly printed' (and none was printed again).
    // A handful of kills asked for by hand may all miss a print; CI's count never does.
    if (KILLS >= DEFAULT_FAULT_KILLS) {
      expect(dbs.flatMap((db) => db.tickets).filter((t) => t.printState === PrintState.PossiblyPrinted).length).toBeGreaterThan(0);
    }
    expect(lost).toBe(0);
    expect(duplicated).toBe(0);
  }, TIMEOUT_MS);
});
