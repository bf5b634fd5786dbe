import { useState, type FormEvent } from 'react';
import type { z } from 'zod';
import type { PublicHall } from '../../../../common/contract/staff-api.js';
import type { UiError } from '../../shared/api/ui-error.js';
import { ErrorBanner } from '../../shared/components/ErrorBanner.js';
import { LanguageToggle } from '../../shared/components/LanguageToggle.js';
import { localized, type Language } from '../../shared/i18n/language.js';
import { managerDictionaries } from '../i18n/index.js';

export interface SignInScreenProps {
  language: Language;
  halls: z.infer<typeof PublicHall>[];
  busy: boolean;
  error: UiError | null;
  onSignIn: (hallId: string, username: string, password: string) => Promise<boolean>;
  onToggleLanguage: () => void;
  onDismissError: () => void;
}

/** Hall, username, password. The password lives in this form only, and is cleared once sent. */
export function SignInScreen(props: SignInScreenProps) {
  const t = managerDictionaries[props.language];
  const [hallId, setHallId] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const chosenHall = hallId || props.halls[0]?.hallId || '';

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!chosenHall || props.busy) return;
    const sent = password;
    setPassword('');
    await props.onSignIn(chosenHall, username.trim(), sent);
  }

  return (
    <div className="page sign-in" data-testid="sign-in">
      <header className="page-header">
        <h1>{t.appTitle}</h1>
        <LanguageToggle language={props.language} label={t.languageToggleLabel} onToggle={props.onToggleLanguage} />
      </header>
      <main>
        <form className="card narrow-form" onSubmit={(e) => void submit(e)} aria-labelledby="sign-in-heading" aria-busy={props.busy}>
          <h2 id="sign-in-heading">{t.signInHeading}</h2>
          <p className="hint">{t.signInHint}</p>
          {props.error && <ErrorBanner error={props.error} messages={t.errorByCode} dismissLabel={t.dismiss} onDismiss={props.onDismissError} />}
          <label className="field">
            <span>{t.hallLabel}</span>
            <select name="hall" data-testid="hall" value={chosenHall} onChange={(e) => setHallId(e.target.value)} required>
              {props.halls.length === 0 && <option value="">{t.noHalls}</option>}
              {props.halls.map((hall) => (
                <option key={hall.hallId} value={hall.hallId}>
                  {localized(hall.name, props.language)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{t.usernameLabel}</span>
            <input name="username" data-testid="username" autoComplete="username" autoCapitalize="none" spellCheck={false} required value={username} onChange={(e) => setUsername(e.target.value)} />
          </label>
          <label className="field">
            <span>{t.passwordLabel}</span>
            <input name="password" data-testid="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
          </label>
          <button type="submit" className="primary" data-testid="sign-in-button" disabled={props.busy || !chosenHall}>
            {props.busy ? t.signingIn : t.signIn}
          </button>
        </form>
      </main>
    </div>
  );
}
