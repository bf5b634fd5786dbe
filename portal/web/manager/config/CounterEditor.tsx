import { useState } from 'react';
import type { z } from 'zod';
import type { CounterConfigView, CounterSettings, CreateCounterRequest, ServiceConfigView, StaffMemberView } from '../../../../common/contract/config-api.js';
import { StaffRole } from '../../../../common/contract/route-spec.js';
import { localized, type Language } from '../../shared/i18n/language.js';
import type { ManagerDictionary } from '../i18n/index.js';
import { counterDraftOf, counterSettingsOf, DEFAULT_WEIGHT, newCounterOf, type CounterDraft } from './counter-form.js';
import { CheckboxField, EditorCard, TextField } from './fields.js';
import type { FieldProblems } from './form-problems.js';

export interface CounterEditorProps {
  t: ManagerDictionary;
  language: Language;
  counter: CounterConfigView | null;
  services: ServiceConfigView[];
  staff: z.infer<typeof StaffMemberView>[];
  saving: boolean;
  onCreate: (request: CreateCounterRequest) => void;
  onUpdate: (counterId: string, settings: CounterSettings, version: number) => void;
  onCancel: () => void;
}

/** One counter: number, names, enabled, the services it serves with their weights, and who may sign in at it. */
export function CounterEditor({ t, language, counter, services, staff, saving, onCreate, onUpdate, onCancel }: CounterEditorProps) {
  const c = t.config;
  const [draft, setDraft] = useState<CounterDraft>(() => counterDraftOf(counter, services.map((s) => s.id)));
  const [problems, setProblems] = useState<FieldProblems>({});
  const edit = (patch: Partial<CounterDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const clerks = staff.filter((s) => s.role === StaffRole.Clerk && !s.disabled);

  const submit = () => {
    if (counter) {
      const checked = counterSettingsOf(draft);
      setProblems(checked.ok ? {} : checked.problems);
      if (checked.ok) onUpdate(counter.counterId, checked.value, counter.version);
    } else {
      const checked = newCounterOf(draft);
      setProblems(checked.ok ? {} : checked.problems);
      if (checked.ok) onCreate(checked.value);
    }
  };
  const text = (field: 'counterId' | 'number' | 'nameZh' | 'nameEn', label: string, hint?: string) => (
    <TextField id={`counter-${field}`} label={label} hint={hint} value={draft[field]} problems={problems[field]} onChange={(v) => edit({ [field]: v })} />
  );

  return (
    <EditorCard
      id="counter-editor"
      title={counter ? c.editCounter(counter.counterId) : c.newCounter}
      saving={saving}
      saveLabel={saving ? c.saving : c.save}
      cancelLabel={c.cancel}
      onSubmit={submit}
      onCancel={onCancel}
      problemsNote={Object.keys(problems).length > 0 ? c.formHasProblems : null}
    >
      <div className="form-grid">
        {!counter && text('counterId', c.counterId, c.counterIdHint)}
        {text('number', c.counterNumber)}
        {text('nameZh', c.nameZh)}
        {text('nameEn', c.nameEn)}
      </div>
      <CheckboxField id="counter-enabled" label={c.enabled} checked={draft.enabled} onChange={(enabled) => edit({ enabled })} />
      <fieldset data-testid="counter-services">
        <legend>{c.counterServices}</legend>
        <p className="hint">{c.counterServicesHint}</p>
        {problems.services && <p className="field-problem">{problems.services.join('; ')}</p>}
        {services.map((s) => {
          const entry = draft.services[s.id] ?? { on: false, weight: DEFAULT_WEIGHT };
          const name = localized(s.name, language);
          return (
            <div key={s.id} className="weighted-choice">
              <CheckboxField
                id={`counter-service-${s.id}`}
                label={`${s.prefix} ${name}`}
                checked={entry.on}
                onChange={(on) => edit({ services: { ...draft.services, [s.id]: { ...entry, on } } })}
              />
              {entry.on && (
                <TextField
                  id={`counter-weight-${s.id}`}
                  label={c.weightOf(name)}
                  className="inline"
                  inputMode="numeric"
                  value={entry.weight}
                  onChange={(weight) => edit({ services: { ...draft.services, [s.id]: { ...entry, weight } } })}
                />
              )}
            </div>
          );
        })}
      </fieldset>
      <fieldset data-testid="counter-staff">
        <legend>{c.allowedStaff}</legend>
        <p className="hint">{c.allowedStaffHint}</p>
        {problems.allowedStaffIds && <p className="field-problem">{problems.allowedStaffIds.join('; ')}</p>}
        {clerks.map((s) => (
          <CheckboxField
            key={s.staffId}
            id={`counter-staff-${s.staffId}`}
            label={`${s.displayName} (${s.username ?? s.staffId})`}
            checked={draft.allowedStaffIds.includes(s.staffId)}
            onChange={(on) => edit({ allowedStaffIds: on ? [...draft.allowedStaffIds, s.staffId] : draft.allowedStaffIds.filter((id) => id !== s.staffId) })}
          />
        ))}
      </fieldset>
    </EditorCard>
  );
}
