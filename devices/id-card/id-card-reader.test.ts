import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DeviceErrorKind } from '../device-error.js';
import { startPtyPair, type PtyPair } from '../testing/pty-pair.js';
import { waitFor as waitForState } from '../testing/wait-for.js';
import { IdCardReader, IdCardReaderError, IdCardReaderState } from './id-card-reader.js';
import { IdCardTextErrorCode, IdCardType, type IdCardData } from './id-card-text.js';
import { SamStatus } from './sam-status.js';
import { encodeIdCardText } from './simulator/card-text-encoder.js';
import { IdReaderSimulator, ReaderSimFault } from './simulator/id-reader-simulator.js';
import { sampleCard, SampleCardName } from './simulator/sample-cards.js';

const TODAY = '2025-06-01';

/** Said when a wait fails, to show where the reader stood. */
let diagnostics: () => string = () => '';

function waitFor(what: string, predicate: () => boolean): Promise<void> {
  return waitForState(what, predicate, { explain: () => diagnostics() });
}


describe('IdCardReader against the simulator over a real PTY (socat)', () => {
  let dir: string;
  let pty: PtyPair;
  let sim: IdReaderSimulator;
  let reader: IdCardReader;
  const cards: IdCardData[] = [];
  const errors: IdCardReaderError[] = [];

  /** Waits for the `n`-th card since the start of the suite. */
  const cardNumber = async (n: number): Promise<IdCardData> => {
    await waitFor(`card #${n}`, () => cards.length >= n);
    return cards[n - 1] as IdCardData;
  };
  /** Lets the reader run `n` more exchanges, so "nothing happened" is tested over real polling. */
  const exchanges = async (n: number): Promise<void> => {
    const target = sim.stats.commands + n;
    await waitFor(`${n} exchanges`, () => sim.stats.commands >= target);
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'id-reader-test-'));
    pty = await startPtyPair({ a: path.join(dir, 'kiosk'), b: path.join(dir, 'reader') });
    sim = await IdReaderSimulator.open({ path: pty.b });
    reader = new IdCardReader({
      path: pty.a,
      pollIntervalMs: 5,
      commandTimeoutMs: 250,
      samRetryMs: 50,
      reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
      today: () => TODAY,
    });
    diagnostics = () => JSON.stringify({ health: reader.health(), sim: sim.stats, cards: cards.length, attached: sim.attached });
    reader.on('card', (card) => cards.push(card));
    reader.on('error', (err) => errors.push(err));
    reader.start();
    await waitFor('reader ready', () => reader.health().state === IdCardReaderState.Ready);
  });

  afterEach(async () => {
    sim.removeCard();
    sim.setFault(ReaderSimFault.None);
    sim.findAfterRead = 'fails';
    // A hand takes far longer than a poll to swap cards: let the reader see the field empty.
    if (sim.attached) await exchanges(3);
  });

  afterAll(async () => {
    try {
      await reader.stop();
      await sim.close();
      await pty.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the SAM ID at start and a mainland card end to end', async () => {
    expect(reader.health().samId).toMatch(/^\d{2}\.\d{2}-\d{8}-\d{10}-\d{10}$/);
    sim.placeCard(SampleCardName.Mainland);
    const card = await cardNumber(1);
    expect(card).toEqual(sampleCard(SampleCardName.Mainland));
    const health = reader.health();
    expect(health.cardsRead).toBe(1);
    expect(health.lastReadAt).not.toBeNull();
  });

  it('reads one card once, however long it stays, and again after it is placed anew', async () => {
    const before = cards.length;
    sim.placeCard(SampleCardName.HkMacauTaiwan);
    expect((await cardNumber(before + 1)).cardType).toBe(IdCardType.HkMacauTaiwanResidence);
    await exchanges(30);
    expect(cards.length).toBe(before + 1);
    sim.removeCard();
    await exchanges(3);
    sim.placeCard(SampleCardName.HkMacauTaiwan);
    await cardNumber(before + 2);
  });

  it('does not read a card twice on a reader whose find keeps succeeding', async () => {
    sim.findAfterRead = 'succeeds';
    const before = cards.length;
    sim.placeCard(SampleCardName.Foreign2017);
    expect((await cardNumber(before + 1)).cardType).toBe(IdCardType.ForeignPermanentResidence2017);
    await exchanges(30);
    expect(cards.length).toBe(before + 1);
    expect(reader.health().state).toBe(IdCardReaderState.CardPresent);
    sim.removeCard();
    await waitFor('ready again', () => reader.health().state === IdCardReaderState.Ready);
    sim.placeCard(SampleCardName.Foreign2023);
    expect((await cardNumber(before + 2)).cardType).toBe(IdCardType.ForeignPermanentResidence2023);
  });

  it('recovers from a card pulled away mid-read, then reads the next card', async () => {
    const before = cards.length;
    const timeoutsBefore = reader.health().errorsByKind[DeviceErrorKind.Timeout];
    sim.placeCard(SampleCardName.Mainland, { pullAwayAfterBytes: 600 });
    await waitFor('the read to time out', () => reader.health().errorsByKind[DeviceErrorKind.Timeout] > timeoutsBefore);
    expect(sim.cardPresent).toBe(false);
    await exchanges(5);
    expect(cards.length).toBe(before);
    sim.placeCard(SampleCardName.RareName);
    expect((await cardNumber(before + 1)).name).toBe('䶮华');
  });

  it('reports corrupted frames as bad frames and reads the card on the next cycle', async () => {
    const before = cards.length;
    const badBefore = reader.health().errorsByKind[DeviceErrorKind.BadFrame];
    sim.corruptNext(2);
    sim.placeCard(SampleCardName.Elderly);
    expect((await cardNumber(before + 1)).name).toBe('王秀英');
    expect(reader.health().errorsByKind[DeviceErrorKind.BadFrame]).toBeGreaterThanOrEqual(badBefore + 2);
    expect(errors.some((e) => e.kind === DeviceErrorKind.BadFrame)).toBe(true);
  });

  it('delivers an expired card: judging validity is the flow’s business', async () => {
    const before = cards.length;
    sim.placeCard(SampleCardName.Expired);
    expect((await cardNumber(before + 1)).validTo).toBe('2020-08-20');
  });

  it('reports a card whose text does not decode once, with its code, and no card', async () => {
    const before = cards.length;
    const errorsBefore = errors.length;
    const text = encodeIdCardText(sampleCard(SampleCardName.Mainland));
    text.writeUInt16LE(0x33, 30); // gender '3'
    sim.placeRawText(text);
    await waitFor('a text error', () => errors.slice(errorsBefore).some((e) => e.textCode !== null));
    await exchanges(20);
    const textErrors = errors.slice(errorsBefore).filter((e) => e.textCode !== null);
    expect(textErrors).toHaveLength(1);
    expect(textErrors[0]?.textCode).toBe(IdCardTextErrorCode.BadField);
    expect(textErrors[0]?.kind).toBe(DeviceErrorKind.BadFrame);
    expect(cards.length).toBe(before);
  });

  it('reports an unauthorised SAM (SW3 66) by status code and recovers when it is fixed', async () => {
    sim.setFault(ReaderSimFault.Unauthorized);
    await waitFor('SAM fault', () => reader.health().state === IdCardReaderState.SamFault);
    const health = reader.health();
    expect(health.errorsByStatus[SamStatus.NotAuthorized]).toBeGreaterThanOrEqual(1);
    expect(health.lastError?.samStatus).toBe(SamStatus.NotAuthorized);
    expect(errors.at(-1)?.kind).toBe(DeviceErrorKind.DeviceError);
    sim.setFault(ReaderSimFault.None);
    await waitFor('ready again', () => reader.health().state === IdCardReaderState.Ready);
    const before = cards.length;
    sim.placeCard(SampleCardName.Mainland);
    await cardNumber(before + 1);
  });

  it('times out on a silent reader and goes on when it answers again', async () => {
    const timeoutsBefore = reader.health().errorsByKind[DeviceErrorKind.Timeout];
    sim.setFault(ReaderSimFault.Silent);
    await waitFor('a timeout', () => reader.health().errorsByKind[DeviceErrorKind.Timeout] > timeoutsBefore);
    sim.setFault(ReaderSimFault.None);
    const before = cards.length;
    sim.placeCard(SampleCardName.Mainland);
    await cardNumber(before + 1);
  });

  it('survives being unplugged (socat killed) and reads again once plugged back on the same path', async () => {
    const reconnectsBefore = reader.health().reconnects;
    await pty.stop();
    await waitFor('disconnected', () => reader.health().state === IdCardReaderState.Disconnected);
    expect(reader.health().errorsByKind[DeviceErrorKind.Disconnected]).toBeGreaterThanOrEqual(1);
    await waitFor('simulator detached', () => !sim.attached);
    // Nothing there for a while: the reader keeps trying with backoff.
    await new Promise((r) => setTimeout(r, 300));
    expect(reader.health().reconnects).toBeGreaterThan(reconnectsBefore);
    pty = await startPtyPair({ a: path.join(dir, 'kiosk'), b: path.join(dir, 'reader') });
    await sim.attach(pty.b);
    await waitFor('ready after replug', () => reader.health().state === IdCardReaderState.Ready);
    const before = cards.length;
    sim.placeCard(SampleCardName.Foreign2023);
    expect((await cardNumber(before + 1)).idNumber).toBe(sampleCard(SampleCardName.Foreign2023).idNumber);
  });
});

describe('IdCardReader configuration', () => {
  it('refuses nonsense by name', () => {
    expect(() => new IdCardReader({ path: '/dev/null', commandTimeoutMs: 0 })).toThrow(/commandTimeoutMs/);
    expect(() => new IdCardReader({ path: '/dev/null', baudRate: -1 })).toThrow(/baudRate/);
  });
});
