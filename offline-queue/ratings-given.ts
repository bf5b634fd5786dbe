import type Database from 'better-sqlite3';

/**
 * The tickets rated from this kiosk (一次一评): the rating's outbox event leaves once the portal
 * has it, this row stays (until retention), so a second rating here is refused even then. The
 * portal refuses a rating given elsewhere first (`already-rated`). Statements only.
 */
export class RatingsGiven {
  private readonly stmt;

  constructor(db: Database.Database) {
    this.stmt = {
      byTicket: db.prepare<[string], { rating_id: string }>('SELECT rating_id FROM ratings_given WHERE ticket_id = ?'),
      insert: db.prepare<[string, string, string]>('INSERT INTO ratings_given (ticket_id, rating_id, rated_at) VALUES (?, ?, ?)'),
    };
  }

  /** The rating id already given for a ticket here, or null. */
  ratingOf(ticketId: string): string | null {
    return this.stmt.byTicket.get(ticketId)?.rating_id ?? null;
  }

  record(ticketId: string, ratingId: string, at: string): void {
    this.stmt.insert.run(ticketId, ratingId, at);
  }
}
