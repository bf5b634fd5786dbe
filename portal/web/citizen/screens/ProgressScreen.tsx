import { useId, useState, type FormEvent } from 'react';
import type { CaseView } from '../../../../common/contract/cases-api.js';
import { ErrorBanner } from '../../shared/components/ErrorBanner.js';
import { localized } from '../../shared/i18n/language.js';
import { FieldError } from '../components/FieldError.js';
import { FocusHeading } from '../components/FocusHeading.js';
import { Link } from '../components/Link.js';
import { QrCode } from '../components/QrCode.js';
import { formatDateOf, formatDateTime, formatLongDay } from '../format/citizen-format.js';
import { messagesFor } from '../i18n/messages-for.js';
import { CitizenPage, emptyRoute } from '../routing/citizen-route.js';
import type { HallCatalog } from '../state/citizen-store.js';
import type { ProgressActions, ProgressState } from '../state/progress-store.js';
import { StepState, timelineSteps } from './case-timeline.js';
import type { PageProps } from './page-props.js';

export interface ProgressScreenProps extends PageProps {
  catalog: HallCatalog;
  today: string;
  progress: ProgressState;
  actions: ProgressActions;
}

/** 办件进度: case number + ID number → the case's timeline, and its e-certificate when there is one. */
export function ProgressScreen(props: ProgressScreenProps) {
  const { t, catalog, progress, actions } = props;
  const [caseNumber, setCaseNumber] = useState('');
  const [idNumber, setIdNumber] = useState('');
  const ids = { caseNumber: useId(), id: useId() };
  const caseProblem = progress.caseNumberProblem ? t.progress.caseNumberFormat : null;
  const idProblem = progress.idProblem ? t.booking.idProblem[progress.idProblem] : null;

  async function submit(event: FormEvent) {
    event.preventDefault();
    await actions.lookup(catalog.hall.hallId, caseNumber, idNumber, props.today);
  }

  return (
    <>
      <FocusHeading>{t.pageTitle[CitizenPage.Progress]}</FocusHeading>
      <p className="lead">{t.progress.intro}</p>
      <form className="card" onSubmit={(e) => void submit(e)} noValidate aria-busy={progress.busy} data-testid="progress-form">
        {progress.error && <ErrorBanner error={progress.error} messages={messagesFor(t, 'progress')} dismissLabel={t.dismiss} onDismiss={actions.dismissError} />}
        <div className="field">
          <label className="field-label" htmlFor={ids.caseNumber}>
            {t.progress.caseNumberLabel}
          </label>
          <input
            id={ids.caseNumber}
            name="caseNumber"
            data-testid="case-number"
            value={caseNumber}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            maxLength={40}
            aria-invalid={caseProblem ? true : undefined}
            aria-describedby={`${ids.caseNumber}-hint${caseProblem ? ` ${ids.caseNumber}-error` : ''}`}
            onChange={(e) => setCaseNumber(e.target.value)}
          />
          <p id={`${ids.caseNumber}-hint`} className="field-hint">
            {t.progress.caseNumberHint}
          </p>
          <FieldError id={`${ids.caseNumber}-error`} testId="case-number-problem" message={caseProblem} />
        </div>
        <div className="field">
          <label className="field-label" htmlFor={ids.id}>
            {t.booking.idLabel}
          </label>
          <input
            id={ids.id}
            name="idNumber"
            data-testid="progress-id-number"
            value={idNumber}
            maxLength={18}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            aria-invalid={idProblem ? true : undefined}
            aria-describedby={idProblem ? `${ids.id}-error` : undefined}
            onChange={(e) => setIdNumber(e.target.value)}
          />
          <FieldError id={`${ids.id}-error`} testId="progress-id-problem" message={idProblem} />
        </div>
        <button type="submit" className="button primary" data-testid="lookup" disabled={progress.busy}>
          {progress.busy ? t.progress.busy : t.progress.button}
        </button>
      </form>
      <div aria-live="polite">{progress.result && <CaseResult {...props} view={progress.result} />}</div>
    </>
  );
}

function CaseResult(props: ProgressScreenProps & { view: CaseView }) {
  const { t, language, nav, route, catalog, view } = props;
  const zone = catalog.hall.timeZone;
  return (
    <article className="case" data-testid="case" data-status={view.status}>
      <FocusHeading level={2} testId="case-heading">
        {t.progress.caseHeading(view.caseNumber)}
      </FocusHeading>
      <dl className="facts">
        <dt>{t.booking.serviceLabel}</dt>
        <dd>{localized(view.serviceName, language)}</dd>
        <dt>{t.progress.currentStatus}</dt>
        <dd>
          <strong className={`status status-${view.status}`} data-testid="case-status">
            {t.progress.status[view.status]}
          </strong>
        </dd>
        {view.dueDay && (
          <>
            <dt>{t.progress.dueDay}</dt>
            <dd data-testid="due-day">{formatLongDay(view.dueDay, language)}</dd>
          </>
        )}
      </dl>
      <h3>{t.progress.timelineHeading}</h3>
      <ol className="timeline" data-testid="timeline">
        {timelineSteps(view).map((step, i) => (
          <li key={i} className={`step step-${step.state}`} data-state={step.state} aria-current={step.state === StepState.Current ? 'step' : undefined}>
            <span className="step-name">{t.progress.status[step.status]}</span>
            <span className="visually-hidden">
              {` (${step.state === StepState.Done ? t.progress.stepDone : step.state === StepState.Current ? t.progress.stepCurrent : t.progress.stepPending})`}
            </span>
            {step.at && <time className="step-time" dateTime={step.at}>{formatDateTime(step.at, language, zone)}</time>}
            {step.note && <span className="step-note">{step.note}</span>}
          </li>
        ))}
      </ol>
      {view.certificate && (
        <section className="card certificate" aria-labelledby="certificate-heading" data-testid="certificate">
          <h3 id="certificate-heading">{t.progress.certificateHeading}</h3>
          <dl className="facts">
            <dt>{t.progress.certificateTitle}</dt>
            <dd data-testid="certificate-title">{localized(view.certificate.payload.title, language)}</dd>
            <dt>{t.progress.holder}</dt>
            <dd data-testid="certificate-holder">{view.certificate.payload.holderName}</dd>
            <dt>{t.progress.issued}</dt>
            <dd>{formatDateOf(view.certificate.payload.issuedAt, language, zone)}</dd>
          </dl>
          <QrCode text={view.certificate.code} label={t.progress.certificateQrLabel(localized(view.certificate.payload.title, language))} testId="certificate-qr" />
          <details>
            <summary>{t.progress.verificationCode}</summary>
            <p className="code-text" data-testid="certificate-code">
              {view.certificate.code}
            </p>
          </details>
          <p>
            <Link nav={nav} to={{ ...emptyRoute(CitizenPage.Verify, route.hallId), certificateCode: view.certificate.code }} testId="verify-this">
              {t.progress.verifyThis}
            </Link>
          </p>
        </section>
      )}
    </article>
  );
}
