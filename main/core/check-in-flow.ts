import type { Catalog } from '../../common/contract/catalog.js';
import { KioskError, KioskErrorCode } from '../../common/contract/errors.js';
import { CheckInOutcome, type CheckInResult, type TicketView } from '../../common/contract/kiosk-api.js';
import { AppointmentStatus } from '../../common/contract/sync-api.js';
import { addDays } from '../../common/domain/business-day.js';
import { CheckInTiming, checkInTiming, checkInWindowOf, type CheckInWindow } from '../../common/domain/check-in-window.js';
import type { KioskStore, StoredAppointment } from '../../offline-queue/kiosk-store.js';
import type { TicketIssuer } from './ticket-issuer.js';
import { serviceNameOf, toTicketView } from './ticket-view.js';

export interface CheckInFlowDeps {
  store: KioskStore;
  issuer: TicketIssuer;
  /** The identified visitor's citizen HMAC (null: no card, or no hall key yet). */
  visitorHmac: () => string | null;
  /** Whether a card identifies a visitor now (with or without the hall key). */
  visitorPresent: () => boolean;
  /** The hall clock: the kiosk clock plus the portal offset it accepted. */
  hallNow: () => Date;
  /** The hall's business day now, YYYY-MM-DD. */
  today: () => string;
  /**
   * A reference or card this kiosk has no appointment for: pull once (bounded) in case it was
   * booked moments ago and the live channel is down. Absent: no second look.
   */
  refresh?: () => Promise<void>;
}

type Judged = { outcome: CheckInOutcome; ticket: TicketView | null };

/**
 * Which of a card's appointments a check-in is about, best first: one to check in now, then one
 * to come back for, one checked in already, one missed today, one of another day; cancelled and
 * no-show last. Among equals the earliest slot.
 */
function rankOf(a: StoredAppointment, today: string, now: Date, window: CheckInWindow): number {
  if (a.status === AppointmentStatus.Cancelled || a.status === AppointmentStatus.NoShow) return 5;
  if (a.businessDay !== today) return 4;
  if (a.status === AppointmentStatus.CheckedIn) return 2;
  const timing = checkInTiming(now, window);
  return timing === CheckInTiming.InWindow ? 0 : timing === CheckInTiming.Early ? 1 : 3;
}

/**
 * 预约签到 at the kiosk (issue 9 §3), by the reference a scan read or by the identified visitor's
 * card (its HMAC among the cached appointments of today and tomorrow). Offline it works from the
 * cache alone; the only portal call is the usual online numbering attempt of the ticket.
 *
 * - Within the catalog's `checkInWindow` around the slot's start, by the hall clock: a ticket with
 *   priority appointment (TicketIssuer.checkIn), idempotent by requestId.
 * - Before it: `early` with `checkInFrom`; after it: `late` (the screen offers a walk-in ticket).
 * - Checked in already: `already-checked-in`, with this kiosk's ticket when it issued one.
 * - Cancelled: `cancelled`; another day: `other-day`; nothing known: `not-found`.
 */
export class CheckInFlow {
  constructor(private readonly deps: CheckInFlowDeps) {}

  async checkIn(request: { requestId: string; reference?: string | undefined }): Promise<CheckInResult> {
    const { store } = this.deps;
    const catalog = store.loadCatalog();
    if (!catalog) throw new KioskError(KioskErrorCode.ServiceUnavailable, 'service catalog not loaded yet');
    // A retried request answers with the ticket it issued, whatever the clock says now.
    const issued = store.findTicketByRequestId(request.requestId);
    if (issued?.appointmentId) {
      const appointment = store.findAppointmentById(issued.appointmentId);
      return this.result(catalog, appointment, { outcome: CheckInOutcome.Ticket, ticket: toTicketView(issued, catalog) });
    }

    const appointment = await this.find(catalog, request.reference);
    if (!appointment) return { outcome: CheckInOutcome.NotFound, ticket: null, appointment: null };
    return this.result(catalog, appointment, await this.judge(catalog, appointment, request.requestId));
  }

  /** The appointment the request is about, looking once more after a pull when it is not cached. */
  private async find(catalog: Catalog, reference: string | undefined): Promise<StoredAppointment | null> {
    if (reference === undefined && !this.deps.visitorPresent()) {
      throw new KioskError(KioskErrorCode.BadRequest, 'check-in needs a scanned reference or an identified visitor');
    }
    const look = (): StoredAppointment | null => (reference === undefined ? this.byCard(catalog) : this.byReference(reference));
    const found = look();
    if (found || !this.deps.refresh) return found;
    await this.deps.refresh();
    return look();
  }

  private byReference(reference: string): StoredAppointment | null {
    const found = this.deps.store.findAppointment(reference);
    // A hold is the portal's own business while the citizen confirms: not an appointment yet.
    return found && found.status !== AppointmentStatus.Held ? found : null;
  }

  private byCard(catalog: Catalog): StoredAppointment | null {
    const hmac = this.deps.visitorHmac();
    if (hmac === null) return null;
    const today = this.deps.today();
    const now = this.deps.hallNow();
    const candidates = this.deps.store
      .citizenAppointments(hmac, today, addDays(today, 1))
      .filter((a) => a.status !== AppointmentStatus.Held)
      .map((a) => ({ a, rank: rankOf(a, today, now, this.window(catalog, a)) }));
    candidates.sort((x, y) => x.rank - y.rank || x.a.windowStart.localeCompare(y.a.windowStart));
    return candidates[0]?.a ?? null;
  }

  private async judge(catalog: Catalog, appointment: StoredAppointment, requestId: string): Promise<Judged> {
    const today = this.deps.today();
    switch (appointment.status) {
      case AppointmentStatus.Cancelled:
        return { outcome: CheckInOutcome.Cancelled, ticket: null };
      case AppointmentStatus.CheckedIn:
        return this.alreadyCheckedIn(catalog, appointment);
      case AppointmentStatus.NoShow:
        // Marked at the end of its day: that day is over.
        return { outcome: appointment.businessDay === today ? CheckInOutcome.Late : CheckInOutcome.OtherDay, ticket: null };
      default:
        break;
    }
    if (appointment.businessDay !== today) return { outcome: CheckInOutcome.OtherDay, ticket: null };
    const timing = checkInTiming(this.deps.hallNow(), this.window(catalog, appointment));
    if (timing === CheckInTiming.Early) return { outcome: CheckInOutcome.Early, ticket: null };
    if (timing === CheckInTiming.Late) return { outcome: CheckInOutcome.Late, ticket: null };
    const issued = await this.deps.issuer.checkIn({ requestId, appointment });
    if (issued.kind === 'issued') return { outcome: CheckInOutcome.Ticket, ticket: issued.view };
    // Taken meanwhile (a second scan at this kiosk, a pull saying another kiosk did it, a cancellation).
    if (issued.appointment?.status === AppointmentStatus.Cancelled) return { outcome: CheckInOutcome.Cancelled, ticket: null };
    return { outcome: CheckInOutcome.AlreadyCheckedIn, ticket: issued.ticket };
  }

  private alreadyCheckedIn(catalog: Catalog, appointment: StoredAppointment): Judged {
    const mine = this.deps.store.ticketOfAppointment(appointment.appointmentId);
    return { outcome: CheckInOutcome.AlreadyCheckedIn, ticket: mine ? toTicketView(mine, catalog) : null };
  }

  private window(catalog: Catalog, appointment: StoredAppointment): CheckInWindow {
    return checkInWindowOf(new Date(appointment.windowStart), catalog.hall.checkInWindow);
  }

  private result(catalog: Catalog, appointment: StoredAppointment | null, judged: Judged): CheckInResult {
    if (!appointment) return { ...judged, appointment: null };
    const window = this.window(catalog, appointment);
    return {
      ...judged,
      appointment: {
        reference: appointment.reference,
        serviceId: appointment.serviceId,
        serviceName: serviceNameOf(catalog, appointment.serviceId),
        businessDay: appointment.businessDay,
        start: appointment.windowStart,
        end: appointment.windowEnd,
        checkInFrom: window.from.toISOString(),
        checkInUntil: window.until.toISOString(),
      },
    };
  }
}
