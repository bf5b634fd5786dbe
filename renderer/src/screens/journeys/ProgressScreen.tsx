import type { CaseView } from '../../../../common/contract/cases-api.js';
import { formatDateTime, formatDay, minutesSince } from '../../i18n/format-date.js';
import { localized, type Dictionary, type Language } from '../../i18n/index.js';
import { PrintPhase } from '../../state/journeys/print-phase.js';
import { ProgressPhase, type ProgressState, type SlipPrint } from '../../state/journeys/progress.js';
import { Screen } from '../../state/screen.js';
import { JourneyFrame, type JourneyCommonProps } from './JourneyFrame.js';

export interface ProgressScreenProps {
  common: JourneyCommonProps;
  state: ProgressState;
  /** For the age of cached data. */
  now: Date;
  onRetry: () => void;
  onPrintSlip: (caseNumber: string) => void;
}

const SLIP_TEXT = (t: Dictionary): Record<PrintPhase, string> => ({
  [PrintPhase.Printing]: t.progress.slipPrinting,
  [PrintPhase.Printed]: t.progress.slipPrinted,
  [PrintPhase.Failed]: t.progress.slipFailed,
});

function CaseCard({ item, slip, t, language, timeZone, onPrintSlip }: { item: CaseView; slip: SlipPrint | null; t: Dictionary; language: Language; timeZone: string | undefined; onPrintSlip: (caseNumber: string) => void }) {
  const headingId = `case-${item.caseNumber}-heading`;
  const mySlip = slip?.caseNumber === item.caseNumber ? slip.phase : null;
  return (
    <article className="case-card" data-testid={`case-${item.caseNumber}`} data-status={item.status} aria-labelledby={headingId}>
      <header className="case-header">
        <h2 id={headingId} className="case-service">
          {localized(item.serviceName, language)}
        </h2>
        <p className={`case-status case-status-${item.status}`} data-testid="case-status">
          {t.progress.status[item.status]}
        </p>
      </header>
      <p className="case-number">{t.progress.caseNumber(item.caseNumber)}</p>
      {item.dueDay && (
        <p className="case-due" data-testid="case-due">
          {t.progress.due(formatDay(item.dueDay, language))}
        </p>
      )}
      <h3 className="case-timeline-heading">{t.progress.timeline}</h3>
      <ol className="case-timeline" data-testid="case-timeline">
        {item.timeline.map((entry, i) => (
          <li key={i} className="case-step" data-status={entry.status} aria-current={i === item.timeline.length - 1 ? 'step' : undefined}>
            <span className="case-step-status">{t.progress.status[entry.status]}</span>{' '}
            <span className="case-step-at">{formatDateTime(entry.at, language, timeZone)}</span>
            {entry.note && <span className="case-step-note">{entry.note}</span>}
          </li>
        ))}
      </ol>
      {item.certificate && (
        <div className="case-certificate">
          <p data-testid="case-certificate">{t.progress.certificate(localized(item.certificate.payload.title, language))}</p>
          <button
            type="button"
            className="journey-action"
            data-testid={`case-print-slip-${item.caseNumber}`}
            disabled={mySlip === PrintPhase.Printing}
            onClick={() => onPrintSlip(item.caseNumber)}
          >
            {t.progress.printSlip}
          </button>
          {mySlip && (
            <p className={`print-result${mySlip === PrintPhase.Failed ? ' print-result-problem' : ''}`} data-testid="case-slip-result" data-phase={mySlip} role="status">
              {SLIP_TEXT(t)[mySlip]}
            </p>
          )}
        </div>
      )}
    </article>
  );
}

/** 办件进度: the identified visitor's cases with their timelines; cached ones say how old they are. */
export function ProgressScreen({ common, state, now, onRetry, onPrintSlip }: ProgressScreenProps) {
  const { t, language, timeZone } = common;
  const actions =
    state.phase === ProgressPhase.Failed ? (
      <button type="button" className="journey-action" data-testid="progress-retry" onClick={onRetry}>
        {t.journeys.retry}
      </button>
    ) : null;
  return (
    <JourneyFrame screen={Screen.Progress} common={common} actions={actions}>
      <section className="journey-result" aria-live="polite" aria-busy={state.phase === ProgressPhase.Loading}>
        {state.phase === ProgressPhase.NeedCard && (
          <p className="journey-prompt-main" data-testid="progress-need-card">
            {t.progress.needCard}
          </p>
        )}
        {state.phase === ProgressPhase.Loading && (
          <p className="journey-working" data-testid="progress-loading" role="status">
            {t.progress.loading}
          </p>
        )}
        {state.phase === ProgressPhase.Failed && (
          <div className="outcome outcome-problem" data-testid="progress-failed" data-code={state.error.code} role="alert">
            <h2 className="outcome-headline">{t.progress.failed}</h2>
            <p className="outcome-detail">{t.errorByCode[state.error.code]}</p>
          </div>
        )}
        {state.phase === ProgressPhase.Loaded && (
          <>
            {state.view.fromCache && (
              <div className="notice notice-cache" data-testid="progress-cache" data-minutes={minutesSince(state.view.fetchedAt, now) ?? ''}>
                <p className="cache-age" data-testid="progress-cache-age">
                  {t.progress.cacheAge(minutesSince(state.view.fetchedAt, now))}
                </p>
                <p className="cache-note">{t.progress.cacheNote}</p>
              </div>
            )}
            {state.view.cases.length === 0 ? (
              <p className="journey-prompt-main" data-testid="progress-empty">
                {t.progress.empty}
              </p>
            ) : (
              <>
                <p className="case-count" data-testid="progress-count">
                  {t.progress.count(state.view.cases.length)}
                </p>
                <div className="case-list" data-testid="progress-cases">
                  {state.view.cases.map((item) => (
                    <CaseCard key={item.caseNumber} item={item} slip={state.slip} t={t} language={language} timeZone={timeZone} onPrintSlip={onPrintSlip} />
                  ))}
                </div>
              </>
            )}
          </>
        )}
      </section>
    </JourneyFrame>
  );
}
