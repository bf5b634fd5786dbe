import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { VisitorClearReason, type VisitorView } from '../../common/contract/kiosk-api.js';
import { sampleCard } from './testing/sample-card.js';
import { VisitorSession } from './visitor-session.js';

describe('VisitorSession', () => {
  let identified: VisitorView[];
  let cleared: VisitorClearReason[];
  let session: VisitorSession;

  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2025-03-04T06:00:00.000Z'));
    identified = [];
    cleared = [];
    session = new VisitorSession({
      idleTimeoutMs: 60_000,
      elderlyAge: 60,
      now: () => new Date(),
      today: () => '2025-03-04',
      onIdentified: (v) => identified.push(v),
      onCleared: (r) => cleared.push(r),
    });
  });

  afterEach(() => {
    session.close();
    vi.useRealTimers();
  });

  it('holds the card in memory, tells the screen only the masked view', () => {
    const card = sampleCard();
    session.identify(card);
    expect(session.current()?.card.idNumber).toBe('110105195803040019');
    expect(identified).toHaveLength(1);
    expect(JSON.stringify(identified)).not.toContain('110105195803040019');
    expect(identified[0]?.expiresAt).toBe('2025-03-04T06:01:00.000Z');
  });

  it('wipes the card on endVisit and empties the object it held', () => {
    const card = sampleCard();
    session.identify(card);
    expect(session.end(VisitorClearReason.Ended)).toBe(true);
    expect(session.current()).toBeNull();
    expect(card.idNumber).toBeUndefined();
    expect(card.name).toBeUndefined();
    expect(cleared).toEqual([VisitorClearReason.Ended]);
    expect(session.end(VisitorClearReason.Ended)).toBe(false);
    expect(cleared).toHaveLength(1);
  });

  it('wipes the card after the idle timeout, counted from the last activity', async () => {
    session.identify(sampleCard());
    await vi.advanceTimersByTimeAsync(40_000);
    session.touch();
    await vi.advanceTimersByTimeAsync(59_999);
    expect(session.current()).not.toBeNull();
    expect(session.current()?.view.expiresAt).toBe('2025-03-04T06:01:40.000Z');
    await vi.advanceTimersByTimeAsync(1);
    expect(session.current()).toBeNull();
    expect(cleared).toEqual([VisitorClearReason.Idle]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a second card replaces the first, whose data is wiped', () => {
    const first = sampleCard();
    session.identify(first);
    session.identify(sampleCard({ name: '王五', idNumber: '110105199001010011' }));
    expect(first.idNumber).toBeUndefined();
    expect(session.current()?.view.maskedName).toBe('王*');
    expect(identified).toHaveLength(2);
  });
});
