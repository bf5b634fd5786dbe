import { CertificateVerdict } from '../../../../common/contract/cases-api.js';
import { formatDate } from '../../i18n/format-date.js';
import { localized } from '../../i18n/index.js';
import { VerifyPhase, type VerifyState } from '../../state/journeys/verify.js';
import { Screen } from '../../state/screen.js';
import { JourneyFrame, type JourneyCommonProps } from './JourneyFrame.js';

export interface VerifyScreenProps {
  common: JourneyCommonProps;
  state: VerifyState;
}

/**
 * 证照核验: scan a verification slip's QR anywhere; the kiosk verifies it offline with the hall's
 * public keys and shows the certificate (holder masked as printed), or why it is refused.
 */
export function VerifyScreen({ common, state }: VerifyScreenProps) {
  const { t, language, timeZone } = common;
  return (
    <JourneyFrame screen={Screen.Verify} common={common}>
      <section className="journey-prompt" data-testid="verify-prompt">
        <p className="journey-prompt-main">{state.phase === VerifyPhase.Result ? t.verify.scanAnother : t.verify.prompt}</p>
      </section>
      <section className="journey-result" aria-live="polite" aria-busy={state.phase === VerifyPhase.Verifying}>
        {state.phase === VerifyPhase.Verifying && (
          <p className="journey-working" data-testid="verify-busy" role="status">
            {t.verify.verifying}
          </p>
        )}
        {state.phase === VerifyPhase.Unreadable && (
          <p className="outcome outcome-problem" data-testid="verify-unreadable" role="alert">
            {t.verify.unreadable}
          </p>
        )}
        {state.phase === VerifyPhase.Failed && (
          <div className="outcome outcome-problem" data-testid="verify-failed" data-code={state.error.code} role="alert">
            <h2 className="outcome-headline">{t.verify.failed}</h2>
            <p className="outcome-detail">{t.errorByCode[state.error.code]}</p>
          </div>
        )}
        {state.phase === VerifyPhase.Result && (
          <div
            className={`outcome ${state.result.verdict === CertificateVerdict.Valid ? 'outcome-ok' : 'outcome-problem'}`}
            data-testid="verify-result"
            data-verdict={state.result.verdict}
          >
            <h2 className="outcome-headline" data-testid="verify-verdict">
              {t.verify.verdict[state.result.verdict]}
            </h2>
            <p className="outcome-detail" data-testid="verify-reason">
              {t.verify.reason[state.result.verdict]}
            </p>
            {state.result.verdict === CertificateVerdict.Valid && state.result.certificate && (
              <dl className="facts verify-facts">
                <div className="fact">
                  <dt>{t.verify.title}</dt>
                  <dd data-testid="verify-title">{localized(state.result.certificate.title, language)}</dd>
                </div>
                <div className="fact">
                  <dt>{t.verify.holder}</dt>
                  <dd data-testid="verify-holder">{state.result.certificate.holderName}</dd>
                </div>
                <div className="fact">
                  <dt>{t.verify.caseNumber}</dt>
                  <dd data-testid="verify-case">{state.result.certificate.caseNumber}</dd>
                </div>
                <div className="fact">
                  <dt>{t.verify.issuedAt}</dt>
                  <dd data-testid="verify-issued">{formatDate(state.result.certificate.issuedAt, language, timeZone)}</dd>
                </div>
              </dl>
            )}
          </div>
        )}
      </section>
    </JourneyFrame>
  );
}
