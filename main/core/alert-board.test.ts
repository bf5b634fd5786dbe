import { describe, expect, it } from 'vitest';
import { AlertKind, AlertSeverity, DeviceKind, KioskAlert } from '../../common/contract/kiosk-api.js';
import { AlertBoard } from './alert-board.js';

describe('AlertBoard', () => {
  it('raises, counts repeats, resolves, and lists open alerts first', () => {
    let now = Date.parse('2025-03-04T06:00:00.000Z');
    const board = new AlertBoard(() => new Date(now));
    const printer = { id: 'printer-not-ready', kind: AlertKind.PrinterNotReady, severity: AlertSeverity.Critical, device: DeviceKind.Printer, message: 'paper-out' };
    board.raise(printer);
    now += 1_000;
    board.raise({ ...printer, message: 'paper-out; A024 on screen' });
    board.raise({ id: 'device-disconnected:reader', kind: AlertKind.DeviceDisconnected, severity: AlertSeverity.Warning, device: DeviceKind.Reader, message: 'unplugged' });
    expect(board.list().map((a) => [a.id, a.count])).toEqual([
      ['device-disconnected:reader', 1],
      ['printer-not-ready', 2],
    ]);
    now += 1_000;
    board.resolve('device-disconnected:reader');
    const [open, resolved] = board.list();
    expect(open).toMatchObject({ id: 'printer-not-ready', message: 'paper-out; A024 on screen', raisedAt: '2025-03-04T06:00:00.000Z', lastSeenAt: '2025-03-04T06:00:01.000Z', resolvedAt: null });
    expect(resolved).toMatchObject({ id: 'device-disconnected:reader', resolvedAt: '2025-03-04T06:00:02.000Z' });
    for (const a of board.list()) expect(KioskAlert.parse(a)).toEqual(a);
    expect(board.isOpen('printer-not-ready')).toBe(true);
    expect(board.isOpen('device-disconnected:reader')).toBe(false);

    // Raised again after resolving: a new occurrence, counted from one.
    board.raise({ id: 'device-disconnected:reader', kind: AlertKind.DeviceDisconnected, severity: AlertSeverity.Warning, device: DeviceKind.Reader, message: 'again' });
    expect(board.list()[0]).toMatchObject({ id: 'device-disconnected:reader', count: 1, resolvedAt: null });
  });

  it('forgets the oldest resolved alerts beyond its limit', () => {
    const board = new AlertBoard(() => new Date(0), 2);
    for (const id of ['a', 'b', 'c']) {
      board.raise({ id, kind: AlertKind.DeviceFault, severity: AlertSeverity.Warning, device: null, message: id });
      board.resolve(id);
    }
    expect(board.list().map((a) => a.id)).toEqual(['c', 'b']);
  });
});
