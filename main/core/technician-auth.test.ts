import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { KioskError, KioskErrorCode } from '../../common/contract/errors.js';
import { AuditAction, AuditOutcome } from '../../common/contract/kiosk-api.js';
import { openKioskStore, type KioskStore } from '../../offline-queue/kiosk-store.js';
import { makeTempDir } from '../../offline-queue/testing/temp-dir.js';
import type { TechnicianLedger } from '../../offline-queue/technician-ledger.js';
import { TechnicianAuth } from './technician-auth.js';
import { DEMO_PIN, DEMO_PIN_HASH, hashPin, verifyPin } from './technician-pin.js';

const tmp = makeTempDir('technician');
const stores: KioskStore[] = [];
afterAll(() => {
  for (const s of stores) s.close();
  tmp.remove();
});

/** The real store's ledger on a fresh file; the same `file` again is a restart (a new connection). */
function openLedger(file = tmp.file('kiosk')) {
  const store = openKioskStore({ path: file });
  stores.push(store);
  return { ledger: store.technician, file };
}

async function codeOf(p: Promise<unknown>): Promise<KioskErrorCode | 'ok'> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    if (err instanceof KioskError) return err.code;
    throw err;
  }
}

describe('technician PIN hash', () => {
  it('verifies the demo PIN against the shipped hash, and nothing else', async () => {
    await expect(verifyPin(DEMO_PIN, DEMO_PIN_HASH)).resolves.toBe(true);
    await expect(verifyPin('135791', DEMO_PIN_HASH)).resolves.toBe(false);
    await expect(verifyPin(DEMO_PIN, 'not-a-hash')).resolves.toBe(false);
  });

  it('refuses to hash a PIN shorter than 6 digits, or one that is not digits', async () => {
    const cheap = { cost: { N: 1024, r: 8, p: 1 } };
    await expect(hashPin('1234', cheap)).rejects.toThrow('6 to 12 digits');
    await expect(hashPin('12345', cheap)).rejects.toThrow(RangeError);
    await expect(hashPin('12345a', cheap)).rejects.toThrow(RangeError);
    await expect(hashPin('123456', cheap)).resolves.toMatch(/^scrypt\$/);
  });

  it('salts each hash, and never contains the PIN', async () => {
    const cheap = { cost: { N: 1024, r: 8, p: 1 } };
    const a = await hashPin('246810', cheap);
    const b = await hashPin('246810', cheap);
    expect(a).not.toBe(b);
    expect(a).not.toContain('246810');
    await expect(verifyPin('246810', a)).resolves.toBe(true);
  });
});

/** Cheap scrypt for the lockout tests: the cost is not what they test. */
const TEST_PIN = '246810';
const testPinHash = hashPin(TEST_PIN, { cost: { N: 1024, r: 8, p: 1 } });

describe('TechnicianAuth', () => {
  let pinHash: string;
  let now: number;
  let ledger: TechnicianLedger;
  let file: string;
  const lockouts: string[] = [];
  const auth = (l = ledger) =>
    new TechnicianAuth({
      pinHash,
      maxFailures: 5,
      lockoutMs: 5 * 60_000,
      sessionMs: 10 * 60_000,
      ledger: l,
      now: () => new Date(now),
      onLockout: (until) => lockouts.push(until),
    });

  beforeEach(async () => {
    pinHash = await testPinHash;
    now = Date.parse('2025-03-04T06:00:00.000Z');
    ({ ledger, file } = openLedger());
    lockouts.length = 0;
  });

  it('logs in with the right PIN, writes who/what/when, and the session expires', async () => {
    const guard = auth();
    const { session, expiresAt } = await guard.login(TEST_PIN);
    expect(session).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(expiresAt).toBe('2025-03-04T06:10:00.000Z');
    const actor = guard.authorize(session, AuditAction.ViewDiagnostics);
    expect(actor).toMatch(/^technician#[0-9a-f]{6}$/);
    const [login] = ledger.recent(10);
    expect(login).toMatchObject({ at: '2025-03-04T06:00:00.000Z', actor, action: AuditAction.Login, outcome: AuditOutcome.Ok });
    expect(JSON.stringify(ledger.recent(10))).not.toContain(session);

    now += 10 * 60_000;
    expect(() => guard.authorize(session, AuditAction.ViewDiagnostics)).toThrow(expect.objectContaining({ code: KioskErrorCode.SessionExpired }));
    expect(ledger.recent(1)[0]).toMatchObject({ action: AuditAction.ViewDiagnostics, outcome: AuditOutcome.Refused });
  });

  it('locks out after 5 wrong PINs for 5 minutes, even the right PIN, and audits each attempt', async () => {
    const guard = auth();
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push(await codeOf(guard.login('000000')));
    expect(codes).toEqual([KioskErrorCode.WrongPin, KioskErrorCode.WrongPin, KioskErrorCode.WrongPin, KioskErrorCode.WrongPin, KioskErrorCode.LockedOut]);
    expect(lockouts).toEqual(['2025-03-04T06:05:00.000Z']);
    expect(await codeOf(guard.login(TEST_PIN))).toBe(KioskErrorCode.LockedOut);

    const rows = ledger.recent(10);
    expect(rows.map((r) => r.outcome)).toEqual([AuditOutcome.Refused, ...Array(5).fill(AuditOutcome.Failed)]);
    expect(rows.every((r) => r.action === AuditAction.Login)).toBe(true);
    expect(JSON.stringify(rows)).not.toContain('000000');

    now += 5 * 60_000 - 1;
    expect(await codeOf(guard.login(TEST_PIN))).toBe(KioskErrorCode.LockedOut);
    now += 1;
    expect(await codeOf(guard.login(TEST_PIN))).toBe('ok');
  });

  it('escalates: after a lockout each wrong PIN locks again at once, twice as long, up to the cap', async () => {
    const guard = auth();
    for (let i = 0; i < 5; i++) await codeOf(guard.login('000000'));
    expect(lockouts).toEqual(['2025-03-04T06:05:00.000Z']);
    const minutes = [5];
    for (let round = 0; round < 12; round++) {
      now = Date.parse(lockouts.at(-1) ?? '');
      // Not a fresh set of five: the first wrong PIN after the lockout locks again.
      expect(await codeOf(guard.login('000000'))).toBe(KioskErrorCode.LockedOut);
      minutes.push((Date.parse(lockouts.at(-1) ?? '') - now) / 60_000);
    }
    expect(minutes).toEqual([5, 10, 20, 40, 80, 160, 320, 640, 1280, 1440, 1440, 1440, 1440]);
    expect(ledger.lockout().failures).toBe(17);
    // The right PIN once the lock has run out resets the count.
    now = Date.parse(lockouts.at(-1) ?? '');
    expect(await codeOf(guard.login(TEST_PIN))).toBe('ok');
    await expect(guard.login('111111')).rejects.toThrow('4 attempts left');
  });

  it('keeps the escalation across a restart: a new guard does not start at 5 again', async () => {
    for (let i = 0; i < 5; i++) await codeOf(auth().login('000000'));
    now = Date.parse('2025-03-04T06:05:00.000Z');
    const restarted = auth(openLedger(file).ledger);
    expect(await codeOf(restarted.login('000000'))).toBe(KioskErrorCode.LockedOut);
    expect(lockouts.at(-1)).toBe('2025-03-04T06:15:00.000Z');
    expect(ledger.recent(1)[0]?.detail).toBe('wrong PIN 6 times in a row; locked until 2025-03-04T06:15:00.000Z');
  });

  it('refuses a PIN shorter than 6 digits as a bad request, without counting it', async () => {
    const guard = auth();
    for (const pin of ['1', '1234', '12345', '12345x', '1234567890123']) {
      expect(await codeOf(guard.login(pin))).toBe(KioskErrorCode.BadRequest);
    }
    expect(ledger.lockout()).toEqual({ failures: 0, lockedUntil: null });
    await expect(guard.login('111111')).rejects.toThrow('4 attempts left');
  });

  it('says how many attempts are left, and a success starts the count again', async () => {
    const guard = auth();
    await expect(guard.login('111111')).rejects.toThrow('4 attempts left');
    await expect(guard.login('111111')).rejects.toThrow('3 attempts left');
    await guard.login(TEST_PIN);
    await expect(guard.login('111111')).rejects.toThrow('4 attempts left');
  });

  it('keeps the lockout across a restart (a new guard on the same file)', async () => {
    const guard = auth();
    for (let i = 0; i < 5; i++) await codeOf(guard.login('999999'));
    const restarted = auth(openLedger(file).ledger);
    expect(await codeOf(restarted.login(TEST_PIN))).toBe(KioskErrorCode.LockedOut);
  });

  it('counts concurrent guesses one by one', async () => {
    const guard = auth();
    const codes = await Promise.all(Array.from({ length: 6 }, () => codeOf(guard.login('424242'))));
    expect(codes.filter((c) => c === KioskErrorCode.WrongPin)).toHaveLength(4);
    expect(codes.filter((c) => c === KioskErrorCode.LockedOut)).toHaveLength(2);
  });

  it('logout ends the session and is audited', async () => {
    const guard = auth();
    const { session } = await guard.login(TEST_PIN);
    guard.logout(session);
    expect(() => guard.authorize(session, AuditAction.ExportLogs)).toThrow(KioskError);
    expect(ledger.recent(3).map((r) => [r.action, r.outcome])).toEqual([
      [AuditAction.ExportLogs, AuditOutcome.Refused],
      [AuditAction.Logout, AuditOutcome.Ok],
      [AuditAction.Login, AuditOutcome.Ok],
    ]);
  });
});
