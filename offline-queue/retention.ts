import type Database from 'better-sqlite3';
import { z } from 'zod';

/**
 * How long the kiosk keeps what it has synced (docs/architecture.md §5 "Retention"):
 * - personalDataDays: after this, the citizen HMAC of a synced ticket (and of a quarantined
 *   event's payload) is cleared. Unsynced tickets keep theirs: the portal still needs it.
 * - keepDays: after this, synced tickets, their print jobs and quarantined events are deleted.
 * Bands, pending leases and appointments of past business days go at once; a kiosk series
 * counter goes once no ticket of its day is left (so a clock set back can never restart it).
 * A visitor's cached cases (keyed by HMAC) are personal data: deleted personalDataDays after they
 * were fetched. The record of a rating given here goes after keepDays (its ticket is gone by then);
 * a quarantined rating loses its comment with the personal data.
 */
export const RetentionPolicy = z
  .object({
    personalDataDays: z.number().int().min(1).max(3_650),
    keepDays: z.number().int().min(1).max(3_650),
  })
  .refine((p) => p.keepDays >= p.personalDataDays, { message: 'keepDays must be at least personalDataDays' });
export type RetentionPolicy = z.infer<typeof RetentionPolicy>;

export interface PurgeReport {
  /** Synced tickets whose citizen HMAC was cleared. */
  citizenDataCleared: number;
  ticketsDeleted: number;
  printJobsDeleted: number;
  bandsDeleted: number;
  pendingLeasesDeleted: number;
  seriesDeleted: number;
  appointmentsDeleted: number;
  quarantineCleared: number;
  quarantineDeleted: number;
  casesDeleted: number;
  ratingsDeleted: number;
  /** Free pages handed back to the file system by the incremental vacuum after the purge. */
  pagesFreed: number;
}

export interface PurgeCutoffs {
  /** ISO instants: rows older than these are cleared / deleted. */
  personalBefore: string;
  keepBefore: string;
  /** The hall's business day now: day-scoped rows of earlier days are deleted. */
  today: string;
}

/**
 * "Synced": its `ticket.issued` event is no longer in the outbox (acknowledged or quarantined by
 * the portal). A rating of the ticket waiting there names the ticket too, but is not its issuance.
 */
const SYNCED =
  "NOT EXISTS (SELECT 1 FROM outbox o WHERE json_extract(o.payload, '$.ticketId') = tickets.ticket_id AND o.type = 'ticket.issued')";

/** The purge statements; the store runs them in one transaction, then vacuums. */
export class RetentionStatements {
  private readonly stmt;

  constructor(private readonly db: Database.Database) {
    this.stmt = {
      clearCitizen: db.prepare<[string]>(
        `UPDATE tickets SET citizen_hmac = NULL WHERE issued_at < ? AND citizen_hmac IS NOT NULL AND ${SYNCED}`,
      ),
      deletePrintJobs: db.prepare<[string]>(
        `DELETE FROM print_jobs WHERE ticket_id IN (SELECT ticket_id FROM tickets WHERE issued_at < ? AND ${SYNCED})`,
      ),
      deleteTickets: db.prepare<[string]>(`DELETE FROM tickets WHERE issued_at < ? AND ${SYNCED}`),
      deleteBands: db.prepare<[string]>('DELETE FROM number_bands WHERE business_day < ?'),
      deleteLeases: db.prepare<[string]>('DELETE FROM pending_leases WHERE business_day < ?'),
      deleteSeries: db.prepare<[string]>(
        'DELETE FROM kiosk_series WHERE business_day < ? AND NOT EXISTS ' +
          '(SELECT 1 FROM tickets t WHERE t.service_id = kiosk_series.service_id AND t.business_day = kiosk_series.business_day)',
      ),
      deleteAppointments: db.prepare<[string]>('DELETE FROM appointments WHERE business_day < ?'),
      clearQuarantine: db.prepare<[string]>(
        "UPDATE quarantine SET payload = CASE type WHEN 'ticket.issued' " +
          "THEN json_remove(json_set(payload, '$.citizenHmac', NULL), '$.maskedName') " +
          // A rating's comment is the visitor's own words: free text that may name anyone.
          "ELSE json_set(payload, '$.comment', NULL) END " +
          "WHERE quarantined_at < ? AND (json_extract(payload, '$.citizenHmac') IS NOT NULL OR json_extract(payload, '$.maskedName') IS NOT NULL " +
          "OR json_extract(payload, '$.comment') IS NOT NULL)",
      ),
      deleteQuarantine: db.prepare<[string]>('DELETE FROM quarantine WHERE quarantined_at < ?'),
      deleteCases: db.prepare<[string]>('DELETE FROM case_cache WHERE fetched_at < ?'),
      deleteRatings: db.prepare<[string]>('DELETE FROM ratings_given WHERE rated_at < ?'),
    };
  }

  /** Runs every purge statement; call inside a transaction. */
  purge(c: PurgeCutoffs): Omit<PurgeReport, 'pagesFreed'> {
    const s = this.stmt;
    const citizenDataCleared = s.clearCitizen.run(c.personalBefore).changes;
    const printJobsDeleted = s.deletePrintJobs.run(c.keepBefore).changes;
    const ticketsDeleted = s.deleteTickets.run(c.keepBefore).changes;
    return {
      citizenDataCleared,
      ticketsDeleted,
      printJobsDeleted,
      bandsDeleted: s.deleteBands.run(c.today).changes,
      pendingLeasesDeleted: s.deleteLeases.run(c.today).changes,
      seriesDeleted: s.deleteSeries.run(c.today).changes,
      appointmentsDeleted: s.deleteAppointments.run(c.today).changes,
      quarantineCleared: s.clearQuarantine.run(c.personalBefore).changes,
      quarantineDeleted: s.deleteQuarantine.run(c.keepBefore).changes,
      casesDeleted: s.deleteCases.run(c.personalBefore).changes,
      ratingsDeleted: s.deleteRatings.run(c.keepBefore).changes,
    };
  }

  /** Hands free pages back to the file system (auto_vacuum=INCREMENTAL, see open-database.ts). */
  vacuum(): number {
    const before = Number(this.db.pragma('freelist_count', { simple: true }));
    this.db.pragma('incremental_vacuum');
    const after = Number(this.db.pragma('freelist_count', { simple: true }));
    return Math.max(0, before - after);
  }
}
