import type { ReactNode } from 'react';
import { LanguageToggle } from '../../shared/components/LanguageToggle.js';
import { Link } from '../components/Link.js';
import { CitizenPage, emptyRoute } from '../routing/citizen-route.js';
import type { PageProps } from './page-props.js';

const NAV: readonly { item: 'guide' | 'book' | 'progress' | 'verify' | 'rate'; page: CitizenPage; also: readonly CitizenPage[] }[] = [
  { item: 'guide', page: CitizenPage.Guide, also: [CitizenPage.Service] },
  { item: 'book', page: CitizenPage.Book, also: [CitizenPage.Cancel] },
  { item: 'progress', page: CitizenPage.Progress, also: [] },
  { item: 'verify', page: CitizenPage.Verify, also: [] },
  { item: 'rate', page: CitizenPage.Rate, also: [] },
];

/** Skip link, the hall's name, the language switch, the journeys, then the page. */
export function CitizenLayout(props: PageProps & { hallName: string | null; onToggleLanguage: () => void; onChangeHall: (() => void) | null; children: ReactNode }) {
  const { t, language, nav, route } = props;
  return (
    <div className="citizen" data-testid="citizen" data-page={route.page} data-language={language}>
      <a
        className="skip-link"
        href="#main"
        onClick={(event) => {
          // Not a change of address: on the verify page the fragment is the certificate code.
          event.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        {t.skipToContent}
      </a>
      <header className="site-header">
        <div className="site-brand">
          <Link nav={nav} className="site-title" to={emptyRoute(CitizenPage.Guide, route.hallId)}>
            {t.appTitle}
          </Link>
          {props.hallName && (
            <span className="site-hall" data-testid="hall-name">
              {props.hallName}
            </span>
          )}
        </div>
        <LanguageToggle language={language} label={t.languageToggleLabel} onToggle={props.onToggleLanguage} />
      </header>
      <nav className="site-nav" aria-label={t.navLabel}>
        <ul>
          {NAV.map(({ item, page, also }) => (
            <li key={item}>
              <Link nav={nav} to={emptyRoute(page, route.hallId)} current={route.page === page || also.includes(route.page)} testId={`nav-${item}`}>
                {t.navItem[item]}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" className="page" tabIndex={-1}>
        {props.children}
      </main>
      {props.onChangeHall && (
        <footer className="site-footer">
          <button type="button" className="link-button" data-testid="change-hall" onClick={props.onChangeHall}>
            {t.hall.change}
          </button>
        </footer>
      )}
    </div>
  );
}
