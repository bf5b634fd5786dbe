import { useState } from 'react';
import type { HallSettings, HallSettingsView } from '../../../../common/contract/config-api.js';
import type { ManagerDictionary } from '../i18n/index.js';
import { CheckboxField, EditorCard, TextAreaField, TextField } from './fields.js';
import type { FieldProblems } from './form-problems.js';
import { hallDraftOf, hallSettingsOf, type HallDraft } from './hall-form.js';

export interface HallPanelProps {
  t: ManagerDictionary;
  hall: HallSettingsView;
  saving: boolean;
  onSave: (settings: HallSettings, version: number) => void;
}

type TextKey = Exclude<keyof HallDraft, 'ticketsOnlyInHours' | 'voiceEnglish'>;

/**
 * The hall's settings in one form: name, time zone and business-day start, the calendar (holidays
 * and adjusted workdays, as JSON checked with the contract's schema), check-in window, whether
 * tickets are issued only in opening hours, the display notice, voice, no-show rule, retention and
 * the rectification deadline.
 */
export function HallPanel({ t, hall, saving, onSave }: HallPanelProps) {
  const c = t.config;
  const [draft, setDraft] = useState<HallDraft>(() => hallDraftOf(hall));
  const [problems, setProblems] = useState<FieldProblems>({});
  const edit = (patch: Partial<HallDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const submit = () => {
    const checked = hallSettingsOf(draft);
    setProblems(checked.ok ? {} : checked.problems);
    if (checked.ok) onSave(checked.value, hall.version);
  };
  // Back to what is stored: the form's edits dropped.
  const reset = () => {
    setDraft(hallDraftOf(hall));
    setProblems({});
  };
  const text = (field: TextKey, label: string, hint?: string) => (
    <TextField id={`hall-${field}`} label={label} hint={hint} value={draft[field]} problems={problems[field]} onChange={(v) => edit({ [field]: v })} />
  );
  return (
    <div className="config-panel" data-testid="config-hall">
      <EditorCard
        id="hall-editor"
        title={c.hallHeading(hall.version)}
        saving={saving}
        saveLabel={saving ? c.saving : c.save}
        cancelLabel={c.reset}
        onSubmit={submit}
        onCancel={reset}
        problemsNote={Object.keys(problems).length > 0 ? c.formHasProblems : null}
      >
        <div className="form-grid">
          {text('nameZh', c.nameZh)}
          {text('nameEn', c.nameEn)}
          {text('timeZone', c.timeZone, c.timeZoneHint)}
          {text('businessDayStartHour', c.businessDayStartHour, c.dayInProgressHint)}
          {text('checkInBefore', c.checkInBefore)}
          {text('checkInAfter', c.checkInAfter)}
          {text('noShowAfterCalls', c.noShowAfterCalls)}
          {text('rectificationDays', c.rectificationDays)}
          {text('voiceRepeat', c.voiceRepeat)}
          {text('personalDataDays', c.personalDataDays, c.retentionHint)}
          {text('eventPayloadDays', c.eventPayloadDays, c.retentionHint)}
        </div>
        <CheckboxField id="hall-ticketsOnlyInHours" label={c.ticketsOnlyInHours} checked={draft.ticketsOnlyInHours} onChange={(ticketsOnlyInHours) => edit({ ticketsOnlyInHours })} />
        <CheckboxField id="hall-voiceEnglish" label={c.voiceEnglish} checked={draft.voiceEnglish} onChange={(voiceEnglish) => edit({ voiceEnglish })} />
        <div className="form-grid">
          {text('noticeZh', c.noticeZh, c.noticeHint)}
          {text('noticeEn', c.noticeEn)}
        </div>
        <TextAreaField id="hall-calendar" label={c.calendar} hint={c.calendarHint} value={draft.calendar} rows={8} problems={problems.calendar} onChange={(calendar) => edit({ calendar })} />
      </EditorCard>
    </div>
  );
}
