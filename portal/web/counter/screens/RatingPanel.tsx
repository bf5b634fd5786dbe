import { useState, type FormEvent, type KeyboardEvent } from 'react';
import type { RatingInput, RatingLevel } from '../../../../common/contract/ratings-api.js';
import type { ConsoleDictionary } from '../i18n/index.js';
import { NO_CHOICE, RATING_DIMENSIONS, RATING_LEVELS, levelOf, ratingInputOf, type RatingChoice, type RatingPrompt } from '../state/rating-prompt.js';

/**
 * One group of the five levels as native radio buttons: arrow keys move within the group, Tab
 * leaves it, and a screen reader reads the legend with each level.
 */
function LevelGroup(props: {
  name: string;
  legend: string;
  value: RatingLevel | null;
  t: ConsoleDictionary;
  autoFocus?: boolean;
  onChange: (level: RatingLevel) => void;
}) {
  return (
    <fieldset className="rating-levels" data-testid={`rating-${props.name}`}>
      <legend>{props.legend}</legend>
      {RATING_LEVELS.map((level, i) => (
        <label key={level} className={`rating-level rating-level-${level}`}>
          <input
            type="radio"
            name={`rating-${props.name}`}
            value={level}
            data-testid={`rating-${props.name}-${level}`}
            checked={props.value === level}
            autoFocus={props.autoFocus === true && i === 0}
            onChange={() => props.onChange(level)}
          />
          <span>{props.t.ratingLevel[level]}</span>
        </label>
      ))}
    </fieldset>
  );
}

/**
 * The rating prompt after F4: the visitor chooses the overall level (and, if they like, each
 * dimension and a comment), or the clerk skips. Not a modal dialog: the console's keys still work
 * (F1 calls the next visitor and leaves the prompt), Escape skips. The first level takes the focus,
 * so a keyboard or screen reader user lands in it.
 */
export function RatingPanel(props: {
  t: ConsoleDictionary;
  prompt: RatingPrompt;
  busy: boolean;
  onSubmit: (rating: RatingInput) => void;
  onSkip: () => void;
}) {
  const { t, prompt } = props;
  const [choice, setChoice] = useState<RatingChoice>(NO_CHOICE);
  const rating = ratingInputOf(choice);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (rating) props.onSubmit(rating);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    props.onSkip();
  };
  return (
    <section className="card rating-panel" aria-labelledby="rating-heading" aria-describedby="rating-hint" data-testid="rating-panel" onKeyDown={onKeyDown}>
      <h2 id="rating-heading">{t.ratingHeading(prompt.number)}</h2>
      <p id="rating-hint" className="hint">
        {t.ratingHint}
      </p>
      <form onSubmit={submit}>
        <LevelGroup name="overall" legend={t.ratingOverall} value={choice.overall} t={t} autoFocus onChange={(overall) => setChoice({ ...choice, overall })} />
        <div className="rating-dimensions">
          {RATING_DIMENSIONS.map((dimension) => (
            <LevelGroup
              key={dimension}
              name={dimension}
              legend={t.ratingDimension[dimension]}
              value={levelOf(choice, dimension)}
              t={t}
              onChange={(level) => setChoice({ ...choice, dimensions: { ...choice.dimensions, [dimension]: level } })}
            />
          ))}
        </div>
        <p className="hint">{t.ratingDimensionsHint}</p>
        <label className="field">
          <span>{t.ratingComment}</span>
          <textarea
            name="comment"
            data-testid="rating-comment"
            rows={2}
            maxLength={500}
            value={choice.comment}
            onChange={(e) => setChoice({ ...choice, comment: e.target.value })}
          />
        </label>
        <div className="dialog-buttons">
          <button type="submit" className="primary" data-testid="rating-submit" disabled={props.busy || rating === null}>
            {t.ratingSubmit}
          </button>
          <button type="button" data-testid="rating-skip" onClick={props.onSkip} disabled={props.busy}>
            {t.ratingSkip}
          </button>
        </div>
      </form>
    </section>
  );
}
