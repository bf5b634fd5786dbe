import { TicketStatus, type CounterView, type QueueListResponse } from '../../../../common/contract/counter-api.js';
import { CounterState } from '../../../../common/contract/counter-api.js';

/** The eight counter keys of the console, in key order (F1 … F8). */
export enum ConsoleAction {
  CallNext = 'call-next',
  Recall = 'recall',
  Start = 'start',
  Complete = 'complete',
  NoShow = 'no-show',
  Hold = 'hold',
  CallBack = 'call-back',
  Transfer = 'transfer',
}

export const FUNCTION_KEYS: Readonly<Record<string, ConsoleAction>> = {
  F1: ConsoleAction.CallNext,
  F2: ConsoleAction.Recall,
  F3: ConsoleAction.Start,
  F4: ConsoleAction.Complete,
  F5: ConsoleAction.NoShow,
  F6: ConsoleAction.Hold,
  F7: ConsoleAction.CallBack,
  F8: ConsoleAction.Transfer,
};

export const KEY_OF_ACTION: Readonly<Record<ConsoleAction, string>> = Object.fromEntries(
  Object.entries(FUNCTION_KEYS).map(([key, action]) => [action, key]),
) as Record<ConsoleAction, string>;

/** The counter key this keyboard event means, or null (modifiers make it the browser's again). */
export function actionOfKey(event: Pick<KeyboardEvent, 'key' | 'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey'>): ConsoleAction | null {
  if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return null;
  return FUNCTION_KEYS[event.key] ?? null;
}

/**
 * Which counter keys make sense now, from what the counter holds and the hall's rules: the portal
 * decides in the end (a stale page gets `invalid-transition`), but the clerk should not be offered
 * what cannot work.
 */
export function enabledActions(counter: CounterView | null, queue: QueueListResponse | null): Set<ConsoleAction> {
  const on = new Set<ConsoleAction>();
  if (!counter || counter.state === CounterState.SignedOut) return on;
  const paused = counter.state === CounterState.Paused;
  const current = counter.currentTicket;
  const called = current?.status === TicketStatus.Called;
  const active = called || current?.status === TicketStatus.Serving;
  const limit = queue?.noShowAfterCalls ?? Number.POSITIVE_INFINITY;
  // Call-next also works over a called ticket that reached the limit: the portal marks it a no-show first.
  if (!paused && (!current || (called && (current?.callCount ?? 0) >= limit))) on.add(ConsoleAction.CallNext);
  if (called) {
    on.add(ConsoleAction.Recall);
    on.add(ConsoleAction.Start);
    on.add(ConsoleAction.NoShow);
  }
  if (active) {
    on.add(ConsoleAction.Complete);
    on.add(ConsoleAction.Hold);
    on.add(ConsoleAction.Transfer);
  }
  if (!paused && !current && heldHere(counter, queue).length > 0) on.add(ConsoleAction.CallBack);
  return on;
}

/** The tickets held (挂起) at this counter: only it may call them back. */
export function heldHere(counter: CounterView | null, queue: QueueListResponse | null) {
  if (!counter || !queue) return [];
  return queue.held.filter((t) => t.counterId === counter.counterId);
}

/** The next recall would make the ticket a no-show (call count at the hall's limit). */
export function nextRecallIsNoShow(counter: CounterView | null, queue: QueueListResponse | null): boolean {
  const current = counter?.currentTicket;
  return !!current && !!queue && current.status === TicketStatus.Called && current.callCount >= queue.noShowAfterCalls;
}
