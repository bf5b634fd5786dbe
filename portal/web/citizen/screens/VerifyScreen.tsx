import { useId, useState, type FormEvent } from 'react';
import { CertificateVerdict } from '../../../../common/contract/cases-api.js';
import { ErrorBanner } from '../../shared/components/ErrorBanner.js';
import { localized } from '../../shared/i18n/language.js';
import { FieldError } from '../components/FieldError.js';
import { FocusHeading } from '../components/FocusHeading.js';
import { formatDateOf } from '../format/citizen-format.js';
import { messagesFor } from '../i18n/messages-for.js';
import { CitizenPage } from '../routing/citizen-route.js';
import type { VerifyActions, VerifyState } from '../state/verify-store.js';
import type { PageProps } from './page-props.js';

/** Verify an e-certificate slip: paste its code (or open `#<code>`) → genuine, forged or altered, unknown key. */
export function VerifyScreen(props: PageProps & { verify: VerifyState; actions: VerifyActions; timeZone?: string }) {
  const { t, language, route, verify, actions } = props;
  const [code, setCode] = useState(route.certificateCode ?? '');
  const field = useId();
  const result = verify.result;

  async function submit(event: FormEvent) {
    event.preventDefault();
    await actions.verify(code);
  }

  return (
    <>
      <FocusHeading>{t.pageTitle[CitizenPage.Verify]}</FocusHeading>
      <p className="lead">{t.verify.intro}</p>
      <form className="card" onSubmit={(e) => void submit(e)} noValidate aria-busy={verify.busy} data-testid="verify-form">
        {verify.error && <ErrorBanner error={verify.error} messages={messagesFor(t, null)} dismissLabel={t.dismiss} onDismiss={actions.dismissError} />}
        <div className="field">
          <label className="field-label" htmlFor={field}>
            {t.verify.codeLabel}
          </label>
          <textarea
            id={field}
            name="code"
            data-testid="certificate-code-input"
            rows={4}
            value={code}
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            aria-invalid={verify.empty ? true : undefined}
            aria-describedby={`${field}-hint${verify.empty ? ` ${field}-error` : ''}`}
            onChange={(e) => setCode(e.target.value)}
          />
          <p id={`${field}-hint`} className="field-hint">
            {t.verify.codeHint}
          </p>
          <FieldError id={`${field}-error`} testId="code-empty" message={verify.empty ? t.verify.empty : null} />
        </div>
        <button type="submit" className="button primary" data-testid="verify" disabled={verify.busy}>
          {verify.busy ? t.verify.busy : t.verify.button}
        </button>
      </form>
      <div aria-live="polite" aria-atomic="true">
        {result && (
          <section
            className={`card verdict verdict-${result.verdict === CertificateVerdict.Valid ? 'good' : 'bad'}`}
            aria-labelledby="verdict-heading"
            data-testid="verdict"
            data-verdict={result.verdict}
          >
            <FocusHeading level={2} id="verdict-heading" testId="verdict-title">
              {t.verify.verdictTitle[result.verdict]}
            </FocusHeading>
            <p>{t.verify.verdictBody[result.verdict]}</p>
            {/* Only a genuine certificate's content is shown: a forged one's claims are not repeated. */}
            {result.verdict === CertificateVerdict.Valid && result.certificate && (
              <dl className="facts" data-testid="verified-certificate">
                <dt>{t.progress.certificateTitle}</dt>
                <dd>{localized(result.certificate.title, language)}</dd>
                <dt>{t.progress.holder}</dt>
                <dd>{result.certificate.holderName}</dd>
                <dt>{t.progress.issued}</dt>
                <dd>{formatDateOf(result.certificate.issuedAt, language, props.timeZone)}</dd>
                <dt>{t.verify.caseNumber}</dt>
                <dd>{result.certificate.caseNumber}</dd>
              </dl>
            )}
          </section>
        )}
      </div>
    </>
  );
}
