/**
 * Child process for the crash test: issues a ticket, starts "printing" it, reports what it did on
 * stdout and then waits to be killed with SIGKILL while the job is still 'sending'.
 */
import { openKioskStore } from '../kiosk-store.js';
import { ticketInput } from './ticket-input.js';

const file = process.argv[2];
if (!file) throw new Error('usage: crash-child <db path>');
const store = openKioskStore({ path: file });
const ticket = store.issueTicket(ticketInput());
const jobId = store.recordPrintJob(ticket.ticketId, 100);
store.markPrintJob(jobId, 'sending');
process.stdout.write(`${JSON.stringify({ ticketId: ticket.ticketId, jobId })}\n`);
setInterval(() => undefined, 60_000);
