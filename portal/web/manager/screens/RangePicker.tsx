import type { FormEvent } from 'react';
import type { Language } from '../../shared/i18n/language.js';
import { managerDictionaries } from '../i18n/index.js';
import { STATS_PRESETS, type RangeProblems, type StatsPreset, type StatsRange } from '../state/stats-range.js';

export interface RangePickerProps {
  language: Language;
  draft: StatsRange;
  problems: RangeProblems;
  preset: StatsPreset | null;
  busy: boolean;
  onEdit: (range: Partial<StatsRange>) => void;
  onApply: () => void;
  onPreset: (preset: StatsPreset) => void;
}

/**
 * From and to (native date inputs: keyboard and screen-reader ready in every browser), the four
 * presets as toggle buttons, and the query button. A problem is said beside its field and tied to
 * it (aria-describedby), and the field is marked invalid.
 */
export function RangePicker(props: RangePickerProps) {
  const t = managerDictionaries[props.language];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onApply();
  };
  const field = (name: keyof StatsRange, label: string) => {
    const problem = props.problems[name];
    return (
      <label className="field">
        <span>{label}</span>
        <input
          type="date"
          name={name}
          data-testid={`range-${name}`}
          value={props.draft[name]}
          required
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `range-${name}-problem` : undefined}
          onChange={(e) => props.onEdit({ [name]: e.target.value })}
        />
        {problem && (
          <span className="field-problem" id={`range-${name}-problem`} data-testid={`range-${name}-problem`}>
            {t.rangeProblem[problem]}
          </span>
        )}
      </label>
    );
  };
  return (
    <form className="card range-picker" onSubmit={submit} aria-labelledby="range-heading" noValidate>
      <h3 id="range-heading">{t.rangeHeading}</h3>
      <div className="presets" role="group" aria-label={t.presetsLabel}>
        {STATS_PRESETS.map((preset) => (
          <button
            key={preset}
            type="button"
            className="toggle"
            data-testid={`preset-${preset}`}
            aria-pressed={props.preset === preset}
            disabled={props.busy}
            onClick={() => props.onPreset(preset)}
          >
            {t.preset[preset]}
          </button>
        ))}
      </div>
      <div className="range-fields">
        {field('from', t.fromLabel)}
        {field('to', t.toLabel)}
        <button type="submit" className="primary" data-testid="range-apply" disabled={props.busy}>
          {t.applyRange}
        </button>
      </div>
    </form>
  );
}
