import { useState } from 'react';
import type { CreateServiceRequest, ServiceConfigView, ServiceSettings } from '../../../../common/contract/config-api.js';
import type { ManagerDictionary } from '../i18n/index.js';
import { CheckboxField, EditorCard, TextAreaField, TextField } from './fields.js';
import type { FieldProblems } from './form-problems.js';
import { HOURS_FORMAT, newServiceOf, serviceDraftOf, serviceSettingsOf, type ServiceDraft } from './service-form.js';
import { WEEKDAYS } from './weekly-hours-text.js';

export interface ServiceEditorProps {
  t: ManagerDictionary;
  /** The service as stored; null: a new one. */
  service: ServiceConfigView | null;
  saving: boolean;
  onCreate: (request: CreateServiceRequest) => void;
  onUpdate: (serviceId: string, settings: ServiceSettings, version: number) => void;
  onCancel: () => void;
}

/**
 * One service: names, prefix, order, enabled, opening hours per weekday (typed as
 * `09:00-12:00, 13:30-17:00`), daily quota, online booking and the guide as JSON. Checked with the
 * contract's schema before it is sent; each problem is said beside its field.
 */
export function ServiceEditor({ t, service, saving, onCreate, onUpdate, onCancel }: ServiceEditorProps) {
  const c = t.config;
  const [draft, setDraft] = useState<ServiceDraft>(() => serviceDraftOf(service));
  const [problems, setProblems] = useState<FieldProblems>({});
  const edit = (patch: Partial<ServiceDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const said = (field: string) => problems[field]?.map((p) => (p === HOURS_FORMAT ? c.hoursFormat : p));

  const submit = () => {
    if (service) {
      const checked = serviceSettingsOf(draft);
      setProblems(checked.ok ? {} : checked.problems);
      if (checked.ok) onUpdate(service.id, checked.value, service.version);
    } else {
      const checked = newServiceOf(draft);
      setProblems(checked.ok ? {} : checked.problems);
      if (checked.ok) onCreate(checked.value);
    }
  };

  const text = (field: keyof ServiceDraft & string, label: string, hint?: string) => (
    <TextField id={`service-${field}`} label={label} hint={hint} value={String(draft[field])} problems={said(field)} onChange={(v) => edit({ [field]: v })} />
  );

  return (
    <EditorCard
      id="service-editor"
      title={service ? c.editService(service.id) : c.newService}
      saving={saving}
      saveLabel={saving ? c.saving : c.save}
      cancelLabel={c.cancel}
      onSubmit={submit}
      onCancel={onCancel}
      problemsNote={Object.keys(problems).length > 0 ? c.formHasProblems : null}
    >
      <div className="form-grid">
        {!service && text('serviceId', c.serviceId, c.serviceIdHint)}
        {text('prefix', c.prefix, c.prefixHint)}
        {text('sortOrder', c.sortOrder)}
        {text('nameZh', c.nameZh)}
        {text('nameEn', c.nameEn)}
        {text('descriptionZh', c.descriptionZh)}
        {text('descriptionEn', c.descriptionEn)}
        {text('dailyQuota', c.dailyQuota, c.dailyQuotaHint)}
      </div>
      <CheckboxField id="service-enabled" label={c.enabled} checked={draft.enabled} onChange={(enabled) => edit({ enabled })} />
      <fieldset>
        <legend>{c.hoursLegend}</legend>
        <p className="hint" id="service-hours-hint">
          {c.hoursHint}
        </p>
        {problems.hours && !WEEKDAYS.some((d) => problems[`hours.${d}`]) && (
          <p className="field-problem" data-testid="service-hours-problem">
            {problems.hours.join('; ')}
          </p>
        )}
        <div className="form-grid">
          {WEEKDAYS.map((day) => (
            <TextField
              key={day}
              id={`service-hours-${day}`}
              label={c.weekday[day]}
              value={draft.hours[day]}
              problems={said(`hours.${day}`)}
              onChange={(v) => edit({ hours: { ...draft.hours, [day]: v } })}
            />
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>{c.bookingLegend}</legend>
        <CheckboxField id="service-bookable" label={c.bookable} checked={draft.bookable} onChange={(bookable) => edit({ bookable })} />
        {draft.bookable && (
          <div className="form-grid">
            {text('slotMinutes', c.slotMinutes)}
            {text('capacity', c.capacity)}
            {text('minDaysAhead', c.minDaysAhead)}
            {text('maxDaysAhead', c.maxDaysAhead)}
          </div>
        )}
      </fieldset>
      <TextAreaField id="service-guide" label={c.guide} hint={c.guideHint} value={draft.guide} rows={10} problems={said('guide')} onChange={(guide) => edit({ guide })} />
    </EditorCard>
  );
}
