import Database from 'better-sqlite3';
import { z } from 'zod';

const TicketRow = z.object({
  ticket_id: z.string(),
  number: z.string(),
  business_day: z.string(),
  number_source: z.string(),
  print_state: z.string(),
  issued_at: z.string(),
});
const JobRow = z.object({ ticket_id: z.string(), state: z.string() });
const MetaRow = z.object({ db_epoch: z.string(), last_seq: z.number().int() });

export interface KioskDbSnapshot {
  /** `PRAGMA integrity_check`: 'ok' or the problems found. */
  integrity: string;
  dbEpoch: string;
  lastSeq: number;
  backlog: number;
  quarantined: number;
  /** In insertion order (rowid), which is issuance order. */
  tickets: { ticketId: string; number: string; businessDay: string; numberSource: string; printState: string; issuedAt: string }[];
  printJobs: { ticketId: string; state: string }[];
}

/**
 * Reads a kiosk database file read-only, straight through SQLite: what is on disk, not what a
 * running core believes. The kiosk must be closed (or killed) first.
 */
export function readKioskDb(file: string): KioskDbSnapshot {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = db.prepare<[], string>('PRAGMA integrity_check').pluck().all().join('; ');
    const meta = MetaRow.parse(db.prepare('SELECT db_epoch, last_seq FROM kiosk_meta WHERE id = 1').get());
    const count = (sql: string): number => z.number().int().parse(db.prepare(sql).pluck().get());
    return {
      integrity,
      dbEpoch: meta.db_epoch,
      lastSeq: meta.last_seq,
      backlog: count('SELECT count(*) FROM outbox'),
      quarantined: count('SELECT count(*) FROM quarantine'),
      tickets: db
        .prepare('SELECT ticket_id, number, business_day, number_source, print_state, issued_at FROM tickets ORDER BY rowid')
        .all()
        .map((raw) => {
          const r = TicketRow.parse(raw);
          return {
            ticketId: r.ticket_id,
            number: r.number,
            businessDay: r.business_day,
            numberSource: r.number_source,
            printState: r.print_state,
            issuedAt: r.issued_at,
          };
        }),
      printJobs: db
        .prepare('SELECT ticket_id, state FROM print_jobs ORDER BY rowid')
        .all()
        .map((raw) => {
          const r = JobRow.parse(raw);
          return { ticketId: r.ticket_id, state: r.state };
        }),
    };
  } finally {
    db.close();
  }
}
