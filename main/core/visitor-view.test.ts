import { describe, expect, it } from 'vitest';
import { VisitorCardType, VisitorView } from '../../common/contract/kiosk-api.js';
import { Priority } from '../../common/domain/priority.js';
import { sampleCard } from './testing/sample-card.js';
import { priorityFromCard, toVisitorView } from './visitor-view.js';

describe('priority from the card', () => {
  it('counts the 60th birthday itself as elderly, the day before not', () => {
    expect(priorityFromCard('1965-03-04', '2025-03-04', 60)).toEqual({ age: 60, priority: Priority.Elderly });
    expect(priorityFromCard('1965-03-05', '2025-03-04', 60)).toEqual({ age: 59, priority: Priority.Normal });
    expect(priorityFromCard('1930-01-01', '2025-03-04', 60).priority).toBe(Priority.Elderly);
    expect(priorityFromCard('2000-06-01', '2025-03-04', 60).priority).toBe(Priority.Normal);
  });

  it('lets someone born on 29 February turn a year older on 1 March in common years', () => {
    expect(priorityFromCard('1964-02-29', '2024-02-29', 60).priority).toBe(Priority.Elderly);
    expect(priorityFromCard('1964-02-29', '2024-02-28', 60).priority).toBe(Priority.Normal);
    expect(priorityFromCard('1960-02-29', '2025-02-28', 65)).toEqual({ age: 64, priority: Priority.Normal });
    expect(priorityFromCard('1960-02-29', '2025-03-01', 65)).toEqual({ age: 65, priority: Priority.Elderly });
  });

  it('follows the configured threshold and gives no priority for a birth date after today', () => {
    expect(priorityFromCard('1960-01-01', '2025-03-04', 70).priority).toBe(Priority.Normal);
    expect(priorityFromCard('2030-01-01', '2025-03-04', 60)).toEqual({ age: null, priority: Priority.Normal });
  });
});

describe('toVisitorView', () => {
  it('masks name and number and passes the contract', () => {
    const view = toVisitorView(sampleCard(), {
      today: '2025-03-04',
      elderlyAge: 60,
      identifiedAt: new Date('2025-03-04T06:00:00.000Z'),
      expiresAt: new Date('2025-03-04T06:01:00.000Z'),
    });
    expect(view).toEqual({
      maskedName: '刘*䶮',
      maskedIdNumber: '1101**********0019',
      cardType: VisitorCardType.Mainland,
      age: 67,
      priority: Priority.Elderly,
      identifiedAt: '2025-03-04T06:00:00.000Z',
      expiresAt: '2025-03-04T06:01:00.000Z',
    });
    expect(VisitorView.parse(view)).toEqual(view);
    expect(JSON.stringify(view)).not.toContain('110105195803040019');
    expect(JSON.stringify(view)).not.toContain('刘一䶮');
  });

  it('the contract itself refuses an unmasked name or number', () => {
    const view = toVisitorView(sampleCard(), { today: '2025-03-04', elderlyAge: 60, identifiedAt: new Date(0), expiresAt: new Date(1) });
    expect(VisitorView.safeParse({ ...view, maskedIdNumber: '110105195803040019' }).success).toBe(false);
    expect(VisitorView.safeParse({ ...view, maskedName: '刘一䶮' }).success).toBe(false);
  });
});
