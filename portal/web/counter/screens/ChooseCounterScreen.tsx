import { useState, type FormEvent } from 'react';
import type { ConsoleCatalogResponse } from '../../../../common/contract/console-api.js';
import type { CounterView } from '../../../../common/contract/counter-api.js';
import type { SessionResponse } from '../../../../common/contract/staff-api.js';
import type { UiError } from '../../shared/api/ui-error.js';
import { ErrorBanner } from '../../shared/components/ErrorBanner.js';
import { LanguageToggle } from '../../shared/components/LanguageToggle.js';
import type { Language } from '../../shared/i18n/language.js';
import { consoleDictionaries } from '../i18n/index.js';
import { counterLabel, serviceName } from './labels.js';

export interface ChooseCounterScreenProps {
  language: Language;
  session: SessionResponse;
  counters: CounterView[];
  catalog: ConsoleCatalogResponse | null;
  busy: boolean;
  error: UiError | null;
  onChoose: (counterId: string, serviceIds: string[]) => void;
  onSignOut: () => void;
  onToggleLanguage: () => void;
  onDismissError: () => void;
}

/** A counter someone else holds cannot be taken (the portal would answer `counter-taken`). */
function takenByOther(counter: CounterView, staffId: string): boolean {
  return counter.staffId !== null && counter.staffId !== staffId;
}

export function ChooseCounterScreen(props: ChooseCounterScreenProps) {
  const t = consoleDictionaries[props.language];
  const staff = props.session.staff;
  const free = props.counters.filter((c) => !takenByOther(c, staff.staffId));
  const [counterId, setCounterId] = useState<string | null>(null);
  const chosen = props.counters.find((c) => c.counterId === (counterId ?? free[0]?.counterId)) ?? null;
  const [serviceIds, setServiceIds] = useState<string[]>([]);
  // A counter configured with no services serves them all.
  const offered = chosen && chosen.serviceIds.length > 0 ? chosen.serviceIds : (props.catalog?.services.map((s) => s.id) ?? []);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (chosen) props.onChoose(chosen.counterId, serviceIds.filter((id) => offered.includes(id)));
  }

  function toggleService(id: string, on: boolean) {
    setServiceIds((ids) => (on ? [...ids.filter((x) => x !== id), id] : ids.filter((x) => x !== id)));
  }

  return (
    <main className="page choose-counter" data-testid="choose-counter">
      <header className="page-header">
        <h1>{t.appTitle}</h1>
        <span className="who" data-testid="signed-in-as">
          {t.signedInAs(staff.displayName, t.roleName[staff.role])}
        </span>
        <LanguageToggle language={props.language} label={t.languageToggleLabel} onToggle={props.onToggleLanguage} />
        <button type="button" onClick={props.onSignOut} data-testid="sign-out">
          {t.signOut}
        </button>
      </header>
      <form className="card" onSubmit={submit} aria-busy={props.busy}>
        {props.error && <ErrorBanner error={props.error} messages={t.errorByCode} dismissLabel={t.dismiss} onDismiss={props.onDismissError} />}
        <fieldset className="counter-choice">
          <legend>{t.chooseCounterHeading}</legend>
          {props.counters.map((counter) => {
            const taken = takenByOther(counter, staff.staffId);
            return (
              <label key={counter.counterId} className="choice" data-testid={`counter-${counter.counterId}`} data-state={counter.state}>
                <input
                  type="radio"
                  name="counter"
                  value={counter.counterId}
                  checked={chosen?.counterId === counter.counterId}
                  disabled={taken}
                  onChange={() => {
                    setCounterId(counter.counterId);
                    setServiceIds([]);
                  }}
                />
                <span className="choice-name">{counterLabel(counter, t, props.language)}</span>
                <span className="choice-state">
                  {taken && counter.staffName ? t.counterTakenBy(counter.staffName) : t.counterState[counter.state]}
                </span>
              </label>
            );
          })}
        </fieldset>
        {chosen && (
          <fieldset className="service-choice">
            <legend>{t.servicesLegend}</legend>
            <p className="hint">{t.servicesHint}</p>
            {offered.map((id) => (
              <label key={id} className="choice">
                <input type="checkbox" name="service" value={id} checked={serviceIds.includes(id)} onChange={(e) => toggleService(id, e.target.checked)} />
                <span>{serviceName(props.catalog, id, props.language)}</span>
              </label>
            ))}
          </fieldset>
        )}
        <button type="submit" className="primary" data-testid="take-counter" disabled={props.busy || !chosen || takenByOther(chosen, staff.staffId)}>
          {t.takeCounter}
        </button>
      </form>
    </main>
  );
}
