import type Database from 'better-sqlite3';
import { z } from 'zod';
import { NumberBand } from '../common/contract/sync-api.js';

/** A band as the kiosk holds it: `nextSequence` is the next number to hand out. */
export interface StoredBand {
  bandId: string;
  serviceId: string;
  businessDay: string;
  firstSequence: number;
  lastSequence: number;
  nextSequence: number;
  leasedAt: string;
}

/** A lease asked for and not yet answered; retried with the same id (idempotent at the portal). */
export interface PendingLease {
  leaseId: string;
  serviceId: string;
  businessDay: string;
  size: number;
}

/** A band from the portal, checked before it is stored: a reversed range would hand out nothing. */
export const CheckedBand = NumberBand.refine((b) => b.lastSequence >= b.firstSequence, {
  message: 'lastSequence must not be below firstSequence',
});

interface BandRow {
  band_id: string;
  service_id: string;
  business_day: string;
  first_sequence: number;
  last_sequence: number;
  next_sequence: number;
  leased_at: string;
}

interface LeaseRow {
  lease_id: string;
  service_id: string;
  business_day: string;
  size: number;
}

const BAND_COLUMNS = 'band_id, service_id, business_day, first_sequence, last_sequence, next_sequence, leased_at';

function toStoredBand(r: BandRow): StoredBand {
  return {
    bandId: r.band_id,
    serviceId: r.service_id,
    businessDay: r.business_day,
    firstSequence: r.first_sequence,
    lastSequence: r.last_sequence,
    nextSequence: r.next_sequence,
    leasedAt: r.leased_at,
  };
}

/**
 * Number bands and pending leases. Plain statements, no transactions of their own: the store calls
 * them inside its transactions (a band number is taken in the same transaction as the ticket row).
 */
export class NumberBands {
  private readonly stmt;

  constructor(db: Database.Database) {
    this.stmt = {
      // The lowest unexhausted band first, so numbers come out in order.
      takeNext: db
        .prepare<[string, string], number>(
          'UPDATE number_bands SET next_sequence = next_sequence + 1 WHERE band_id = (' +
            'SELECT band_id FROM number_bands WHERE service_id = ? AND business_day = ? AND next_sequence <= last_sequence ' +
            'ORDER BY first_sequence LIMIT 1) RETURNING next_sequence - 1',
        )
        .pluck(),
      remaining: db
        .prepare<[string, string], number>(
          'SELECT coalesce(sum(last_sequence - next_sequence + 1), 0) FROM number_bands WHERE service_id = ? AND business_day = ?',
        )
        .pluck(),
      // A band already known keeps its next_sequence: the pull repeats every band it leased.
      insert: db.prepare<{ bandId: string; serviceId: string; businessDay: string; first: number; last: number; at: string }>(
        'INSERT INTO number_bands (band_id, service_id, business_day, first_sequence, last_sequence, next_sequence, leased_at) ' +
          'VALUES (@bandId, @serviceId, @businessDay, @first, @last, @first, @at) ON CONFLICT (band_id) DO NOTHING',
      ),
      list: db.prepare<[], BandRow>(`SELECT ${BAND_COLUMNS} FROM number_bands ORDER BY business_day, service_id, first_sequence`),
      pendingFor: db.prepare<[string, string], LeaseRow>(
        'SELECT lease_id, service_id, business_day, size FROM pending_leases WHERE service_id = ? AND business_day = ?',
      ),
      pendingById: db.prepare<[string], LeaseRow>('SELECT lease_id, service_id, business_day, size FROM pending_leases WHERE lease_id = ?'),
      insertPending: db.prepare<[string, string, string, number, string]>(
        'INSERT INTO pending_leases (lease_id, service_id, business_day, size, created_at) VALUES (?, ?, ?, ?, ?)',
      ),
      deletePending: db.prepare<[string]>('DELETE FROM pending_leases WHERE lease_id = ?'),
      listPending: db.prepare<[], LeaseRow>('SELECT lease_id, service_id, business_day, size FROM pending_leases ORDER BY business_day, service_id'),
    };
  }

  /** Takes the next sequence of an unexhausted band for (service, day), or null if none is left. */
  takeNext(serviceId: string, businessDay: string): number | null {
    return this.stmt.takeNext.get(serviceId, businessDay) ?? null;
  }

  remaining(serviceId: string, businessDay: string): number {
    return this.stmt.remaining.get(serviceId, businessDay) ?? 0;
  }

  insert(band: z.output<typeof CheckedBand>, leasedAt: string): void {
    this.stmt.insert.run({
      bandId: band.bandId,
      serviceId: band.serviceId,
      businessDay: band.businessDay,
      first: band.firstSequence,
      last: band.lastSequence,
      at: leasedAt,
    });
  }

  list(): StoredBand[] {
    return this.stmt.list.all().map(toStoredBand);
  }

  /** The pending lease for (service, day), created with `newId` when there is none. */
  pendingLease(serviceId: string, businessDay: string, size: number, newId: () => string, at: string): PendingLease {
    const existing = this.stmt.pendingFor.get(serviceId, businessDay);
    if (existing) return toLease(existing);
    const leaseId = newId();
    this.stmt.insertPending.run(leaseId, serviceId, businessDay, size, at);
    return { leaseId, serviceId, businessDay, size };
  }

  pendingById(leaseId: string): PendingLease | null {
    const row = this.stmt.pendingById.get(leaseId);
    return row ? toLease(row) : null;
  }

  dropLease(leaseId: string): void {
    this.stmt.deletePending.run(leaseId);
  }

  pendingLeases(): PendingLease[] {
    return this.stmt.listPending.all().map(toLease);
  }
}

function toLease(r: LeaseRow): PendingLease {
  return { leaseId: r.lease_id, serviceId: r.service_id, businessDay: r.business_day, size: r.size };
}
