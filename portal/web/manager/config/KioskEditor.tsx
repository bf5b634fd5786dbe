import { useState } from 'react';
import type { KioskConfigView, RegisterKioskRequest, ServiceConfigView, UpdateKioskRequest } from '../../../../common/contract/config-api.js';
import { localized, type Language } from '../../shared/i18n/language.js';
import type { ManagerDictionary } from '../i18n/index.js';
import { CheckboxField, EditorCard, TextField } from './fields.js';
import type { FieldProblems } from './form-problems.js';
import { kioskDraftOf, registerKioskOf, updateKioskOf, type KioskDraft } from './kiosk-form.js';

export interface KioskEditorProps {
  t: ManagerDictionary;
  language: Language;
  /** The kiosk as stored; null: registering a new one. */
  kiosk: KioskConfigView | null;
  services: ServiceConfigView[];
  saving: boolean;
  onRegister: (request: RegisterKioskRequest) => void;
  onUpdate: (kioskId: string, request: UpdateKioskRequest) => void;
  onCancel: () => void;
}

/**
 * Registers a kiosk, or changes one: its digit (the mark of its offline series), name, the services
 * it offers, idle timeout, elderly age and technician PIN. The PIN is typed, sent once and never
 * shown again (the portal keeps its hash); an empty value leaves the kiosk's own settings.
 */
export function KioskEditor({ t, language, kiosk, services, saving, onRegister, onUpdate, onCancel }: KioskEditorProps) {
  const c = t.config;
  const [draft, setDraft] = useState<KioskDraft>(() => kioskDraftOf(kiosk));
  const [problems, setProblems] = useState<FieldProblems>({});
  const edit = (patch: Partial<KioskDraft>) => setDraft((d) => ({ ...d, ...patch }));

  const submit = () => {
    if (kiosk) {
      const checked = updateKioskOf(draft, kiosk.version);
      setProblems(checked.ok ? {} : checked.problems);
      if (checked.ok) onUpdate(kiosk.kioskId, checked.value);
    } else {
      const checked = registerKioskOf(draft);
      setProblems(checked.ok ? {} : checked.problems);
      if (checked.ok) onRegister(checked.value);
    }
  };
  const text = (field: 'kioskId' | 'kioskDigit' | 'name' | 'idleTimeoutSeconds' | 'elderlyAge', label: string, hint?: string) => (
    <TextField id={`kiosk-${field}`} label={label} hint={hint} value={draft[field]} problems={problems[field]} onChange={(v) => edit({ [field]: v })} />
  );

  return (
    <EditorCard
      id="kiosk-editor"
      title={kiosk ? c.editKiosk(kiosk.kioskId) : c.registerKiosk}
      saving={saving}
      saveLabel={saving ? c.saving : kiosk ? c.save : c.register}
      cancelLabel={c.cancel}
      onSubmit={submit}
      onCancel={onCancel}
      problemsNote={Object.keys(problems).length > 0 ? c.formHasProblems : null}
    >
      <div className="form-grid">
        {!kiosk && text('kioskId', c.kioskId, c.kioskIdHint)}
        {text('kioskDigit', c.kioskDigit, c.kioskDigitHint)}
        {text('name', c.kioskName)}
        {text('idleTimeoutSeconds', c.idleTimeout, c.ownSettingHint)}
        {text('elderlyAge', c.elderlyAge, c.ownSettingHint)}
        <TextField
          id="kiosk-technicianPin"
          label={c.technicianPin}
          hint={kiosk?.technicianPinSet ? c.technicianPinChangeHint : c.technicianPinHint}
          type="password"
          inputMode="numeric"
          autoComplete="new-password"
          value={draft.technicianPin}
          problems={problems.technicianPin}
          onChange={(technicianPin) => edit({ technicianPin })}
        />
      </div>
      {kiosk?.technicianPinSet && <CheckboxField id="kiosk-removePin" label={c.removePin} checked={draft.removePin} onChange={(removePin) => edit({ removePin })} />}
      <fieldset data-testid="kiosk-offered">
        <legend>{c.offeredServices}</legend>
        <CheckboxField id="kiosk-allServices" label={c.allEnabledServices} checked={draft.allServices} onChange={(allServices) => edit({ allServices })} />
        {problems.offered && <p className="field-problem">{problems.offered.join('; ')}</p>}
        {!draft.allServices &&
          services.map((s) => (
            <CheckboxField
              key={s.id}
              id={`kiosk-offer-${s.id}`}
              label={`${s.prefix} ${localized(s.name, language)}`}
              checked={draft.offered.includes(s.id)}
              onChange={(on) => edit({ offered: on ? [...draft.offered, s.id] : draft.offered.filter((id) => id !== s.id) })}
            />
          ))}
      </fieldset>
    </EditorCard>
  );
}
