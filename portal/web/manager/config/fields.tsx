import { useEffect, useRef, type ReactNode } from 'react';

/** The problems said beside a field, tied to it by id. */
function Problems({ id, problems }: { id: string; problems: readonly string[] | undefined }) {
  if (!problems || problems.length === 0) return null;
  return (
    <span className="field-problem" id={id} data-testid={`${id}`}>
      {problems.length === 1 ? problems[0] : (
        <ul>
          {problems.map((p, i) => (
            <li key={i}>{p}</li>
          ))}
        </ul>
      )}
    </span>
  );
}

interface FieldBase {
  /** Unique on the page: the input's id, `${id}-hint` and `${id}-problem` follow from it. */
  id: string;
  label: string;
  hint?: string;
  problems?: readonly string[] | undefined;
}

function describedBy(id: string, hint: string | undefined, problems: readonly string[] | undefined): string | undefined {
  const ids = [hint ? `${id}-hint` : null, problems && problems.length > 0 ? `${id}-problem` : null].filter((x) => x !== null);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

export function TextField(
  props: FieldBase & { value: string; onChange: (value: string) => void; type?: 'text' | 'number' | 'password'; inputMode?: 'numeric' | 'text'; readOnly?: boolean; autoComplete?: string; className?: string },
) {
  const invalid = (props.problems?.length ?? 0) > 0;
  return (
    <div className={`field ${props.className ?? ''}`}>
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        data-testid={props.id}
        type={props.type ?? 'text'}
        inputMode={props.inputMode}
        value={props.value}
        readOnly={props.readOnly}
        autoComplete={props.autoComplete ?? 'off'}
        spellCheck={false}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy(props.id, props.hint, props.problems)}
        onChange={(e) => props.onChange(e.target.value)}
      />
      {props.hint && (
        <span className="hint" id={`${props.id}-hint`}>
          {props.hint}
        </span>
      )}
      <Problems id={`${props.id}-problem`} problems={props.problems} />
    </div>
  );
}

export function TextAreaField(props: FieldBase & { value: string; onChange: (value: string) => void; rows?: number }) {
  const invalid = (props.problems?.length ?? 0) > 0;
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <textarea
        id={props.id}
        data-testid={props.id}
        rows={props.rows ?? 8}
        value={props.value}
        spellCheck={false}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy(props.id, props.hint, props.problems)}
        onChange={(e) => props.onChange(e.target.value)}
      />
      {props.hint && (
        <span className="hint" id={`${props.id}-hint`}>
          {props.hint}
        </span>
      )}
      <Problems id={`${props.id}-problem`} problems={props.problems} />
    </div>
  );
}

export function CheckboxField(props: { id: string; label: string; checked: boolean; onChange: (checked: boolean) => void; disabled?: boolean }) {
  return (
    <div className="checkbox-field">
      <input id={props.id} data-testid={props.id} type="checkbox" checked={props.checked} disabled={props.disabled} onChange={(e) => props.onChange(e.target.checked)} />
      <label htmlFor={props.id}>{props.label}</label>
    </div>
  );
}

/** An editor's frame: a titled card that takes the focus when it opens, its form, and its buttons. */
export function EditorCard(props: {
  id: string;
  title: string;
  saving: boolean;
  saveLabel: string;
  cancelLabel: string;
  onSubmit: () => void;
  onCancel: () => void;
  problemsNote?: string | null;
  children: ReactNode;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <form
      className="card editor"
      data-testid={props.id}
      aria-labelledby={`${props.id}-heading`}
      aria-busy={props.saving}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit();
      }}
    >
      <h3 id={`${props.id}-heading`} ref={heading} tabIndex={-1}>
        {props.title}
      </h3>
      {props.problemsNote && (
        <p className="field-problem" role="alert" data-testid={`${props.id}-problems`}>
          {props.problemsNote}
        </p>
      )}
      {props.children}
      <div className="editor-buttons">
        <button type="submit" className="primary" data-testid={`${props.id}-save`} disabled={props.saving}>
          {props.saveLabel}
        </button>
        <button type="button" className="secondary" data-testid={`${props.id}-cancel`} onClick={props.onCancel}>
          {props.cancelLabel}
        </button>
      </div>
    </form>
  );
}
