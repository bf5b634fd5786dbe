/**
 * The calling order of a hall's waiting line, the same for call-next, the console's list and the
 * index `tickets_calling_order` (migration 0005):
 *   1. priority class (`priority_rank`: appointment, then elderly and green channel, then normal);
 *   2. within the class, appointment tickets by the start of their appointment window (only they
 *      have one; NULLS LAST keeps the rest after them, and ASC puts NULLs last by default, which is
 *      what lets the index serve this ORDER BY);
 *   3. then the portal's receive time (`queue_at`; for a requeued no-show, the time it was
 *      requeued: the back of its class), never the kiosk's clock;
 *   4. then the receive sequence, which breaks ties within one clock tick of a pushed batch.
 * A transferred ticket keeps its queue_at: it has waited already.
 */
export const CALLING_ORDER = 'priority_rank, appointment_at NULLS LAST, queue_at, receive_seq';

/** The same order over a table alias (`t.priority_rank, …`). */
export function callingOrderOf(alias: string): string {
  return CALLING_ORDER.split(', ')
    .map((part) => `${alias}.${part}`)
    .join(', ');
}
