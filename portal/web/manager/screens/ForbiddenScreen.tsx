import type { SessionResponse } from '../../../../common/contract/staff-api.js';
import { LanguageToggle } from '../../shared/components/LanguageToggle.js';
import type { Language } from '../../shared/i18n/language.js';
import { managerDictionaries } from '../i18n/index.js';

/**
 * A clerk's session reached the console (signed in at the counter in this browser): it is not
 * theirs to use. The session is left alone (the counter console may still need it) until the
 * clerk chooses to sign in with another account.
 */
export function ForbiddenScreen(props: { language: Language; session: SessionResponse; busy: boolean; onSignOut: () => void; onToggleLanguage: () => void }) {
  const t = managerDictionaries[props.language];
  const { staff } = props.session;
  return (
    <div className="page" data-testid="forbidden">
      <header className="page-header">
        <h1>{t.appTitle}</h1>
        <LanguageToggle language={props.language} label={t.languageToggleLabel} onToggle={props.onToggleLanguage} />
      </header>
      <main>
        <section className="card narrow-form" aria-labelledby="forbidden-heading">
          <h2 id="forbidden-heading">{t.forbiddenHeading}</h2>
          <p role="alert" data-testid="forbidden-text">
            {t.forbiddenText(staff.displayName, t.roleName[staff.role])}
          </p>
          <button type="button" className="primary" data-testid="sign-in-as-other" disabled={props.busy} onClick={props.onSignOut}>
            {t.signInAsOther}
          </button>
        </section>
      </main>
    </div>
  );
}
