import { describe, expect, it } from 'vitest';
import { KioskError, KioskErrorCode } from '../../common/contract/errors.js';
import { ConnectivityState, kioskMethodNames, PrinterState, type KioskHandlers } from '../../common/contract/kiosk-api.js';
import { createKioskDispatcher } from './kiosk-dispatcher.js';
import { KioskEventHub } from './kiosk-event-hub.js';

const status = {
  printer: { state: PrinterState.Ready, checkedAt: null },
  connectivity: { state: ConnectivityState.Online, lastSyncAt: null, backlog: 0, clockOffsetMs: -250, quarantined: 2 },
};

function handlers(overrides: Partial<KioskHandlers> = {}): KioskHandlers {
  const unused = async (): Promise<never> => {
    throw new Error('not used in this test');
  };
  // Every contract method, so a method added to the contract needs no edit here.
  const all = Object.fromEntries(kioskMethodNames.map((name) => [name, unused])) as unknown as KioskHandlers;
  return { ...all, getStatus: async () => status, ...overrides };
}

describe('createKioskDispatcher', () => {
  it('answers a valid call with the response the contract allows', async () => {
    const d = createKioskDispatcher(handlers(), new KioskEventHub());
    expect(await d.dispatch('getStatus', {})).toEqual({ ok: true, response: status });
    expect(await d.dispatch('getStatus', undefined)).toEqual({ ok: true, response: status });
  });

  it('refuses an unknown method, including inherited names, without calling anything', async () => {
    const d = createKioskDispatcher(handlers(), new KioskEventHub());
    expect(await d.dispatch('deleteEverything', {})).toEqual({ ok: false, error: { code: KioskErrorCode.UnknownMethod, message: 'unknown method' } });
    expect((await d.dispatch('toString', {})).ok).toBe(false);
    expect((await d.dispatch('__proto__', {})).ok).toBe(false);
  });

  it('refuses a bad request with bad-request naming the field, before the handler runs', async () => {
    let called = false;
    const d = createKioskDispatcher(
      handlers({
        takeTicket: async () => {
          called = true;
          throw new Error('unreachable');
        },
      }),
      new KioskEventHub(),
    );
    const result = await d.dispatch('takeTicket', { serviceId: 'social-insurance', requestId: 'not-a-uuid' });
    expect(result.ok).toBe(false);
    if (result.ok) throw new Error('expected a failure');
    expect(result.error.code).toBe(KioskErrorCode.BadRequest);
    expect(result.error.message).toContain('requestId');
    const extra = await d.dispatch('getStatus', { sneaky: true });
    expect(extra.ok ? null : extra.error.code).toBe(KioskErrorCode.BadRequest);
    expect(called).toBe(false);
  });

  it('passes a coded KioskError through as { code, message }', async () => {
    const d = createKioskDispatcher(
      handlers({
        getTicket: async () => {
          throw new KioskError(KioskErrorCode.NotFound, 'no such ticket');
        },
      }),
      new KioskEventHub(),
    );
    expect(await d.dispatch('getTicket', { ticketId: '0195796c-1b2c-7a00-8000-000000000001' })).toEqual({
      ok: false,
      error: { code: KioskErrorCode.NotFound, message: 'no such ticket' },
    });
  });

  it('hides an unexpected error behind internal, and reports it to the core only', async () => {
    const seen: unknown[] = [];
    const d = createKioskDispatcher(
      handlers({
        listServices: async () => {
          throw new Error('SQLITE_CORRUPT at /var/lib/kiosk/kiosk.db');
        },
        // A response that breaks the contract is an internal error too, never sent as is.
        getStatus: async () => ({ ...status, connectivity: { ...status.connectivity, backlog: -1 } }),
      }),
      new KioskEventHub(),
      (err) => seen.push(err),
    );
    const result = await d.dispatch('listServices', {});
    expect(result).toEqual({ ok: false, error: { code: KioskErrorCode.Internal, message: 'internal error' } });
    expect(JSON.stringify(result)).not.toContain('SQLITE');
    expect(await d.dispatch('getStatus', {})).toEqual({ ok: false, error: { code: KioskErrorCode.Internal, message: 'internal error' } });
    expect(seen).toHaveLength(2);
  });

  it('subscribes through the hub, which checks each payload against the contract', () => {
    const hub = new KioskEventHub();
    const d = createKioskDispatcher(handlers(), hub);
    const events: string[] = [];
    const off = d.subscribe((event) => events.push(event));
    hub.emit('connectivity', status.connectivity);
    expect(() => hub.emit('connectivity', { ...status.connectivity, backlog: -5 })).toThrow();
    off();
    hub.emit('connectivity', status.connectivity);
    expect(events).toEqual(['connectivity']);
  });
});
