import { describe, expect, it } from 'vitest';
import { CounterState, TicketStatus } from '../../../../common/contract/counter-api.js';
import { sampleCounter, sampleQueue, sampleTicket } from '../../testing/fixtures.js';
import { actionOfKey, ConsoleAction, enabledActions, FUNCTION_KEYS, KEY_OF_ACTION, nextRecallIsNoShow } from './console-actions.js';

const A = ConsoleAction;
const key = (k: string, mods: Partial<KeyboardEvent> = {}) => actionOfKey({ key: k, altKey: false, ctrlKey: false, metaKey: false, shiftKey: false, ...mods });

describe('counter keys', () => {
  it('maps F1–F8 to the eight actions in order, and nothing with a modifier', () => {
    expect(Object.keys(FUNCTION_KEYS)).toEqual(['F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7', 'F8']);
    expect(Object.values(FUNCTION_KEYS)).toEqual(Object.values(ConsoleAction));
    expect(key('F1')).toBe(A.CallNext);
    expect(key('F5')).toBe(A.NoShow);
    expect(key('F8')).toBe(A.Transfer);
    expect(key('F9')).toBeNull();
    expect(key('F5', { ctrlKey: true })).toBeNull();
    expect(KEY_OF_ACTION[A.CallBack]).toBe('F7');
  });

  it('offers only what the counter and its ticket allow', () => {
    const queue = sampleQueue();
    const idle = sampleCounter();
    expect([...enabledActions(idle, queue)]).toEqual([A.CallNext]);
    expect([...enabledActions(sampleCounter({ state: CounterState.Paused }), queue)]).toEqual([]);
    expect([...enabledActions(sampleCounter({ state: CounterState.SignedOut }), queue)]).toEqual([]);
    expect([...enabledActions(null, queue)]).toEqual([]);

    const called = sampleCounter({ state: CounterState.Busy, currentTicket: sampleTicket({ status: TicketStatus.Called, counterId: 'window-3', callCount: 1 }) });
    expect([...enabledActions(called, queue)].sort()).toEqual([A.Complete, A.Hold, A.NoShow, A.Recall, A.Start, A.Transfer].sort());

    const serving = sampleCounter({ state: CounterState.Busy, currentTicket: sampleTicket({ status: TicketStatus.Serving, counterId: 'window-3', callCount: 1 }) });
    expect([...enabledActions(serving, queue)].sort()).toEqual([A.Complete, A.Hold, A.Transfer].sort());

    const held = sampleQueue({ held: [sampleTicket({ status: TicketStatus.Held, counterId: 'window-3' })] });
    expect([...enabledActions(idle, held)].sort()).toEqual([A.CallBack, A.CallNext].sort());
    // Held at another counter: only that counter calls it back.
    const elsewhere = sampleQueue({ held: [sampleTicket({ status: TicketStatus.Held, counterId: 'window-4' })] });
    expect(enabledActions(idle, elsewhere).has(A.CallBack)).toBe(false);
  });

  it('lets call-next past a called ticket only once it reached the no-show limit, and says so', () => {
    const queue = sampleQueue({ noShowAfterCalls: 3 });
    const twice = sampleCounter({ state: CounterState.Busy, currentTicket: sampleTicket({ status: TicketStatus.Called, counterId: 'window-3', callCount: 2 }) });
    const thrice = sampleCounter({ state: CounterState.Busy, currentTicket: sampleTicket({ status: TicketStatus.Called, counterId: 'window-3', callCount: 3 }) });
    expect(enabledActions(twice, queue).has(A.CallNext)).toBe(false);
    expect(nextRecallIsNoShow(twice, queue)).toBe(false);
    expect(enabledActions(thrice, queue).has(A.CallNext)).toBe(true);
    expect(nextRecallIsNoShow(thrice, queue)).toBe(true);
  });
});
