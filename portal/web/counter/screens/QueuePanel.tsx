import type { ReactNode } from 'react';
import type { ConsoleCatalogResponse } from '../../../../common/contract/console-api.js';
import type { QueueListResponse, QueueTicket } from '../../../../common/contract/counter-api.js';
import { Priority } from '../../../../common/domain/priority.js';
import { formatHm, minutesSince } from '../../shared/format/time.js';
import type { Language } from '../../shared/i18n/language.js';
import type { ConsoleDictionary } from '../i18n/index.js';
import { serviceName } from './labels.js';

export interface QueuePanelProps {
  queue: QueueListResponse | null;
  counterId: string | null;
  t: ConsoleDictionary;
  language: Language;
  catalog: ConsoleCatalogResponse | null;
  now: number;
  busy: boolean;
  /** Held tickets of this counter can be called back from the list. */
  canCallBack: boolean;
  onCallBack: (ticketId: string) => void;
  onRequeue: (ticketId: string) => void;
}

/** Who is next and why: position, class, appointment time, waited minutes, in calling order. */
export function QueuePanel(props: QueuePanelProps) {
  const { queue, t, language, catalog, now } = props;
  const timeZone = catalog?.hall.timeZone;
  const waiting = queue?.waiting ?? [];
  return (
    <section className="card queue" aria-labelledby="queue-heading" data-testid="queue">
      <h2 id="queue-heading">
        {t.queueHeading} <span className="count" data-testid="waiting-total">{t.waitingCount(waiting.length)}</span>
      </h2>
      <p className="hint" id="queue-order">
        {t.queueOrder}
      </p>
      {waiting.length === 0 ? (
        <p data-testid="queue-empty">{t.nobodyWaiting}</p>
      ) : (
        <table className="queue-table" aria-describedby="queue-order">
          <thead>
            <tr>
              <th scope="col">{t.positionLabel}</th>
              <th scope="col">{t.numberLabel}</th>
              <th scope="col">{t.serviceLabel}</th>
              <th scope="col">{t.priorityLabel}</th>
              <th scope="col">{t.appointmentLabel}</th>
              <th scope="col">{t.waitedLabel}</th>
            </tr>
          </thead>
          <tbody>
            {waiting.map((ticket) => (
              <tr key={ticket.ticketId} data-testid={`waiting-${ticket.number}`} data-priority={ticket.priority}>
                <td>{ticket.position}</td>
                <th scope="row">
                  {ticket.number}
                  {ticket.targetCounterId !== null && ticket.targetCounterId === props.counterId && (
                    <span className="tag" data-testid="transferred-here">
                      {t.transferredHere}
                    </span>
                  )}
                </th>
                <td>{serviceName(catalog, ticket.serviceId, language)}</td>
                <td>
                  <span className={`tag priority-${ticket.priority}`}>{t.priorityName[ticket.priority]}</span>
                </td>
                <td>{ticket.priority === Priority.Appointment && ticket.appointmentAt ? formatHm(ticket.appointmentAt, language, timeZone) : '—'}</td>
                <td>{t.minutes(minutesSince(ticket.queueAt, now))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <TicketList
        heading={t.heldHeading}
        testId="held"
        tickets={queue?.held ?? []}
        t={t}
        language={language}
        catalog={catalog}
        action={(ticket) =>
          props.canCallBack && ticket.counterId === props.counterId ? (
            <button type="button" disabled={props.busy} onClick={() => props.onCallBack(ticket.ticketId)} data-testid={`call-back-${ticket.number}`}>
              {t.callBackThis(ticket.number)}
            </button>
          ) : null
        }
      />
      <TicketList
        heading={t.noShowsHeading}
        testId="no-shows"
        tickets={queue?.noShows ?? []}
        t={t}
        language={language}
        catalog={catalog}
        action={(ticket) => (
          <button type="button" disabled={props.busy} onClick={() => props.onRequeue(ticket.ticketId)} data-testid={`requeue-${ticket.number}`}>
            {t.requeueThis(ticket.number)}
          </button>
        )}
      />
    </section>
  );
}

function TicketList(props: {
  heading: string;
  testId: string;
  tickets: QueueTicket[];
  t: ConsoleDictionary;
  language: Language;
  catalog: ConsoleCatalogResponse | null;
  action: (ticket: QueueTicket) => ReactNode;
}) {
  const headingId = `${props.testId}-heading`;
  return (
    <div className="ticket-list" data-testid={props.testId}>
      <h3 id={headingId}>{props.heading}</h3>
      {props.tickets.length === 0 ? (
        <p className="none">{props.t.none}</p>
      ) : (
        <ul aria-labelledby={headingId}>
          {props.tickets.map((ticket) => (
            <li key={ticket.ticketId} data-testid={`${props.testId}-${ticket.number}`}>
              <span className="list-number">{ticket.number}</span>
              <span>{serviceName(props.catalog, ticket.serviceId, props.language)}</span>
              {props.action(ticket)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
