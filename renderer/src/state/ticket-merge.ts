import { PrintState, type TicketView } from '../../../common/contract/kiosk-api.js';

/** How far printing has got; a terminal state never goes back to pending or printing. */
function printProgress(state: PrintState): number {
  switch (state) {
    case PrintState.Pending:
      return 0;
    case PrintState.Printing:
      return 1;
    default:
      return 2;
  }
}

/**
 * Combines two views of one ticket that may arrive out of order (the takeTicket reply and its
 * ticketUpdated events travel separately): the newer view wins unless it would move printing
 * backwards, e.g. a late "printing" after "printed", or drop the holder's masked name.
 */
export function mergeTicketViews(current: TicketView | undefined, incoming: TicketView): TicketView {
  if (!current || current.ticketId !== incoming.ticketId) return incoming;
  // The masked holder name travels only with the issuing reply: later views of the ticket lack it.
  const holder = incoming.holderName ?? current.holderName;
  const merged = holder === undefined ? incoming : { ...incoming, holderName: holder };
  if (printProgress(incoming.printState) < printProgress(current.printState)) {
    return { ...merged, printState: current.printState };
  }
  return merged;
}
