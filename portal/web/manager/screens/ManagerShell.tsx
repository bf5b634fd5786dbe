import type { ReactNode } from 'react';
import type { UiError } from '../../shared/api/ui-error.js';
import { ErrorBanner } from '../../shared/components/ErrorBanner.js';
import { LanguageToggle } from '../../shared/components/LanguageToggle.js';
import { localized, type Language } from '../../shared/i18n/language.js';
import { managerDictionaries } from '../i18n/index.js';
import { MANAGER_SECTIONS, type HallOfSession, type ManagerSection } from '../state/session-store.js';
import type { SessionResponse } from '../../../../common/contract/staff-api.js';

export interface ManagerShellProps {
  language: Language;
  session: SessionResponse;
  hall: HallOfSession | null;
  section: ManagerSection;
  busy: boolean;
  error: UiError | null;
  onSignOut: () => void;
  onToggleLanguage: () => void;
  onDismissError: () => void;
  children: ReactNode;
}

/**
 * The console's frame: the banner (hall, who is signed in, language, sign-out), the navigation
 * between the three sections (links to `#wall`, `#stats`, `#config`, the current one marked for
 * screen readers), and the section itself in <main>.
 */
export function ManagerShell(props: ManagerShellProps) {
  const t = managerDictionaries[props.language];
  const { staff } = props.session;
  return (
    <div className="page manager" data-testid="manager" data-section={props.section}>
      <header className="page-header">
        <h1>
          <span>{t.appTitle}</span>
          {props.hall && (
            <span className="hall-title" data-testid="hall-name">
              {localized(props.hall.name, props.language)}
            </span>
          )}
        </h1>
        <span className="who" data-testid="who">
          {t.signedInAs(staff.displayName, t.roleName[staff.role])}
        </span>
        <LanguageToggle language={props.language} label={t.languageToggleLabel} onToggle={props.onToggleLanguage} />
        <button type="button" onClick={props.onSignOut} disabled={props.busy} data-testid="sign-out">
          {t.signOut}
        </button>
      </header>
      <nav className="sections" aria-label={t.navLabel}>
        <ul>
          {MANAGER_SECTIONS.map((section) => (
            <li key={section}>
              <a href={`#${section}`} data-testid={`nav-${section}`} aria-current={section === props.section ? 'page' : undefined}>
                {t.section[section]}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main className="manager-main" aria-labelledby="section-heading">
        {props.error && <ErrorBanner error={props.error} messages={t.errorByCode} dismissLabel={t.dismiss} onDismiss={props.onDismissError} />}
        {props.children}
      </main>
    </div>
  );
}
