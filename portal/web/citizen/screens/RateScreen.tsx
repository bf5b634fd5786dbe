import { useId, useState, type FormEvent } from 'react';
import { isPoorRating, RatingLevel, RATING_SCORE } from '../../../../common/contract/ratings-api.js';
import { ErrorBanner } from '../../shared/components/ErrorBanner.js';
import { FieldError } from '../components/FieldError.js';
import { FocusHeading } from '../components/FocusHeading.js';
import { Link } from '../components/Link.js';
import type { RatingDimension } from '../i18n/index.js';
import { messagesFor } from '../i18n/messages-for.js';
import { CitizenPage, emptyRoute } from '../routing/citizen-route.js';
import { COMMENT_MAX, parseTypedTicket, type RatingActions, type RatingChoices, type RatingState } from '../state/rating-store.js';
import type { PageProps } from './page-props.js';

/** 非常满意 first, as the national scheme lists them. */
const LEVELS: readonly RatingLevel[] = Object.values(RatingLevel).sort((a, b) => RATING_SCORE[b] - RATING_SCORE[a]);
const DIMENSIONS: readonly RatingDimension[] = ['overall', 'efficiency', 'expertise', 'attitude'];

export interface RateScreenProps extends PageProps {
  rating: RatingState;
  actions: RatingActions;
}

/** 好差评 of a served ticket: from the receipt's QR (`?ticket=&number=`), or typed. */
export function RateScreen(props: RateScreenProps) {
  const { t, nav, rating } = props;
  if (rating.rated) {
    return (
      <>
        <FocusHeading testId="thanks">{t.rating.thanksHeading}</FocusHeading>
        <p role="status">{t.rating.thanksBody(rating.rated.number)}</p>
        {isPoorRating(rating.rated.overall) && <p data-testid="poor-follow-up">{t.rating.poorFollowUp}</p>}
        <p>
          <Link nav={nav} to={emptyRoute(CitizenPage.Rate, props.route.hallId)} testId="rate-another">
            {t.rating.otherTicket}
          </Link>
        </p>
      </>
    );
  }
  return rating.ticket ? <RatingForm {...props} number={rating.ticket.number} /> : <TicketForm {...props} />;
}

/** Number and ticket code typed (or the receipt QR's text pasted): then the rating form. */
function TicketForm(props: RateScreenProps) {
  const { t, nav, route } = props;
  const [number, setNumber] = useState('');
  const [code, setCode] = useState('');
  const [problems, setProblems] = useState<{ number: boolean; code: boolean }>({ number: false, code: false });
  const ids = { number: useId(), code: useId() };

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = parseTypedTicket(number, code);
    setProblems({ number: !parsed.numberOk, code: !parsed.codeOk });
    if (parsed.ticket) nav.go({ ...emptyRoute(CitizenPage.Rate, route.hallId), ticketId: parsed.ticket.ticketId, ticketNumber: parsed.ticket.number });
  }

  const numberProblem = problems.number ? t.rating.numberFormat : null;
  const codeProblem = problems.code ? t.rating.codeFormat : null;
  return (
    <>
      <FocusHeading>{t.pageTitle[CitizenPage.Rate]}</FocusHeading>
      <p className="lead">{t.rating.intro}</p>
      <p>{t.rating.typedIntro}</p>
      <form className="card" onSubmit={submit} noValidate data-testid="ticket-form">
        <div className="field">
          <label className="field-label" htmlFor={ids.number}>
            {t.rating.numberLabel}
          </label>
          <input
            id={ids.number}
            name="number"
            data-testid="ticket-number"
            value={number}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            maxLength={12}
            aria-invalid={numberProblem ? true : undefined}
            aria-describedby={`${ids.number}-hint${numberProblem ? ` ${ids.number}-error` : ''}`}
            onChange={(e) => setNumber(e.target.value)}
          />
          <p id={`${ids.number}-hint`} className="field-hint">
            {t.rating.numberHint}
          </p>
          <FieldError id={`${ids.number}-error`} testId="ticket-number-problem" message={numberProblem} />
        </div>
        <div className="field">
          <label className="field-label" htmlFor={ids.code}>
            {t.rating.codeLabel}
          </label>
          <input
            id={ids.code}
            name="code"
            data-testid="ticket-code"
            value={code}
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            maxLength={80}
            aria-invalid={codeProblem ? true : undefined}
            aria-describedby={`${ids.code}-hint${codeProblem ? ` ${ids.code}-error` : ''}`}
            onChange={(e) => setCode(e.target.value)}
          />
          <p id={`${ids.code}-hint`} className="field-hint">
            {t.rating.codeHint}
          </p>
          <FieldError id={`${ids.code}-error`} testId="ticket-code-problem" message={codeProblem} />
        </div>
        <button type="submit" className="button primary" data-testid="ticket-continue">
          {t.rating.continueButton}
        </button>
      </form>
    </>
  );
}

const NO_CHOICE: RatingChoices = { overall: null, efficiency: null, expertise: null, attitude: null };

/** 整体 first; choosing it fills the dimensions not chosen yet with the same level ("don't ask twice"). */
function RatingForm(props: RateScreenProps & { number: string; initialChoices?: RatingChoices }) {
  const { t, nav, route, rating, actions } = props;
  const [choices, setChoices] = useState<RatingChoices>(props.initialChoices ?? NO_CHOICE);
  const [comment, setComment] = useState('');
  const commentId = useId();

  function choose(dimension: RatingDimension, level: RatingLevel) {
    setChoices((current) => {
      if (dimension !== 'overall') return { ...current, [dimension]: level };
      return {
        overall: level,
        efficiency: current.efficiency ?? level,
        expertise: current.expertise ?? level,
        attitude: current.attitude ?? level,
      };
    });
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    await actions.submit(choices, comment);
  }

  return (
    <>
      <FocusHeading>{t.pageTitle[CitizenPage.Rate]}</FocusHeading>
      <p className="lead" data-testid="rated-ticket">
        {t.rating.ticketHeading(props.number)}
      </p>
      <p>{t.rating.intro}</p>
      <form className="rating-form" onSubmit={(e) => void submit(e)} noValidate aria-busy={rating.busy} data-testid="rating-form">
        {rating.error && <ErrorBanner error={rating.error} messages={messagesFor(t, 'rate')} dismissLabel={t.dismiss} onDismiss={actions.dismissError} />}
        {DIMENSIONS.map((dimension) => (
          <fieldset key={dimension} className={`step rating-dimension rating-${dimension}`} data-testid={`dimension-${dimension}`}>
            <legend className="step-legend">{t.rating.dimension[dimension]}</legend>
            <div className="levels">
              {LEVELS.map((level) => (
                <label key={level} className={`chip level level-${RATING_SCORE[level]}`}>
                  <input type="radio" name={dimension} value={level} checked={choices[dimension] === level} onChange={() => choose(dimension, level)} />
                  <span className="chip-main">{t.rating.level[level]}</span>
                </label>
              ))}
            </div>
          </fieldset>
        ))}
        <div className="field">
          <label className="field-label" htmlFor={commentId}>
            {t.rating.commentLabel}
          </label>
          <textarea
            id={commentId}
            name="comment"
            data-testid="rating-comment"
            rows={3}
            maxLength={COMMENT_MAX}
            value={comment}
            aria-describedby={`${commentId}-count`}
            onChange={(e) => setComment(e.target.value)}
          />
          <p id={`${commentId}-count`} className="field-hint">
            {t.rating.commentCount(comment.length, COMMENT_MAX)}
          </p>
        </div>
        <FieldError id="rating-incomplete" testId="rating-incomplete" message={rating.incomplete ? t.rating.chooseAll : null} />
        <button type="submit" className="button primary" data-testid="rating-submit" disabled={rating.busy}>
          {rating.busy ? t.rating.busy : t.rating.button}
        </button>
      </form>
      <p>
        <Link nav={nav} to={emptyRoute(CitizenPage.Rate, route.hallId)} testId="rate-another">
          {t.rating.otherTicket}
        </Link>
      </p>
    </>
  );
}
