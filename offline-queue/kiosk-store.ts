import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { Catalog } from '../common/contract/catalog.js';
import { PrintState } from '../common/contract/kiosk-api.js';
import type { KioskSettings } from '../common/contract/kiosk-settings.js';
import type { CaseView, CertificateKey } from '../common/contract/cases-api.js';
import {
  AppointmentStatus,
  OutboxEvent,
  PullResponse,
  RatingSubmittedPayload,
  RejectedEvent,
  SyncEventType,
  SyncRejectCode,
  TicketIssuedPayload,
  type NumberBand,
} from '../common/contract/sync-api.js';
import { Priority } from '../common/domain/priority.js';
import { NumberSource, formatHallNumber, formatKioskSeriesNumber } from '../common/domain/ticket-number.js';
import { uuidV7 } from '../common/domain/uuid-v7.js';
import { AppointmentCache, type StoredAppointment } from './appointment-cache.js';
import { CaseCache, type CachedCases } from './case-cache.js';
import { CertificateKeys } from './certificate-keys.js';
import { openKioskDatabase } from './db/open-database.js';
import { hallBusinessDay } from './hall-clock.js';
import { KioskSettingsRow } from './kiosk-settings-row.js';
import {
  CheckInTicketInputSchema,
  IssueTicketInputSchema,
  type CheckInTicketInput,
  type IssueTicketInput,
} from './issue-ticket-input.js';
import { CheckedBand, NumberBands, type PendingLease, type StoredBand } from './number-bands.js';
import { RatingsGiven } from './ratings-given.js';
import { RetentionPolicy, RetentionStatements, type PurgeReport } from './retention.js';
import { SyncStateRow, type StoredSyncState } from './sync-state-row.js';
import { TechnicianLedger } from './technician-ledger.js';
import { TicketLookups, type CitizenTicket } from './ticket-lookups.js';
import { canMarkPrintJob, isPrintJobState, ticketPrintStateFor, type PrintJobMark } from './print-job-state.js';
import { StoreError, StoreErrorCode, withStoreErrors } from './store-error.js';
import { TICKET_COLUMNS, toStoredTicket, type StoredTicket } from './stored-ticket.js';

export type { StoredTicket } from './stored-ticket.js';
export type { CheckInTicketInput, IssueTicketInput, NumberChoice } from './issue-ticket-input.js';
export type { CachedCases } from './case-cache.js';
export type { PrintJobMark, PrintJobState } from './print-job-state.js';
export type { PendingLease, StoredBand } from './number-bands.js';
export type { StoredAppointment } from './appointment-cache.js';
export type { StoredSyncState } from './sync-state-row.js';
export type { PurgeReport, RetentionPolicy } from './retention.js';
export type { CitizenTicket } from './ticket-lookups.js';
export type { LockoutState, NewAuditEntry, TechnicianLedger } from './technician-ledger.js';

export interface KioskStoreOptions {
  now?: () => Date;
  random?: (n: number) => Uint8Array;
}

export interface QuarantinedEvent {
  seq: number;
  eventId: string;
  code: string;
  reason: string;
  quarantinedAt: string;
}

/** What became of a check-in in the store's transaction. */
export type CheckInIssue =
  /** The ticket issued for it (or the one this requestId issued before). */
  | { kind: 'issued'; ticket: StoredTicket }
  /** Not booked (any more): checked in meanwhile (with this kiosk's ticket, when it has one), cancelled, unknown. */
  | { kind: 'not-booked'; appointment: StoredAppointment | null; ticket: StoredTicket | null };

/** A rating to queue: the contract's payload. */
export type RatingToQueue = z.input<typeof RatingSubmittedPayload>;

export enum RatingQueued {
  Queued = 'queued',
  /** The same ratingId again (a retried call): nothing new. */
  Repeated = 'repeated',
  /** The ticket was rated from this kiosk already with another rating. */
  AlreadyRated = 'already-rated',
}

/**
 * Rejections a visitor caused, not the kiosk (a ticket not served, or rated elsewhere first):
 * quarantined like every rejection, but no technician alert counts them.
 */
export const VISITOR_REJECT_CODES: readonly SyncRejectCode[] = [SyncRejectCode.NotRateable, SyncRejectCode.AlreadyRated];

interface OutboxRow {
  seq: number;
  event_id: string;
  type: string;
  payload: string;
  occurred_at: string;
}

interface QuarantineRow {
  seq: number;
  event_id: string;
  code: string;
  reason: string;
  quarantined_at: string;
}

const MAX_ERROR_TEXT = 500;
const PrintStateSchema = z.enum(PrintState);
const ByteLength = z.number().int().nonnegative();
const Seq = z.number().int().nonnegative();
const RejectedEvents = z.array(RejectedEvent);
const CheckedPull = PullResponse.extend({ bands: z.array(CheckedBand) });
const LeaseSize = z.number().int().min(1).max(999);
const DAY_MS = 86_400_000;

/** Runs `fn`; a zod failure on data about to be written becomes a coded constraint error. */
function validated<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof z.ZodError) {
      throw new StoreError(StoreErrorCode.Constraint, `${what}: ${z.prettifyError(err)}`, { cause: err });
    }
    throw err;
  }
}

/** What a pull (or a catalog fetch) changed that the screen and the core follow. */
export interface PulledChange {
  /** A new catalog: names, hours, quotas, the calendar. */
  catalog: boolean;
  /** New settings from the hall manager for this kiosk (kiosk-settings-row.ts). */
  settings: boolean;
}

/**
 * The kiosk's durable state: tickets, their outbox events, print jobs, the cached catalog, number
 * bands and pending leases, appointments, the pull cursor and kiosk identity (sync_state).
 * One connection, one writer, every statement prepared once. Every method is synchronous and
 * throws StoreError for storage conditions (disk full, read-only, corrupt, constraint).
 */
export class KioskStore {
  readonly dbEpoch: string;
  readonly path: string;
  private readonly now: () => Date;
  private readonly random: (n: number) => Uint8Array;

  private readonly stmt;
  private readonly issueTxn;
  private readonly checkInTxn;
  private readonly rateTxn;
  private readonly recordPrintJobTxn;
  private readonly markPrintJobTxn;
  private readonly recoverTxn;
  private readonly acknowledgeTxn;
  private readonly applyPullTxn;
  private readonly pendingLeaseTxn;
  private readonly applyLeaseTxn;
  private readonly purgeTxn;
  private readonly bands: NumberBands;
  private readonly syncRow: SyncStateRow;
  private readonly appointments: AppointmentCache;
  private readonly cases: CaseCache;
  private readonly certificateKeyRows: CertificateKeys;
  private readonly ratings: RatingsGiven;
  private readonly retention: RetentionStatements;
  private readonly lookups: TicketLookups;
  private readonly settingsRow: KioskSettingsRow;
  /** Parsed once per change, like the catalog: read on every visitor and every login. */
  private settingsCache: { value: KioskSettings | null } | null = null;
  private readonly changeListeners = new Set<(change: PulledChange) => void>();
  /** The technician's audit log and PIN lockout (issue 4). */
  readonly technician: TechnicianLedger;
  /**
   * The parsed catalog, read on every ticket: parsed once per write instead of per call. This
   * process is the database's only writer, so a write here is the only way it changes.
   */
  private catalogCache: { value: Catalog | null } | null = null;

  constructor(
    private readonly db: Database.Database,
    options: KioskStoreOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? ((n) => randomBytes(n));
    this.path = db.name;

    const prepared = withStoreErrors(() => ({
      meta: db.prepare<[], { db_epoch: string }>('SELECT db_epoch FROM kiosk_meta WHERE id = 1'),
      lastSeq: db.prepare<[], number>('SELECT last_seq FROM kiosk_meta WHERE id = 1').pluck(),
      nextSeq: db.prepare<[], number>('UPDATE kiosk_meta SET last_seq = last_seq + 1 WHERE id = 1 RETURNING last_seq').pluck(),

      saveCatalog: db.prepare<[string, string]>(
        'INSERT INTO catalog (id, body, pulled_at) VALUES (1, ?, ?) ' +
          'ON CONFLICT (id) DO UPDATE SET body = excluded.body, pulled_at = excluded.pulled_at',
      ),
      loadCatalog: db.prepare<[], string>('SELECT body FROM catalog WHERE id = 1').pluck(),

      ticketByRequest: db.prepare<[string], unknown>(`SELECT ${TICKET_COLUMNS} FROM tickets WHERE request_id = ?`),
      ticketById: db.prepare<[string], unknown>(`SELECT ${TICKET_COLUMNS} FROM tickets WHERE ticket_id = ?`),
      ticketByNumber: db.prepare<[string, string], unknown>(`SELECT ${TICKET_COLUMNS} FROM tickets WHERE business_day = ? AND number = ?`),
      insertTicket: db.prepare(
        `INSERT INTO tickets (${TICKET_COLUMNS}) VALUES (@ticket_id, @request_id, @service_id, @number, ` +
          '@number_source, @business_day, @priority, @issued_at, @people_ahead, @people_ahead_approx, ' +
          '@issued_offline, @print_state, @citizen_hmac, @appointment_id, @appointment_start)',
      ),
      countTickets: db
        .prepare<[string, string], number>('SELECT count(*) FROM tickets WHERE service_id = ? AND business_day = ?')
        .pluck(),
      setPrintState: db.prepare<[string, string]>('UPDATE tickets SET print_state = ? WHERE ticket_id = ?'),
      nextSeriesSequence: db
        .prepare<[string, string], number>(
          'INSERT INTO kiosk_series (service_id, business_day, last_sequence) VALUES (?, ?, 1) ' +
            'ON CONFLICT (service_id, business_day) DO UPDATE SET last_sequence = last_sequence + 1 ' +
            'RETURNING last_sequence',
        )
        .pluck(),

      insertPrintJob: db.prepare<[string, string, number, string, string]>(
        "INSERT INTO print_jobs (job_id, ticket_id, state, byte_length, created_at, updated_at) VALUES (?, ?, 'recorded', ?, ?, ?)",
      ),
      printJob: db.prepare<[string], { ticket_id: string; state: string }>('SELECT ticket_id, state FROM print_jobs WHERE job_id = ?'),
      updatePrintJob: db.prepare<[string, string, string | null, string]>(
        'UPDATE print_jobs SET state = ?, updated_at = ?, error = ? WHERE job_id = ?',
      ),
      ticketsOfRecordedJobs: db.prepare<[string]>(
        "UPDATE tickets SET print_state = ? WHERE ticket_id IN (SELECT ticket_id FROM print_jobs WHERE state = 'recorded')",
      ),
      // Committed, then the power went before its print job was recorded: never on paper.
      ticketsNeverQueued: db.prepare<[string]>(
        `UPDATE tickets SET print_state = ? WHERE print_state = 'pending'
         AND NOT EXISTS (SELECT 1 FROM print_jobs j WHERE j.ticket_id = tickets.ticket_id)`,
      ),
      ticketsOfSendingJobs: db.prepare<[string]>(
        "UPDATE tickets SET print_state = ? WHERE ticket_id IN (SELECT ticket_id FROM print_jobs WHERE state = 'sending')",
      ),
      failRecordedJobs: db.prepare<[string]>(
        "UPDATE print_jobs SET state = 'failed', updated_at = ?, error = 'interrupted before sending' WHERE state = 'recorded'",
      ),
      interruptSendingJobs: db.prepare<[string]>(
        "UPDATE print_jobs SET state = 'possibly-printed', updated_at = ?, error = 'interrupted while sending' WHERE state = 'sending'",
      ),

      insertOutbox: db.prepare<[number, string, string, string, string]>(
        'INSERT INTO outbox (seq, event_id, type, payload, occurred_at) VALUES (?, ?, ?, ?, ?)',
      ),
      readOutbox: db.prepare<[number], OutboxRow>(
        'SELECT seq, event_id, type, payload, occurred_at FROM outbox ORDER BY seq LIMIT ?',
      ),
      quarantineEvent: db.prepare<{ seq: number; eventId: string; code: string; reason: string; at: string }>(
        'INSERT INTO quarantine (seq, event_id, type, payload, code, reason, quarantined_at) ' +
          'SELECT seq, event_id, type, payload, @code, @reason, @at FROM outbox WHERE seq = @seq AND event_id = @eventId ' +
          'ON CONFLICT DO NOTHING',
      ),
      trimOutbox: db.prepare<[number]>('DELETE FROM outbox WHERE seq <= ?'),
      recordPushFailure: db.prepare<[string, number]>(
        'UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE seq = (SELECT min(seq) FROM outbox WHERE seq >= ?)',
      ),
      backlog: db.prepare<[], number>('SELECT count(*) FROM outbox').pluck(),
      quarantined: db.prepare<[], QuarantineRow>(
        'SELECT seq, event_id, code, reason, quarantined_at FROM quarantine ORDER BY seq',
      ),
      quarantinedCount: db
        .prepare<string[], number>(`SELECT count(*) FROM quarantine WHERE code NOT IN (${VISITOR_REJECT_CODES.map(() => '?').join(', ')})`)
        .pluck(),
      ticketOfAppointment: db.prepare<[string], unknown>(`SELECT ${TICKET_COLUMNS} FROM tickets WHERE appointment_id = ?`),
      numberTaken: db.prepare<[string, string], number>('SELECT 1 FROM tickets WHERE business_day = ? AND number = ?').pluck(),
    }));
    this.stmt = prepared;
    const bands = withStoreErrors(() => new NumberBands(db));
    const syncRow = withStoreErrors(() => new SyncStateRow(db));
    const appointments = withStoreErrors(() => new AppointmentCache(db));
    const retention = withStoreErrors(() => new RetentionStatements(db));
    const certificateKeyRows = withStoreErrors(() => new CertificateKeys(db));
    const ratings = withStoreErrors(() => new RatingsGiven(db));
    this.cases = withStoreErrors(() => new CaseCache(db));
    this.certificateKeyRows = certificateKeyRows;
    this.ratings = ratings;
    this.bands = bands;
    this.syncRow = syncRow;
    this.appointments = appointments;
    this.retention = retention;
    this.lookups = withStoreErrors(() => new TicketLookups(db));
    const settingsRow = withStoreErrors(() => new KioskSettingsRow(db));
    this.settingsRow = settingsRow;
    this.technician = new TechnicianLedger(db);

    const meta = withStoreErrors(() => prepared.meta.get());
    if (!meta) throw new StoreError(StoreErrorCode.Corrupt, 'kiosk_meta row missing');
    this.dbEpoch = meta.db_epoch;

    /**
     * The number of a new ticket, decided inside the issuing transaction: a band's next sequence
     * and the kiosk series step commit (or roll back) with the ticket row, so neither can ever be
     * handed out twice, whatever the crash.
     */
    const numberFor = (input: z.output<typeof IssueTicketInputSchema>): { number: string; source: NumberSource } => {
      const choice = input.number;
      if (choice.source === NumberSource.Portal) return { number: choice.number, source: NumberSource.Portal };
      if (choice.source === NumberSource.Band) {
        for (;;) {
          const sequence = bands.takeNext(input.serviceId, input.businessDay);
          if (sequence === null) break;
          const number = formatHallNumber(choice.prefix, sequence);
          // Only a portal fault could lease a number this kiosk already holds: skip it, never reuse it.
          if (prepared.numberTaken.get(input.businessDay, number) === undefined) return { number, source: NumberSource.Band };
        }
      }
      const sequence = this.must(prepared.nextSeriesSequence.get(input.serviceId, input.businessDay), 'kiosk series');
      return { number: formatKioskSeriesNumber(choice.prefix, choice.kioskDigit, sequence), source: NumberSource.KioskSeries };
    };

    /** Inserts a new ticket and its `ticket.issued` event with the next seq; call inside a transaction. */
    const insertTicket = (
      input: z.output<typeof IssueTicketInputSchema>,
      appointment: { appointmentId: string; start: string } | null,
    ): StoredTicket => {
      const { number, source } = numberFor(input);
      const issuedAt = this.now().toISOString();
      const payload = validated('ticket.issued payload', () =>
        TicketIssuedPayload.parse({
          ticketId: input.ticketId,
          serviceId: input.serviceId,
          number,
          numberSource: source,
          businessDay: input.businessDay,
          priority: input.priority,
          issuedAt,
          citizenHmac: input.citizenHmac,
          // For the counter console; it travels in this event only, never in the tickets table.
          ...(input.maskedName ? { maskedName: input.maskedName } : {}),
          // The portal marks the appointment arrived, once, when this event reaches it.
          ...(appointment ? { appointmentId: appointment.appointmentId } : {}),
        }),
      );
      prepared.insertTicket.run({
        ticket_id: input.ticketId,
        request_id: input.requestId,
        service_id: input.serviceId,
        number,
        number_source: source,
        business_day: input.businessDay,
        priority: input.priority,
        issued_at: issuedAt,
        people_ahead: input.peopleAhead,
        people_ahead_approx: input.peopleAheadApproximate ? 1 : 0,
        issued_offline: input.issuedOffline ? 1 : 0,
        print_state: input.printState,
        citizen_hmac: input.citizenHmac,
        appointment_id: appointment?.appointmentId ?? null,
        appointment_start: appointment?.start ?? null,
      });
      const seq = this.must(prepared.nextSeq.get(), 'outbox seq');
      prepared.insertOutbox.run(seq, this.newId(), SyncEventType.TicketIssued, JSON.stringify(payload), issuedAt);
      return this.must(this.findTicket(input.ticketId), 'issued ticket');
    };

    this.issueTxn = db.transaction((input: z.output<typeof IssueTicketInputSchema>): StoredTicket => {
      const existing = prepared.ticketByRequest.get(input.requestId);
      if (existing) return toStoredTicket(existing);
      return insertTicket(input, null);
    });

    // The appointment is checked in by the same transaction that writes the ticket and its event:
    // both, or neither, and never a second ticket for it from this kiosk (issue 9 §3).
    this.checkInTxn = db.transaction((input: z.output<typeof CheckInTicketInputSchema>): CheckInIssue => {
      const existing = prepared.ticketByRequest.get(input.requestId);
      if (existing) return { kind: 'issued', ticket: toStoredTicket(existing) };
      const appointment = appointments.findById(input.appointmentId);
      if (!appointment || appointment.status !== AppointmentStatus.Booked || appointment.serviceId !== input.serviceId) {
        const row = prepared.ticketOfAppointment.get(input.appointmentId);
        return { kind: 'not-booked', appointment, ticket: row ? toStoredTicket(row) : null };
      }
      const ticket = insertTicket(
        { ...input, priority: Priority.Appointment, citizenHmac: appointment.citizenHmac },
        { appointmentId: appointment.appointmentId, start: appointment.windowStart },
      );
      if (!appointments.markCheckedIn(appointment.appointmentId, ticket.ticketId, ticket.issuedAt)) {
        throw new StoreError(StoreErrorCode.Constraint, `appointment ${appointment.appointmentId} changed during its check-in`);
      }
      return { kind: 'issued', ticket };
    });

    // The rating, the record that this kiosk gave it and its outbox event: one transaction.
    this.rateTxn = db.transaction((payload: z.output<typeof RatingSubmittedPayload>): RatingQueued => {
      const given = ratings.ratingOf(payload.ticketId);
      if (given !== null) return given === payload.ratingId ? RatingQueued.Repeated : RatingQueued.AlreadyRated;
      ratings.record(payload.ticketId, payload.ratingId, payload.ratedAt);
      const seq = this.must(prepared.nextSeq.get(), 'outbox seq');
      prepared.insertOutbox.run(seq, this.newId(), SyncEventType.RatingSubmitted, JSON.stringify(payload), payload.ratedAt);
      return RatingQueued.Queued;
    });

    this.recordPrintJobTxn = db.transaction((ticketId: string, byteLength: number): string => {
      if (!prepared.ticketById.get(ticketId)) throw new StoreError(StoreErrorCode.NotFound, `no ticket ${ticketId}`);
      const jobId = this.newId();
      const at = this.now().toISOString();
      prepared.insertPrintJob.run(jobId, ticketId, byteLength, at, at);
      prepared.setPrintState.run(PrintState.Pending, ticketId);
      return jobId;
    });

    this.markPrintJobTxn = db.transaction((jobId: string, to: PrintJobMark, error: string | null): void => {
      const job = prepared.printJob.get(jobId);
      if (!job) throw new StoreError(StoreErrorCode.NotFound, `no print job ${jobId}`);
      if (!isPrintJobState(job.state)) throw new StoreError(StoreErrorCode.Corrupt, `print job ${jobId} in unknown state ${job.state}`);
      if (job.state === to) return;
      if (!canMarkPrintJob(job.state, to)) {
        throw new StoreError(StoreErrorCode.Constraint, `print job ${jobId} is '${job.state}', cannot become '${to}'`);
      }
      prepared.updatePrintJob.run(to, this.now().toISOString(), error, jobId);
      prepared.setPrintState.run(ticketPrintStateFor[to], job.ticket_id);
    });

    this.recoverTxn = db.transaction((): number => {
      const at = this.now().toISOString();
      // Never sent: not on paper. Sending: maybe on paper, so never sent again by itself.
      prepared.ticketsOfRecordedJobs.run(PrintState.Failed);
      prepared.failRecordedJobs.run(at);
      prepared.ticketsNeverQueued.run(PrintState.Failed);
      prepared.ticketsOfSendingJobs.run(PrintState.PossiblyPrinted);
      return prepared.interruptSendingJobs.run(at).changes;
    });

    this.acknowledgeTxn = db.transaction((lastSeq: number, rejected: readonly RejectedEvent[]): void => {
      const at = this.now().toISOString();
      for (const r of rejected) {
        // A rejection beyond lastSeq is not consumed yet: dropping it would leave a gap.
        if (r.seq > lastSeq) continue;
        prepared.quarantineEvent.run({ seq: r.seq, eventId: r.eventId, code: r.code, reason: r.reason, at });
      }
      prepared.trimOutbox.run(lastSeq);
      syncRow.recordPush(at);
    });

    // One transaction: the cursor is stored with exactly the data it covers (docs/architecture.md §5).
    this.applyPullTxn = db.transaction((p: z.output<typeof CheckedPull>): PulledChange => {
      const at = this.now().toISOString();
      if (p.catalog) {
        prepared.saveCatalog.run(JSON.stringify(p.catalog), at);
        this.catalogCache = null;
      }
      syncRow.savePull({ cursor: p.cursor, citizenKey: p.citizenKey, kioskId: p.kiosk.kioskId, kioskDigit: p.kiosk.kioskDigit, at });
      for (const band of p.bands) bands.insert(band, at);
      for (const a of p.appointments) appointments.upsert(a, at);
      certificateKeyRows.replaceAll(p.certificateKeys, at);
      // A portal of before sends none: what is stored stays (the configuration file stands without any).
      const settings = p.settings !== undefined && settingsRow.save(p.settings, at);
      if (settings) this.settingsCache = null;
      return { catalog: p.catalog !== null, settings };
    });

    this.pendingLeaseTxn = db.transaction((serviceId: string, businessDay: string, size: number): PendingLease =>
      bands.pendingLease(serviceId, businessDay, size, () => this.newId(), this.now().toISOString()),
    );

    this.applyLeaseTxn = db.transaction((leaseId: string, band: z.output<typeof CheckedBand>): void => {
      const pending = bands.pendingById(leaseId);
      if (pending && (pending.serviceId !== band.serviceId || pending.businessDay !== band.businessDay)) {
        throw new StoreError(
          StoreErrorCode.Constraint,
          `lease ${leaseId} asked for ${pending.serviceId} on ${pending.businessDay}, got a band for ${band.serviceId} on ${band.businessDay}`,
        );
      }
      bands.insert(band, this.now().toISOString());
      bands.dropLease(leaseId);
    });

    this.purgeTxn = db.transaction((cutoffs: { personalBefore: string; keepBefore: string; today: string }) => retention.purge(cutoffs));
  }

  saveCatalog(catalog: Catalog): void {
    const parsed = validated('catalog', () => Catalog.parse(catalog));
    withStoreErrors(() => this.stmt.saveCatalog.run(JSON.stringify(parsed), this.now().toISOString()));
    this.catalogCache = null;
    this.announce({ catalog: true, settings: false });
  }

  /** The hall manager's settings for this kiosk from the last pull, or null: the configuration file stands. */
  kioskSettings(): KioskSettings | null {
    this.settingsCache ??= { value: withStoreErrors(() => this.settingsRow.read()) };
    return this.settingsCache.value;
  }

  /**
   * Called after a pull (or a catalog fetch) committed something new: the core tells the screen
   * to list its services again. Returns the unsubscribe.
   */
  onPulledChange(listener: (change: PulledChange) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  private announce(change: PulledChange): void {
    if (!change.catalog && !change.settings) return;
    for (const listener of this.changeListeners) {
      try {
        listener(change);
      } catch (err) {
        console.error('kiosk store: a pull listener failed', err);
      }
    }
  }

  /** The last pulled catalog, or null if none was pulled yet (or it no longer fits the schema). */
  loadCatalog(): Catalog | null {
    this.catalogCache ??= { value: this.readCatalog() };
    return this.catalogCache.value;
  }

  private readCatalog(): Catalog | null {
    const body = withStoreErrors(() => this.stmt.loadCatalog.get());
    if (body === undefined) return null;
    const parsed = Catalog.safeParse(JSON.parse(body));
    if (!parsed.success) {
      console.warn('kiosk store: cached catalog does not match the schema; waiting for a new pull');
      return null;
    }
    return parsed.data;
  }

  findTicketByRequestId(requestId: string): StoredTicket | null {
    const row = withStoreErrors(() => this.stmt.ticketByRequest.get(requestId));
    return row ? toStoredTicket(row) : null;
  }

  getTicket(ticketId: string): StoredTicket | null {
    return withStoreErrors(() => this.findTicket(ticketId));
  }

  /** This kiosk's ticket with a printed number on a business day (numbers are unique per day). */
  findTicketByNumber(businessDay: string, number: string): StoredTicket | null {
    return withStoreErrors(() => {
      const row = this.stmt.ticketByNumber.get(businessDay, number);
      return row ? toStoredTicket(row) : null;
    });
  }

  /** The rating id given for a ticket from this kiosk, or null. */
  ratingGiven(ticketId: string): string | null {
    return withStoreErrors(() => this.ratings.ratingOf(ticketId));
  }

  /**
   * ONE transaction: the number (a band's next sequence, or the kiosk series when no band for the
   * service and day has one left, or the portal's number as given), the ticket row and its
   * `ticket.issued` outbox event with the next gapless seq. The returned ticket's `numberSource`
   * says which number was used. Idempotent by requestId: a repeated request returns the ticket
   * already issued, unchanged.
   */
  issueTicket(input: IssueTicketInput): StoredTicket {
    const checked = validated('issueTicket input', () => IssueTicketInputSchema.parse(input));
    return withStoreErrors(() => this.issueTxn.immediate(checked));
  }

  countTicketsIssued(serviceId: string, businessDay: string): number {
    return withStoreErrors(() => this.stmt.countTickets.get(serviceId, businessDay) ?? 0);
  }

  setPrintState(ticketId: string, state: PrintState): StoredTicket {
    const checked = validated('print state', () => PrintStateSchema.parse(state));
    return withStoreErrors(() => {
      if (this.stmt.setPrintState.run(checked, ticketId).changes === 0) {
        throw new StoreError(StoreErrorCode.NotFound, `no ticket ${ticketId}`);
      }
      return this.must(this.findTicket(ticketId), 'ticket');
    });
  }

  /** Records a job before a byte is sent (docs/architecture.md §4 (2)); the ticket becomes Pending. */
  recordPrintJob(ticketId: string, byteLength: number): string {
    const length = validated('byteLength', () => ByteLength.parse(byteLength));
    return withStoreErrors(() => this.recordPrintJobTxn.immediate(ticketId, length));
  }

  /**
   * Moves a job on (recorded -> sending -> printed | failed; recorded -> failed) and the ticket's
   * print state with it (Printing / Printed / Failed). Marking the state a job already has is a no-op.
   */
  markPrintJob(jobId: string, state: PrintJobMark, error?: string): void {
    const text = error === undefined ? null : error.slice(0, MAX_ERROR_TEXT);
    withStoreErrors(() => this.markPrintJobTxn.immediate(jobId, state, text));
  }

  /**
   * Call once at start, before anything prints: a job left 'sending' becomes 'possibly-printed'
   * (its ticket PossiblyPrinted) and is never sent again by itself; a job left 'recorded' was
   * never sent and becomes 'failed' (its ticket Failed). Returns the number of 'sending' jobs.
   */
  recoverInterruptedPrintJobs(): number {
    return withStoreErrors(() => this.recoverTxn.immediate());
  }

  /** Unacknowledged events in seq order, at most `limit`. */
  readOutbox(limit: number): OutboxEvent[] {
    const rows = withStoreErrors(() => this.stmt.readOutbox.all(Math.max(0, Math.floor(limit))));
    return rows.map((row) => {
      const parsed = OutboxEvent.safeParse({
        seq: row.seq,
        eventId: row.event_id,
        type: row.type,
        occurredAt: row.occurred_at,
        payload: JSON.parse(row.payload),
      });
      // Events are validated before they are written, so this is damage; skipping the row
      // would leave a gap the portal never gets past.
      if (!parsed.success) {
        throw new StoreError(StoreErrorCode.Corrupt, `outbox event ${row.seq} is invalid: ${z.prettifyError(parsed.error)}`);
      }
      return parsed.data;
    });
  }

  /**
   * Applies a push answer in one transaction: events the portal rejected (seq <= lastSeq) move
   * to quarantine with their reason, then every event with seq <= lastSeq leaves the outbox.
   */
  acknowledge(lastSeq: number, rejected: RejectedEvent[]): void {
    const seq = validated('lastSeq', () => Seq.parse(lastSeq));
    const checked = validated('rejected', () => RejectedEvents.parse(rejected));
    withStoreErrors(() => this.acknowledgeTxn.immediate(seq, checked));
  }

  /** Notes a failed push on the first event still waiting at or after `fromSeq`. */
  recordPushFailure(fromSeq: number, error: string): void {
    withStoreErrors(() => this.stmt.recordPushFailure.run(error.slice(0, MAX_ERROR_TEXT), fromSeq));
  }

  /** Outbox events not yet acknowledged. */
  backlog(): number {
    return withStoreErrors(() => this.stmt.backlog.get() ?? 0);
  }

  /** The highest seq ever assigned in this epoch (0 before the first event). */
  lastSeq(): number {
    return withStoreErrors(() => this.stmt.lastSeq.get() ?? 0);
  }

  quarantined(): QuarantinedEvent[] {
    return withStoreErrors(() =>
      this.stmt.quarantined.all().map((r) => ({
        seq: r.seq,
        eventId: r.event_id,
        code: r.code,
        reason: r.reason,
        quarantinedAt: r.quarantined_at,
      })),
    );
  }

  /** Quarantined events the kiosk must answer for: the visitor's own refusals (VISITOR_REJECT_CODES) are not counted. */
  quarantinedCount(): number {
    return withStoreErrors(() => this.stmt.quarantinedCount.get(...VISITOR_REJECT_CODES) ?? 0);
  }

  /**
   * Applies one pull answer in ONE transaction: the cursor, the catalog (when not null), the kiosk
   * identity and citizen key, the bands (new ones inserted; known ones keep their next sequence)
   * and the appointments (upserted). Either all of it is stored or none, so the next pull resends.
   */
  applyPull(pull: PullResponse): void {
    const checked = validated('pull', () => CheckedPull.parse(pull));
    // Told after the commit: a listener reads what is stored.
    this.announce(withStoreErrors(() => this.applyPullTxn.immediate(checked)));
  }

  /** Numbers still unused in this kiosk's bands for (service, business day). */
  bandsRemaining(serviceId: string, businessDay: string): number {
    return withStoreErrors(() => this.bands.remaining(serviceId, businessDay));
  }

  listBands(): StoredBand[] {
    return withStoreErrors(() => this.bands.list());
  }

  /**
   * The lease to ask for (service, business day): the one already pending, or a new one whose id
   * is stored before any request is sent, so a retry after a lost answer reuses it.
   */
  pendingLease(serviceId: string, businessDay: string, size: number): PendingLease {
    const checkedSize = validated('lease size', () => LeaseSize.parse(size));
    return withStoreErrors(() => this.pendingLeaseTxn.immediate(serviceId, businessDay, checkedSize));
  }

  pendingLeases(): PendingLease[] {
    return withStoreErrors(() => this.bands.pendingLeases());
  }

  /** Stores the band a lease was answered with and closes the lease, in one transaction. */
  applyLease(leaseId: string, band: NumberBand): void {
    const checked = validated('band', () => CheckedBand.parse(band));
    withStoreErrors(() => this.applyLeaseTxn.immediate(leaseId, checked));
  }

  /** Forgets a lease the portal refused; the next attempt asks with a new id. */
  dropLease(leaseId: string): void {
    withStoreErrors(() => this.bands.dropLease(leaseId));
  }

  /**
   * Tickets of one citizen (by HMAC) for one service on one business day, oldest first, each
   * with whether its event still waits in the outbox (one waiting ticket per card per service).
   */
  citizenTickets(citizenHmac: string, serviceId: string, businessDay: string): CitizenTicket[] {
    return withStoreErrors(() => this.lookups.citizenTickets(citizenHmac, serviceId, businessDay));
  }

  /** Tickets issued since `since` whose receipt may be missing (possibly printed, failed, on screen only), newest first. */
  reprintableTickets(since: string, limit: number): StoredTicket[] {
    return withStoreErrors(() => this.lookups.reprintable(since, Math.max(0, Math.floor(limit))));
  }

  findAppointment(reference: string): StoredAppointment | null {
    return withStoreErrors(() => this.appointments.findByReference(reference));
  }

  findAppointmentById(appointmentId: string): StoredAppointment | null {
    return withStoreErrors(() => this.appointments.findById(appointmentId));
  }

  /** A citizen's cached appointments (by HMAC) from `firstDay` to `lastDay`, earliest slot first. */
  citizenAppointments(citizenHmac: string, firstDay: string, lastDay: string): StoredAppointment[] {
    return withStoreErrors(() => this.appointments.byCitizen(citizenHmac, firstDay, lastDay));
  }

  /**
   * ONE transaction: the appointment (still booked, for this service) becomes checked-in with a
   * new ticket of priority appointment carrying its citizen HMAC, its id and its start, and the
   * ticket's `ticket.issued` event. Idempotent by requestId. Anything but a booked appointment
   * issues nothing and says what it found.
   */
  checkInTicket(input: CheckInTicketInput): CheckInIssue {
    const checked = validated('checkInTicket input', () => CheckInTicketInputSchema.parse(input));
    return withStoreErrors(() => this.checkInTxn.immediate(checked));
  }

  /** The ticket this kiosk checked an appointment in with, if any. */
  ticketOfAppointment(appointmentId: string): StoredTicket | null {
    return withStoreErrors(() => {
      const row = this.stmt.ticketOfAppointment.get(appointmentId);
      return row ? toStoredTicket(row) : null;
    });
  }

  /** Caches the portal's answer for a citizen: the last one wins. */
  saveCases(citizenHmac: string, cases: readonly CaseView[], fetchedAt: string): void {
    withStoreErrors(() => this.cases.save(citizenHmac, cases, fetchedAt));
  }

  cachedCases(citizenHmac: string): CachedCases | null {
    return withStoreErrors(() => this.cases.load(citizenHmac));
  }

  /** The hall's certificate verification keys from the last pull. */
  certificateKeys(): CertificateKey[] {
    return withStoreErrors(() => this.certificateKeyRows.list());
  }

  /**
   * Queues a rating (`rating.submitted`) with the record that this kiosk gave it, in one
   * transaction: one rating per ticket from this kiosk; the same ratingId again is a no-op.
   */
  queueRating(rating: RatingToQueue): RatingQueued {
    const payload = validated('rating.submitted payload', () => RatingSubmittedPayload.parse(rating));
    return withStoreErrors(() => this.rateTxn.immediate(payload));
  }

  syncState(): StoredSyncState {
    return withStoreErrors(() => this.syncRow.get());
  }

  /** Accepts an offset for the business day (and drops a held one). */
  recordClockOffset(offsetMs: number): void {
    const ms = validated('clock offset', () => z.number().finite().parse(offsetMs));
    withStoreErrors(() => this.syncRow.recordClockOffset(ms));
  }

  /** Holds a measured offset beyond the limit until a technician confirms it; the accepted one stays. */
  holdClockOffset(offsetMs: number): void {
    const ms = validated('clock offset', () => z.number().finite().parse(offsetMs));
    withStoreErrors(() => this.syncRow.holdClockOffset(ms));
  }

  /** Forgets the pull cursor: the next pull is a full one (the portal refused the cursor). */
  resetPullCursor(): void {
    withStoreErrors(() => this.syncRow.clearCursor());
  }

  /**
   * Retention (see retention.ts for the policy), in one transaction, then an incremental vacuum
   * that hands the freed pages back to the file system. Ages are measured from `now` on the kiosk
   * clock (the clock that stamped `issued_at`); "today" is the hall's business day from the kiosk
   * clock plus the last measured offset, in the catalog's time zone (UTC before any catalog).
   */
  purgeExpired(now: Date, policy: RetentionPolicy): PurgeReport {
    const p = validated('retention policy', () => RetentionPolicy.parse(policy));
    return withStoreErrors(() => {
      const hall = this.loadCatalog()?.hall;
      const today = hallBusinessDay(now, this.syncRow.get().clockOffsetMs, hall?.timeZone ?? 'UTC', hall?.businessDayStartHour);
      const report = this.purgeTxn.immediate({
        personalBefore: new Date(now.getTime() - p.personalDataDays * DAY_MS).toISOString(),
        keepBefore: new Date(now.getTime() - p.keepDays * DAY_MS).toISOString(),
        today,
      });
      return { ...report, pagesFreed: this.retention.vacuum() };
    });
  }

  close(): void {
    if (this.db.open) withStoreErrors(() => this.db.close());
  }

  private findTicket(ticketId: string): StoredTicket | null {
    const row = this.stmt.ticketById.get(ticketId);
    return row ? toStoredTicket(row) : null;
  }

  /** Time-ordered ids for events and print jobs. */
  private newId(): string {
    return uuidV7(this.now().getTime(), this.random(16));
  }

  private must<T>(value: T | undefined | null, what: string): T {
    if (value === undefined || value === null) throw new StoreError(StoreErrorCode.Corrupt, `${what} missing`);
    return value;
  }
}

/** Opens the database file (creating it and its folder if needed) and the store on it. */
export function openKioskStore(opts: { path: string; now?: () => Date; random?: (n: number) => Uint8Array }): KioskStore {
  const db = openKioskDatabase(opts.path);
  try {
    return new KioskStore(db, { now: opts.now, random: opts.random });
  } catch (err) {
    db.close();
    throw err;
  }
}
