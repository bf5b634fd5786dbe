import { generateKeyPairSync, sign } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CaseStatus, CertificateVerdict, type CaseView, type CertificatePayload } from '../../common/contract/cases-api.js';
import { KioskErrorCode } from '../../common/contract/errors.js';
import { VisitorClearReason } from '../../common/contract/kiosk-api.js';
import { certificatePayloadBytes, formatCertificateCode } from '../../common/domain/certificate-code.js';
import { verifyCertificateCode } from '../../common/node/certificate-verify.js';
import { PrinterSimulator } from '../../devices/printer/simulator/printer-simulator.js';
import { FakePortal, PortalFault } from '../../offline-queue/testing/fake-portal.js';
import { testPull } from '../../offline-queue/testing/store-fixtures.js';
import { makeTempDir } from '../../offline-queue/testing/temp-dir.js';
import { PortalClient } from '../../offline-queue/sync/portal-client.js';
import { CasesFlow } from './cases-flow.js';
import { PortalReachability } from './portal-reachability.js';
import { hmacOfCard, journeyKiosk, type JourneyKiosk } from './testing/journey-harness.js';
import { sampleCard } from './testing/sample-card.js';

const tmp = makeTempDir('cases');
const CARD = sampleCard({ name: '张三丰', idNumber: '110101199003071230', birthDate: '1990-03-07' });
const HMAC = hmacOfCard(CARD.idNumber);

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const KEY = { keyId: 'hall-1-2025', publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64') };
const PAYLOAD: CertificatePayload = {
  certificateId: '0195f0a2-7c3e-7d2a-8f10-2b3c4d5e6f70',
  hallId: 'hall-1',
  caseNumber: 'SB-2025-0001',
  serviceId: 'social-insurance',
  title: { zh: '社保参保证明', en: 'Social insurance certificate' },
  holderName: '张*丰',
  issuedAt: '2025-03-10T02:00:00.000Z',
};
const CODE = formatCertificateCode(KEY.keyId, certificatePayloadBytes(PAYLOAD), sign(null, certificatePayloadBytes(PAYLOAD), privateKey));

function caseOf(status: CaseStatus, withCertificate = false): CaseView {
  return {
    caseNumber: 'SB-2025-0001',
    serviceId: 'social-insurance',
    serviceName: { zh: '社保', en: 'Social insurance' },
    status,
    timeline: [{ status: CaseStatus.Accepted, at: '2025-03-09T02:00:00.000Z', note: null }],
    dueDay: '2025-03-16',
    certificate: withCertificate ? { payload: PAYLOAD, code: CODE } : null,
    updatedAt: '2025-03-10T02:00:00.000Z',
  };
}

let sim: PrinterSimulator;
let portal: FakePortal;
let baseUrl: string;
let kiosk: JourneyKiosk;
let flow: CasesFlow;
let clock: { ms: number };

beforeAll(async () => {
  sim = await PrinterSimulator.start({ port: 0 });
});
afterAll(async () => {
  await sim.stop();
  tmp.remove();
});
beforeEach(async () => {
  sim.setFaults({ paperOut: false });
  portal = new FakePortal();
  baseUrl = await portal.listen();
  kiosk = journeyKiosk({ file: tmp.file('kiosk'), sim, pull: { certificateKeys: [KEY] } });
  clock = { ms: Date.parse('2025-03-10T03:00:00.000Z') };
  flow = new CasesFlow({
    store: kiosk.store,
    client: new PortalClient({ baseUrl, token: portal.token }),
    budgetMs: 2_000,
    reachability: new PortalReachability({ baseMs: 1 }),
    printer: kiosk.documents,
    visitorHmac: () => (kiosk.session.current() ? HMAC : null),
    visitorPresent: () => kiosk.session.current() !== null,
    now: () => new Date(clock.ms),
  });
  kiosk.session.identify(sampleCard(CARD));
});
afterEach(async () => {
  await kiosk.close();
  await portal.close();
});

describe('CasesFlow.lookup', () => {
  it('online: the portal’s answer for the card’s HMAC, cached with its time; the card stays', async () => {
    portal.cases.set(HMAC, [caseOf(CaseStatus.Processing)]);
    expect(await flow.lookup()).toEqual({ cases: [caseOf(CaseStatus.Processing)], fetchedAt: '2025-03-10T03:00:00.000Z', fromCache: false });
    expect(portal.casesRequests).toBe(1);
    expect(kiosk.store.cachedCases(HMAC)?.cases).toEqual([caseOf(CaseStatus.Processing)]);
    expect(kiosk.session.current()).not.toBeNull();
  });

  it('portal down or slow: the cached list with the time it was fetched (the screen shows its age)', async () => {
    portal.cases.set(HMAC, [caseOf(CaseStatus.Processing)]);
    await flow.lookup();
    clock.ms += 3_600_000;
    portal.cases.set(HMAC, [caseOf(CaseStatus.Concluded)]);
    portal.casesFaults.push(PortalFault.Unavailable);
    expect(await flow.lookup()).toEqual({ cases: [caseOf(CaseStatus.Processing)], fetchedAt: '2025-03-10T03:00:00.000Z', fromCache: true });
    await new Promise((resolve) => setTimeout(resolve, 5));
    portal.casesFaults.push(PortalFault.Hang);
    const started = Date.now();
    expect((await flow.lookup()).fromCache).toBe(true);
    // No longer than the budget (2 s) and a little.
    expect(Date.now() - started).toBeLessThan(5_000);
    // Back: fresh again, and cached anew.
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await flow.lookup()).toMatchObject({ cases: [caseOf(CaseStatus.Concluded)], fromCache: false, fetchedAt: '2025-03-10T04:00:00.000Z' });
  });

  it('nothing cached and no portal: an empty list from the cache, with no age; without a card: a coded error', async () => {
    await portal.close();
    expect(await flow.lookup()).toEqual({ cases: [], fetchedAt: null, fromCache: true });
    kiosk.session.end(VisitorClearReason.Ended);
    await expect(flow.lookup()).rejects.toMatchObject({ code: KioskErrorCode.BadRequest });
    await expect(flow.printCertificateSlip('SB-2025-0001')).rejects.toMatchObject({ code: KioskErrorCode.BadRequest });
    portal = new FakePortal();
    await portal.listen();
  });
});

describe('CasesFlow.printCertificateSlip', () => {
  it('prints the slip of a case from the visitor’s list: title, masked holder, case number, date and a QR that verifies offline', async () => {
    portal.cases.set(HMAC, [caseOf(CaseStatus.Concluded, true)]);
    await flow.lookup();
    // The kiosk has lost the portal since: the slip prints from the cached list.
    await portal.close();
    expect(await flow.printCertificateSlip('SB-2025-0001')).toEqual({ printed: true });
    const slip = sim.jobs().at(-1)?.receipt;
    expect(slip?.lines).toContain('社保参保证明');
    expect(slip?.lines).toContain('持证人 / Holder: 张*丰');
    expect(slip?.lines).toContain('办件编号 / Case: SB-2025-0001');
    expect(slip?.lines).toContain('签发日期 / Issued: 2025-03-10');
    expect(slip?.qrCodes).toEqual([CODE]);
    // What the QR carries verifies with the key the kiosk pulled, and a character changed does not.
    const printed = slip?.qrCodes[0] ?? '';
    expect(verifyCertificateCode(printed, kiosk.store.certificateKeys())).toEqual({ verdict: CertificateVerdict.Valid, certificate: PAYLOAD });
    const tampered = `${printed.slice(0, 30)}${printed[30] === 'A' ? 'B' : 'A'}${printed.slice(31)}`;
    expect(verifyCertificateCode(tampered, kiosk.store.certificateKeys()).verdict).not.toBe(CertificateVerdict.Valid);
    portal = new FakePortal();
    await portal.listen();
  });

  it('refuses a case not in the list, one without a certificate, and a printer that cannot print', async () => {
    portal.cases.set(HMAC, [caseOf(CaseStatus.Processing)]);
    await flow.lookup();
    await expect(flow.printCertificateSlip('SB-2025-0001')).rejects.toMatchObject({ code: KioskErrorCode.NotFound });
    await expect(flow.printCertificateSlip('SB-2025-0099')).rejects.toMatchObject({ code: KioskErrorCode.NotFound });
    portal.cases.set(HMAC, [caseOf(CaseStatus.Concluded, true)]);
    await flow.lookup();
    sim.setFaults({ paperOut: true });
    await expect(flow.printCertificateSlip('SB-2025-0001')).rejects.toMatchObject({ code: KioskErrorCode.PrinterUnavailable });
  });
});

describe('the hall’s certificate keys at the kiosk', () => {
  it('arrive with a pull and verify offline; a forged signature and an unknown key are refused', () => {
    expect(verifyCertificateCode(CODE, kiosk.store.certificateKeys()).verdict).toBe(CertificateVerdict.Valid);
    const [prefix, keyId, payload, signature = ''] = CODE.split('.');
    const forged = [prefix, keyId, payload, `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'AQ' : 'AA'}`].join('.');
    expect(verifyCertificateCode(forged, kiosk.store.certificateKeys()).verdict).toBe(CertificateVerdict.BadSignature);
    kiosk.store.applyPull(testPull({ cursor: 'v2', catalog: null, certificateKeys: [] }));
    expect(verifyCertificateCode(CODE, kiosk.store.certificateKeys()).verdict).toBe(CertificateVerdict.UnknownKey);
  });
});
