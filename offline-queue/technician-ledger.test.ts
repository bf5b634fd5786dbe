import { afterAll, describe, expect, it } from 'vitest';
import { AuditAction, AuditOutcome } from '../common/contract/kiosk-api.js';
import { openKioskStore, type KioskStore } from './kiosk-store.js';
import { StoreError, StoreErrorCode } from './store-error.js';
import { makeTempDir } from './testing/temp-dir.js';

const tmp = makeTempDir('ledger');
const stores: KioskStore[] = [];
afterAll(() => {
  for (const s of stores) s.close();
  tmp.remove();
});

function open(file: string): KioskStore {
  const store = openKioskStore({ path: file });
  stores.push(store);
  return store;
}

describe('TechnicianLedger', () => {
  it('appends audit rows and reads them newest first, across a reopen', () => {
    const file = tmp.file('audit');
    const first = open(file);
    first.technician.append({ at: '2025-03-04T06:00:00.000Z', actor: 'technician#abc123', action: AuditAction.Login, outcome: AuditOutcome.Ok, detail: 'PIN accepted' });
    first.technician.append({ at: '2025-03-04T06:01:00.000Z', actor: 'technician#abc123', action: AuditAction.Reprint, outcome: AuditOutcome.Failed, detail: 'ticket A024: failed' });
    const rows = open(file).technician.recent(10);
    expect(rows.map((r) => [r.at, r.action, r.outcome])).toEqual([
      ['2025-03-04T06:01:00.000Z', AuditAction.Reprint, AuditOutcome.Failed],
      ['2025-03-04T06:00:00.000Z', AuditAction.Login, AuditOutcome.Ok],
    ]);
    expect(rows[0]?.id).toBeGreaterThan(rows[1]?.id ?? Infinity);
    expect(open(file).technician.recent(1)).toHaveLength(1);
  });

  it('refuses an entry outside the schema with a coded error, writing nothing', () => {
    const store = open(tmp.file('bad'));
    const bad = { at: 'yesterday', actor: 'x', action: AuditAction.Login, outcome: AuditOutcome.Ok, detail: '' };
    expect(() => store.technician.append(bad)).toThrow(expect.objectContaining({ code: StoreErrorCode.Constraint }));
    expect(() => store.technician.append({ ...bad, at: '2025-03-04T06:00:00.000Z', detail: 'x'.repeat(301) })).toThrow(StoreError);
    expect(store.technician.recent(10)).toEqual([]);
  });

  it('counts wrong PINs in a row, locks at the limit and starts again; success resets', () => {
    const file = tmp.file('lockout');
    const ledger = open(file).technician;
    expect(ledger.lockout()).toEqual({ failures: 0, lockedUntil: null });
    expect(ledger.recordFailure('2025-03-04T06:00:00.000Z', 3, 60_000)).toEqual({ failures: 1, lockedUntil: null });
    ledger.recordSuccess();
    for (let i = 0; i < 2; i++) ledger.recordFailure('2025-03-04T06:00:00.000Z', 3, 60_000);
    expect(ledger.recordFailure('2025-03-04T06:00:00.000Z', 3, 60_000)).toEqual({ failures: 3, lockedUntil: '2025-03-04T06:01:00.000Z' });
    // Stored: another connection (a restarted kiosk) sees the lock.
    expect(open(file).technician.lockout()).toEqual({ failures: 0, lockedUntil: '2025-03-04T06:01:00.000Z' });
  });
});
