import type { ConsoleCatalogResponse } from '../../../../common/contract/console-api.js';
import type { QueueTicket } from '../../../../common/contract/counter-api.js';
import { Priority } from '../../../../common/domain/priority.js';
import { formatHm, minutesSince } from '../../shared/format/time.js';
import type { Language } from '../../shared/i18n/language.js';
import type { ConsoleDictionary } from '../i18n/index.js';
import { serviceName } from './labels.js';

export interface CurrentVisitorProps {
  ticket: QueueTicket | null;
  t: ConsoleDictionary;
  language: Language;
  catalog: ConsoleCatalogResponse | null;
  /** The portal's time now. */
  now: number;
  /** The hall's limit of calls, when the next recall would make the ticket a no-show. */
  autoNoShowAt: number | null;
}

/**
 * The visitor at this counter: number, service, class, masked name, appointment, waited minutes,
 * calls. A polite live region, so a screen reader announces a new number without a focus move.
 */
export function CurrentVisitor({ ticket, t, language, catalog, now, autoNoShowAt }: CurrentVisitorProps) {
  const timeZone = catalog?.hall.timeZone;
  return (
    <section className="card current" aria-labelledby="current-heading" data-testid="current">
      <h2 id="current-heading">{t.currentHeading}</h2>
      <div aria-live="polite" aria-atomic="true">
        {ticket ? (
          <>
            <p className="current-number" data-testid="current-number" data-status={ticket.status}>
              {ticket.number}
            </p>
            <dl className="facts">
              <dt>{t.statusLabel}</dt>
              <dd data-testid="current-status">{t.ticketStatus[ticket.status]}</dd>
              <dt>{t.serviceLabel}</dt>
              <dd data-testid="current-service">{serviceName(catalog, ticket.serviceId, language)}</dd>
              <dt>{t.priorityLabel}</dt>
              <dd data-testid="current-priority" data-priority={ticket.priority}>
                {t.priorityName[ticket.priority]}
              </dd>
              <dt>{t.nameLabel}</dt>
              <dd data-testid="current-name">{ticket.maskedName ?? t.anonymous}</dd>
              {ticket.priority === Priority.Appointment && ticket.appointmentAt && (
                <>
                  <dt>{t.appointmentLabel}</dt>
                  <dd data-testid="current-appointment">{formatHm(ticket.appointmentAt, language, timeZone)}</dd>
                </>
              )}
              <dt>{t.waitedLabel}</dt>
              <dd data-testid="current-waited">{t.minutes(minutesSince(ticket.queueAt, ticket.calledAt ? Date.parse(ticket.calledAt) : now))}</dd>
              <dt>{t.callCountLabel}</dt>
              <dd data-testid="current-calls">{t.callCount(ticket.callCount)}</dd>
            </dl>
          </>
        ) : (
          <p className="current-empty" data-testid="current-empty">
            {t.noCurrent}
          </p>
        )}
      </div>
      {ticket && autoNoShowAt !== null && (
        <p className="hint warn" role="status" data-testid="auto-no-show-hint">
          {t.autoNoShowHint(ticket.callCount, autoNoShowAt)}
        </p>
      )}
    </section>
  );
}
