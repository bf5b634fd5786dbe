import type Database from 'better-sqlite3';
import { PrintState } from '../common/contract/kiosk-api.js';
import { TICKET_COLUMNS, toStoredTicket, type StoredTicket } from './stored-ticket.js';

/** A ticket held by an identified citizen, and whether the portal has heard of it yet. */
export interface CitizenTicket {
  ticketId: string;
  number: string;
  /** Its ticket.issued event still waits in the outbox: the portal cannot refuse a second one. */
  awaitingSync: boolean;
}

/** Print states in which a receipt may be missing: the technician may print it again. */
export const REPRINTABLE_STATES: readonly PrintState[] = [PrintState.PossiblyPrinted, PrintState.Failed, PrintState.OnScreenOnly];

/** Read-only ticket queries for the visitor and technician flows; statements only. */
export class TicketLookups {
  private readonly stmt;

  constructor(db: Database.Database) {
    this.stmt = {
      byCitizen: db.prepare<[string, string, string], { ticket_id: string; number: string; awaiting: number }>(
        // Its issuance still waiting: a rating of it in the outbox does not make it a waiting ticket.
        "SELECT t.ticket_id, t.number, EXISTS (SELECT 1 FROM outbox o WHERE json_extract(o.payload, '$.ticketId') = t.ticket_id " +
          "AND o.type = 'ticket.issued') AS awaiting " +
          'FROM tickets t WHERE t.citizen_hmac = ? AND t.service_id = ? AND t.business_day = ? ORDER BY t.issued_at',
      ),
      reprintable: db.prepare<[string, string, string, string, number], unknown>(
        `SELECT ${TICKET_COLUMNS} FROM tickets WHERE print_state IN (?, ?, ?) AND issued_at >= ? ORDER BY issued_at DESC LIMIT ?`,
      ),
    };
  }

  citizenTickets(citizenHmac: string, serviceId: string, businessDay: string): CitizenTicket[] {
    return this.stmt.byCitizen.all(citizenHmac, serviceId, businessDay).map((r) => ({ ticketId: r.ticket_id, number: r.number, awaitingSync: r.awaiting === 1 }));
  }

  reprintable(since: string, limit: number): StoredTicket[] {
    const [a, b, c] = REPRINTABLE_STATES;
    return this.stmt.reprintable.all(a ?? '', b ?? '', c ?? '', since, limit).map(toStoredTicket);
  }
}
