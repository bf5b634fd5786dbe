import { ConnectivityState, type ServiceView } from '../../../../common/contract/kiosk-api.js';
import type { RatingLevel } from '../../../../common/contract/ratings-api.js';
import type { RateableTicket } from '../../../../common/contract/sync-api.js';
import { formatIssuedTime } from '../../i18n/format-time.js';
import { localized, type Dictionary, type Language } from '../../i18n/index.js';
import { RatingPhase, RatingSource, type RatingState } from '../../state/journeys/rating.js';
import {
  isComplete,
  phrasesFor,
  RATING_DIMENSIONS,
  RATING_LEVELS,
  RatingDimension,
  type RatingDraft,
  type RatingPhrase,
} from '../../state/journeys/rating-draft.js';
import { Screen } from '../../state/screen.js';
import { JourneyFrame, type JourneyCommonProps } from './JourneyFrame.js';

export interface RatingScreenProps {
  common: JourneyCommonProps;
  state: RatingState;
  services: ServiceView[];
  onRetry: () => void;
  onChooseTicket: (ticketId: string) => void;
  onChooseLevel: (dimension: RatingDimension, level: RatingLevel) => void;
  onTogglePhrase: (phrase: RatingPhrase) => void;
  onSubmit: () => void;
  onRateNext: () => void;
}

function serviceName(services: ServiceView[], serviceId: string, language: Language): string {
  const service = services.find((s) => s.id === serviceId);
  return service ? localized(service.name, language) : serviceId;
}

function TicketList({ tickets, services, t, language, timeZone, onChoose }: { tickets: readonly RateableTicket[]; services: ServiceView[]; t: Dictionary; language: Language; timeZone: string | undefined; onChoose: (id: string) => void }) {
  return (
    <ul className="rating-tickets" data-testid="rating-tickets">
      {tickets.map((ticket) => (
        <li key={ticket.ticketId}>
          <button type="button" className="rating-ticket" data-testid={`rating-ticket-${ticket.number}`} onClick={() => onChoose(ticket.ticketId)}>
            <span className="rating-ticket-number">{ticket.number}</span>
            <span className="rating-ticket-service">{serviceName(services, ticket.serviceId, language)}</span>
            <span className="rating-ticket-detail">
              {ticket.counterNumber !== null ? `${t.rating.counter(ticket.counterNumber)} · ` : ''}
              {t.rating.servedAt(formatIssuedTime(ticket.finishedAt, language, timeZone))}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}

/** One dimension's five levels as a radio group: a screen reader says which one is chosen. */
function LevelGroup({ dimension, draft, t, disabled, onChoose }: { dimension: RatingDimension; draft: RatingDraft; t: Dictionary; disabled: boolean; onChoose: (dimension: RatingDimension, level: RatingLevel) => void }) {
  const labelId = `rating-${dimension}-label`;
  const chosen = draft.levels[dimension];
  return (
    <div className={`rating-dimension rating-dimension-${dimension}`} data-testid={`rating-dimension-${dimension}`} data-level={chosen ?? ''}>
      <h3 id={labelId} className="rating-dimension-name">
        {t.rating.dimension[dimension]}
      </h3>
      <div className="rating-levels" role="radiogroup" aria-labelledby={labelId}>
        {RATING_LEVELS.map((level) => (
          <button
            type="button"
            key={level}
            role="radio"
            aria-checked={chosen === level}
            className={`rating-level rating-level-${level}${chosen === level ? ' rating-level-chosen' : ''}`}
            data-testid={`rating-${dimension}-${level}`}
            disabled={disabled}
            onClick={() => onChoose(dimension, level)}
          >
            {t.rating.level[level]}
          </button>
        ))}
      </div>
    </div>
  );
}

/**
 * 好差评: by card (today's served tickets) or a scanned ticket QR; the five national levels for
 * 整体 and 效率 / 水平 / 态度, optional preset phrases, submit — accepted offline too (queued).
 */
export function RatingScreen(props: RatingScreenProps) {
  const { common, state, services } = props;
  const { t, language, timeZone } = common;
  const form = state.phase === RatingPhase.Form ? state : null;
  const actions = (
    <>
      {form && (
        <>
          {!isComplete(form.draft) && (
            <p className="rating-need-all" data-testid="rating-need-all">
              {t.rating.needAll}
            </p>
          )}
          <button
            type="button"
            className="journey-action journey-action-primary"
            data-testid="rating-submit"
            disabled={!isComplete(form.draft) || form.submitting}
            onClick={props.onSubmit}
          >
            {form.submitting ? t.rating.submitting : t.rating.submit}
          </button>
        </>
      )}
      {state.phase === RatingPhase.Thanks && state.tickets.length > 0 && (
        <button type="button" className="journey-action journey-action-primary" data-testid="rating-next" onClick={props.onRateNext}>
          {t.rating.rateNext(state.tickets.length)}
        </button>
      )}
      {state.phase === RatingPhase.Failed && (
        <button type="button" className="journey-action" data-testid="rating-retry" onClick={props.onRetry}>
          {t.journeys.retry}
        </button>
      )}
    </>
  );
  const offline = (state.phase === RatingPhase.Choose || state.phase === RatingPhase.Form) && state.offline && state.source === RatingSource.Card;
  return (
    <JourneyFrame screen={Screen.Rating} common={common} actions={actions}>
      {(state.phase === RatingPhase.Waiting || state.phase === RatingPhase.Choose || state.phase === RatingPhase.Failed) && (
        <section className="journey-prompt" data-testid="rating-prompt">
          <p className="journey-prompt-main">{t.rating.prompt}</p>
        </section>
      )}
      {offline && (
        <p className="notice" data-testid="rating-offline">
          {t.rating.offline}
        </p>
      )}
      <section className="journey-result" aria-live="polite" aria-busy={state.phase === RatingPhase.Loading}>
        {state.phase === RatingPhase.Loading && (
          <p className="journey-working" data-testid="rating-loading" role="status">
            {t.rating.loading}
          </p>
        )}
        {state.phase === RatingPhase.Failed && (
          <div className="outcome outcome-problem" data-testid="rating-failed" data-code={state.error.code} role="alert">
            <h2 className="outcome-headline">{t.rating.failed}</h2>
            <p className="outcome-detail">{t.errorByCode[state.error.code]}</p>
          </div>
        )}
        {state.phase === RatingPhase.Choose &&
          (state.tickets.length === 0 ? (
            <p className="outcome" data-testid="rating-none" data-source={state.source}>
              {state.source === RatingSource.Ticket ? t.rating.notRateable : t.rating.none}
            </p>
          ) : (
            <>
              <h2 className="journey-subheading">{t.rating.choose}</h2>
              <TicketList tickets={state.tickets} services={services} t={t} language={language} timeZone={timeZone} onChoose={props.onChooseTicket} />
            </>
          ))}
        {state.phase === RatingPhase.Thanks && (
          <div className="outcome outcome-ok" data-testid="rating-thanks" data-queued={state.queued}>
            <h2 className="outcome-headline">{state.queued ? t.rating.thanks : t.rating.notQueued}</h2>
            <p className="outcome-detail">{t.rating.thanksFor(state.number)}</p>
            {state.queued && common.connectivity?.state === ConnectivityState.Offline && <p className="outcome-detail" data-testid="rating-queued-offline">{t.rating.queuedOffline}</p>}
          </div>
        )}
      </section>
      {form && (
        <form className="rating-form" data-testid="rating-form" data-ticket={form.ticket.number} onSubmit={(e) => e.preventDefault()}>
          <h2 className="journey-subheading" data-testid="rating-form-heading">
            {t.rating.formHeading(form.ticket.number, serviceName(services, form.ticket.serviceId, language))}
          </h2>
          {RATING_DIMENSIONS.map((dimension) => (
            <LevelGroup key={dimension} dimension={dimension} draft={form.draft} t={t} disabled={form.submitting} onChoose={props.onChooseLevel} />
          ))}
          <fieldset className="rating-phrases" data-testid="rating-phrases">
            <legend>{t.rating.phrasesHeading}</legend>
            {form.draft.levels[RatingDimension.Overall] === null ? (
              <p className="muted">{t.rating.phrasesHint}</p>
            ) : (
              phrasesFor(form.draft.levels[RatingDimension.Overall]).map((phrase) => (
                <button
                  type="button"
                  key={phrase}
                  className={`rating-phrase${form.draft.phrases.includes(phrase) ? ' rating-phrase-chosen' : ''}`}
                  data-testid={`rating-phrase-${phrase}`}
                  aria-pressed={form.draft.phrases.includes(phrase)}
                  disabled={form.submitting}
                  onClick={() => props.onTogglePhrase(phrase)}
                >
                  {t.rating.phrase[phrase]}
                </button>
              ))
            )}
          </fieldset>
          {form.error && (
            <p className="outcome outcome-problem" data-testid="rating-submit-failed" data-code={form.error.code} role="alert">
              {t.rating.submitFailed}
            </p>
          )}
        </form>
      )}
    </JourneyFrame>
  );
}
