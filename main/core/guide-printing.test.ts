import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KioskErrorCode } from '../../common/contract/errors.js';
import { PrinterSimulator } from '../../devices/printer/simulator/printer-simulator.js';
import { makeTempDir } from '../../offline-queue/testing/temp-dir.js';
import { printServiceGuide } from './guide-printing.js';
import { journeyKiosk, type JourneyKiosk } from './testing/journey-harness.js';

const tmp = makeTempDir('guide-print');
let sim: PrinterSimulator;
let kiosk: JourneyKiosk;

beforeAll(async () => {
  sim = await PrinterSimulator.start({ port: 0 });
});
afterAll(async () => {
  await sim.stop();
  tmp.remove();
});
beforeEach(() => {
  sim.setFaults({ paperOut: false });
  kiosk = journeyKiosk({ file: tmp.file('kiosk'), sim });
});
afterEach(async () => {
  await kiosk.close();
});

const print = (serviceId: string) => printServiceGuide({ store: kiosk.store, printer: kiosk.documents, now: kiosk.now }, serviceId);

describe('printServiceGuide', () => {
  it('prints the pulled guide’s materials list on the receipt printer: "请携带以下材料 / Please bring", form and count of each', async () => {
    const jobs = sim.jobs().length;
    expect(await print('social-insurance')).toEqual({ printed: true });
    expect(sim.jobs()).toHaveLength(jobs + 1);
    const receipt = sim.jobs().at(-1)?.receipt;
    const lines = receipt?.lines ?? [];
    const bring = lines.indexOf('请携带以下材料 / Please bring');
    expect(bring).toBeGreaterThan(lines.indexOf('社保'));
    expect(lines.slice(bring + 1, bring + 5)).toEqual([
      '1. 居民身份证 原件 1份',
      '   Resident ID card: original x1',
      '2. 劳动合同 复印件 2份',
      '   Employment contract: copy x2',
    ]);
    expect(lines).toContain('承诺时限 / Promised: 5 个工作日 / 5 working days');
    expect(lines.at(-1)).toBe('打印时间 / Printed 2025-03-10 09:10');
    expect(receipt?.cut).toBe(true);
  });

  it('refuses with printer-unavailable, printing nothing, when the printer cannot print', async () => {
    sim.setFaults({ paperOut: true });
    const jobs = sim.jobs().length;
    await expect(print('social-insurance')).rejects.toMatchObject({ code: KioskErrorCode.PrinterUnavailable });
    expect(sim.jobs()).toHaveLength(jobs);
  });

  it('says which: a service without a guide (not found), one the kiosk does not offer (unknown service)', async () => {
    await expect(print('housing-fund')).rejects.toMatchObject({ code: KioskErrorCode.NotFound });
    await expect(print('no-such-service')).rejects.toMatchObject({ code: KioskErrorCode.UnknownService });
  });
});
