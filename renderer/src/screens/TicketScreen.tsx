import { PrintState, type TicketView } from '../../../common/contract/kiosk-api.js';
import { formatIssuedTime } from '../i18n/format-time.js';
import { dictionaryFor, localized, otherLanguage, type Language } from '../i18n/index.js';
import { ticketQrPayload } from '../qr/ticket-qr.js';
import { TicketNote } from '../state/journeys/journey-context.js';
import { TicketQrCode } from './TicketQrCode.js';

/** Print states in which the screen is the visitor's only sure record of the number. */
const QR_STATES: ReadonlySet<PrintState> = new Set([PrintState.Failed, PrintState.OnScreenOnly, PrintState.PossiblyPrinted]);

export interface TicketScreenProps {
  ticket: TicketView;
  language: Language;
  /** The hall's IANA zone, for the issued time. */
  timeZone: string | undefined;
  onDone: () => void;
  /** Why this ticket is shown besides having just been issued (an earlier check-in's). */
  note?: TicketNote | null;
}

export function TicketScreen({ ticket, language, timeZone, onDone, note = null }: TicketScreenProps) {
  const t = dictionaryFor(language);
  const showQr = QR_STATES.has(ticket.printState);
  const problem = ticket.printState === PrintState.Failed || ticket.printState === PrintState.OnScreenOnly || ticket.printState === PrintState.PossiblyPrinted;
  return (
    <main className="screen ticket-screen" data-testid="ticket-screen">
      <section className="ticket-card">
        {note === TicketNote.AlreadyCheckedIn && (
          <p className="ticket-note" data-testid="ticket-note" data-note={note} role="status">
            {t.ticketAlreadyCheckedIn}
          </p>
        )}
        <h1 className="ticket-heading">{t.ticketHeading}</h1>
        <p className="ticket-number" data-testid="ticket-number">
          {ticket.number}
        </p>
        <p className="ticket-service">
          <span className="service-name-primary">{localized(ticket.serviceName, language)}</span>
          <span className="service-name-secondary">{localized(ticket.serviceName, otherLanguage(language))}</span>
        </p>
        {ticket.appointmentStart && (
          <p className="badge badge-appointment" data-testid="ticket-appointment">
            {t.ticketAppointment(formatIssuedTime(ticket.appointmentStart, language, timeZone))}
          </p>
        )}
        <p className="people-ahead" data-testid="people-ahead" data-count={ticket.peopleAhead ?? ''}>
          {t.peopleAhead(ticket.peopleAhead, ticket.peopleAheadApproximate)}
        </p>
        <p className="issued-at">{t.issuedAt(formatIssuedTime(ticket.issuedAt, language, timeZone))}</p>
        {ticket.holderName && (
          <p className="ticket-holder" data-testid="ticket-holder">
            {t.ticketHolder(ticket.holderName)}
          </p>
        )}
        {ticket.issuedOffline && (
          <p className="badge badge-offline" data-testid="issued-offline">
            {t.issuedOffline}
          </p>
        )}
        <p className={`print-state${problem ? ' print-state-problem' : ''}`} data-testid="print-state" data-state={ticket.printState} role="status">
          {t.printState[ticket.printState]}
        </p>
      </section>
      {showQr && (
        <figure className="ticket-qr-figure">
          <TicketQrCode text={ticketQrPayload(ticket)} label={`${t.qrCaption}: ${ticket.number}`} />
          <figcaption>{t.qrCaption}</figcaption>
        </figure>
      )}
      <footer className="ticket-footer">
        <button type="button" className="done-button" data-testid="done-button" onClick={onDone}>
          {t.done}
        </button>
        <p className="auto-return-hint">{t.autoReturnHint}</p>
      </footer>
    </main>
  );
}
