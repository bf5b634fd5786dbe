import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CertificateVerdict } from '../../../common/contract/cases-api.js';
import { KioskError, KioskErrorCode } from '../../../common/contract/errors.js';
import { ScanKind, ScanSource } from '../../../common/contract/kiosk-api.js';
import { SAMPLE_CERTIFICATE_CODE, sampleScan, sampleVerification } from '../testing/fixtures.js';
import { journeyStore, settle, type KioskStore } from '../testing/journey-store.js';
import { VerifyPhase } from './journeys/verify.js';
import { Screen } from './kiosk-store.js';

const certificateScan = sampleScan({ kind: ScanKind.Certificate, reference: null, message: 'certificate slip' });

describe('kiosk store: verify a certificate (证照核验)', () => {
  let stores: KioskStore[] = [];
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    for (const s of stores) s.getState().dispose();
    stores = [];
    vi.useRealTimers();
  });

  function setup(methods = {}) {
    const made = journeyStore({ verifyCertificate: async () => sampleVerification(), ...methods });
    stores.push(made.store);
    return made;
  }

  it('waits for a slip when opened from home', () => {
    const { store } = setup();
    store.getState().openVerify();
    expect(store.getState()).toMatchObject({ screen: Screen.Verify, verify: { phase: VerifyPhase.Waiting } });
  });

  it('a slip scanned with the wedge anywhere is verified with the text scanned', async () => {
    const { store, calls } = setup({ submitScan: async () => certificateScan });
    await store.getState().submitScan(SAMPLE_CERTIFICATE_CODE);
    await settle();
    expect(calls.verifyCertificate).toEqual([{ code: SAMPLE_CERTIFICATE_CODE }]);
    expect(store.getState()).toMatchObject({ screen: Screen.Verify, verify: { phase: VerifyPhase.Result, result: sampleVerification() } });
  });

  it('a serial scan is verified with the code the core sends; without one, the visitor is asked to scan again', async () => {
    const { store, kiosk, calls } = setup({ verifyCertificate: async () => sampleVerification(CertificateVerdict.BadSignature) });
    kiosk.emit('scanned', { ...certificateScan, source: ScanSource.Serial, certificateCode: SAMPLE_CERTIFICATE_CODE });
    await settle();
    expect(store.getState().verify).toMatchObject({ phase: VerifyPhase.Result, result: { verdict: CertificateVerdict.BadSignature, certificate: null } });
    kiosk.emit('scanned', { ...certificateScan, source: ScanSource.Serial });
    await settle();
    expect(calls.verifyCertificate).toHaveLength(1);
    expect(store.getState().verify).toEqual({ phase: VerifyPhase.Unreadable });
  });

  it('a failed verification says so with its code', async () => {
    const { store } = setup({ verifyCertificate: () => Promise.reject(new KioskError(KioskErrorCode.Internal, 'no keys yet')) });
    await store.getState().verifyCertificate(SAMPLE_CERTIFICATE_CODE);
    expect(store.getState().verify).toMatchObject({ phase: VerifyPhase.Failed, error: { code: KioskErrorCode.Internal } });
  });
});
