/**
 * Child process for the band crash test: issues band tickets as fast as it can and reports each
 * committed number on stdout, until it is killed with SIGKILL.
 */
import { NumberSource } from '../../common/domain/ticket-number.js';
import { openKioskStore } from '../kiosk-store.js';
import { ticketInput } from './ticket-input.js';

const file = process.argv[2];
if (!file) throw new Error('usage: band-crash-child <db path>');
const store = openKioskStore({ path: file });
const issueNext = (): void => {
  const ticket = store.issueTicket(ticketInput({ number: { source: NumberSource.Band, prefix: 'A', kioskDigit: 2 } }));
  process.stdout.write(`${ticket.number}\n`);
  setImmediate(issueNext);
};
issueNext();
