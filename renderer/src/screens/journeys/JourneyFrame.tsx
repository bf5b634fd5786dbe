import type { ReactNode } from 'react';
import { ConnectivityState, type Connectivity, type VisitorView } from '../../../../common/contract/kiosk-api.js';
import type { Dictionary, Language } from '../../i18n/index.js';
import type { HomeNotice } from '../../state/kiosk-store.js';
import type { JourneyScreen } from '../../state/screen.js';
import { HomeNoticeBanner } from '../HomeNoticeBanner.js';
import { LanguageToggle } from '../LanguageToggle.js';

/** What every journey screen shows and does besides its own content. */
export interface JourneyCommonProps {
  t: Dictionary;
  language: Language;
  /** The hall's IANA zone, for every time shown. */
  timeZone: string | undefined;
  visitor: VisitorView | null;
  notice: HomeNotice | null;
  connectivity: Connectivity | null;
  onHome: () => void;
  /** Done on the visitor chip: ends the visit (the core wipes the card) and the journey. */
  onEndVisit: () => void;
  onToggleLanguage: () => void;
  /** Any touch on the screen: the kiosk waits again before returning home by itself. */
  onTouch: () => void;
}

/**
 * The frame of a journey screen: title and language at the top, the content, and the controls in
 * the lower part of the screen (reachable from a wheelchair), with "back to start" always there.
 */
export function JourneyFrame({
  screen,
  common,
  actions,
  children,
}: {
  screen: JourneyScreen;
  common: JourneyCommonProps;
  /** The journey's own buttons, above "back to start". */
  actions?: ReactNode;
  children: ReactNode;
}) {
  const { t, visitor, notice, connectivity } = common;
  const titleId = `${screen}-title`;
  return (
    <main className={`screen journey-screen journey-${screen}`} data-testid={`${screen}-screen`} aria-labelledby={titleId} onPointerDown={common.onTouch} onKeyDown={common.onTouch}>
      <header className="journey-header">
        <h1 id={titleId} className="journey-title" data-testid="journey-title">
          {t.journeys.title[screen]}
        </h1>
        <LanguageToggle language={common.language} label={t.languageToggleLabel} onToggle={common.onToggleLanguage} />
      </header>
      {visitor && (
        <section className="journey-visitor" data-testid="journey-visitor" aria-live="polite">
          <span className="journey-visitor-name">{t.journeys.visitorChip(visitor.maskedName)}</span>
          <button type="button" className="journey-visitor-done" data-testid="journey-visitor-done" onClick={common.onEndVisit}>
            {t.done}
          </button>
        </section>
      )}
      {connectivity?.state === ConnectivityState.Offline && (
        <p className="notice notice-offline" data-testid="offline-notice" role="status">
          {t.offlineNotice}
        </p>
      )}
      {notice && <HomeNoticeBanner notice={notice} t={t} />}
      <div className="journey-body">{children}</div>
      <footer className="journey-footer">
        {actions}
        <button type="button" className="journey-home" data-testid="journey-home" onClick={common.onHome}>
          {t.journeys.backHome}
        </button>
      </footer>
    </main>
  );
}
