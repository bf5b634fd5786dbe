import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CardRejectReason,
  kioskEvents,
  ScanKind,
  ScanSource,
  VisitorClearReason,
  type KioskEventName,
} from '../../common/contract/kiosk-api.js';
import { Priority } from '../../common/domain/priority.js';
import { KioskLog } from './kiosk-log.js';
import { sampleCard } from './testing/sample-card.js';
import { VisitorFlow } from './visitor-flow.js';
import { VisitorSession } from './visitor-session.js';

describe('VisitorFlow', () => {
  let events: { event: KioskEventName; payload: unknown }[];
  let session: VisitorSession;
  let flow: VisitorFlow;
  let log: KioskLog;

  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2025-03-04T06:00:00.000Z'));
    events = [];
    // Every payload goes through the contract, as the event hub does.
    const emit = (event: KioskEventName, payload: unknown) => events.push({ event, payload: kioskEvents[event].parse(payload) });
    session = new VisitorSession({
      idleTimeoutMs: 60_000,
      elderlyAge: 60,
      now: () => new Date(),
      today: () => '2025-03-04',
      onIdentified: (view) => emit('visitorIdentified', view),
      onCleared: (reason) => emit('visitorCleared', { reason }),
    });
    log = new KioskLog({ echo: false });
    flow = new VisitorFlow({
      session,
      emit,
      log,
      lookup: { ticketNumber: () => null, appointmentKnown: () => false },
      today: () => '2025-03-04',
      now: () => new Date(),
    });
  });

  afterEach(() => {
    session.close();
    vi.useRealTimers();
  });

  it('identifies a valid card with masked data and elderly priority, logging nothing personal', () => {
    flow.onCard(sampleCard());
    expect(events).toEqual([
      { event: 'visitorIdentified', payload: expect.objectContaining({ maskedName: '刘*䶮', priority: Priority.Elderly }) },
    ]);
    expect(log.all().join('\n')).not.toMatch(/刘|110105195803040019/);
  });

  it('refuses an expired card and ends the previous visitor', () => {
    flow.onCard(sampleCard());
    flow.onCard(sampleCard({ validTo: '2025-03-03', name: '王五' }));
    expect(events.map((e) => e.event)).toEqual(['visitorIdentified', 'visitorCleared', 'cardRejected']);
    expect(events[2]?.payload).toEqual({ reason: CardRejectReason.Expired });
    expect(session.current()).toBeNull();
  });

  it('reports unreadable cards and scans; a scan keeps the visitor from timing out', async () => {
    flow.onUnreadableCard();
    expect(events.at(-1)).toEqual({ event: 'cardRejected', payload: { reason: CardRejectReason.Unreadable } });
    flow.onCard(sampleCard());
    await vi.advanceTimersByTimeAsync(50_000);
    expect(flow.onScan('HKA-7Q2M9XKD', ScanSource.Serial).kind).toBe(ScanKind.Appointment);
    await vi.advanceTimersByTimeAsync(50_000);
    expect(session.current()).not.toBeNull();
    expect(events.at(-1)).toMatchObject({ event: 'scanned', payload: { kind: ScanKind.Appointment, source: ScanSource.Serial } });
  });

  it('Done wipes the card', () => {
    flow.onCard(sampleCard());
    expect(flow.endVisit()).toBe(true);
    expect(events.at(-1)).toEqual({ event: 'visitorCleared', payload: { reason: VisitorClearReason.Ended } });
    expect(flow.endVisit()).toBe(false);
  });
});
