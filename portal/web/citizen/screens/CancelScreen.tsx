import { useId, useState, type FormEvent } from 'react';
import { ErrorBanner } from '../../shared/components/ErrorBanner.js';
import { FieldError } from '../components/FieldError.js';
import { FocusHeading } from '../components/FocusHeading.js';
import { Link } from '../components/Link.js';
import { messagesFor } from '../i18n/messages-for.js';
import { CitizenPage, emptyRoute } from '../routing/citizen-route.js';
import { CancelProblem, type CancelActions, type CancelState } from '../state/cancel-store.js';
import type { PageProps } from './page-props.js';

/** Cancel a booking with its reference and cancel code; the place is freed at once. */
export function CancelScreen(props: PageProps & { hallId: string; cancel: CancelState; actions: CancelActions }) {
  const { t, nav, route, cancel, actions } = props;
  const [reference, setReference] = useState(route.reference ?? '');
  const [code, setCode] = useState('');
  const ids = { reference: useId(), code: useId() };

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (await actions.cancel(props.hallId, reference, code)) setCode('');
  }

  if (cancel.cancelled) {
    return (
      <>
        <FocusHeading testId="cancelled-heading">{t.cancel.doneHeading}</FocusHeading>
        <p role="status" data-testid="cancelled">
          {t.cancel.doneBody(cancel.cancelled)}
        </p>
        <p>
          <Link nav={nav} className="button" to={emptyRoute(CitizenPage.Book, route.hallId)}>
            {t.navItem.book}
          </Link>
        </p>
      </>
    );
  }

  const referenceProblem = cancel.problem === CancelProblem.Reference ? t.cancel.referenceFormat : null;
  const codeProblem = cancel.problem === CancelProblem.Code ? t.cancel.codeFormat : null;
  return (
    <>
      <FocusHeading>{t.pageTitle[CitizenPage.Cancel]}</FocusHeading>
      <p className="lead">{t.cancel.intro}</p>
      <form className="card" onSubmit={(e) => void submit(e)} noValidate aria-busy={cancel.busy} data-testid="cancel-form">
        {cancel.error && <ErrorBanner error={cancel.error} messages={messagesFor(t, 'cancel')} dismissLabel={t.dismiss} onDismiss={actions.dismissError} />}
        <div className="field">
          <label className="field-label" htmlFor={ids.reference}>
            {t.cancel.referenceLabel}
          </label>
          <input
            id={ids.reference}
            name="reference"
            data-testid="cancel-reference"
            value={reference}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            maxLength={32}
            aria-invalid={referenceProblem ? true : undefined}
            aria-describedby={`${ids.reference}-hint${referenceProblem ? ` ${ids.reference}-error` : ''}`}
            onChange={(e) => setReference(e.target.value)}
          />
          <p id={`${ids.reference}-hint`} className="field-hint">
            {t.cancel.referenceHint}
          </p>
          <FieldError id={`${ids.reference}-error`} testId="reference-problem" message={referenceProblem} />
        </div>
        <div className="field">
          <label className="field-label" htmlFor={ids.code}>
            {t.cancel.codeLabel}
          </label>
          <input
            id={ids.code}
            name="cancelCode"
            data-testid="cancel-code-input"
            value={code}
            inputMode="numeric"
            autoComplete="off"
            maxLength={6}
            aria-invalid={codeProblem ? true : undefined}
            aria-describedby={`${ids.code}-hint${codeProblem ? ` ${ids.code}-error` : ''}`}
            onChange={(e) => setCode(e.target.value)}
          />
          <p id={`${ids.code}-hint`} className="field-hint">
            {t.cancel.codeHint}
          </p>
          <FieldError id={`${ids.code}-error`} testId="code-problem" message={codeProblem} />
        </div>
        <button type="submit" className="button primary" data-testid="cancel-submit" disabled={cancel.busy}>
          {cancel.busy ? t.cancel.busy : t.cancel.button}
        </button>
      </form>
    </>
  );
}
