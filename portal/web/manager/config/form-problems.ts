import type { z } from 'zod';

/**
 * What is wrong with a form, by field: the field's key in the form (`prefix`, `hours.3`, `guide`)
 * and the contract's messages for it. A form shows each beside its field; the JSON fields (the
 * guide, the calendar) show the messages themselves, each with its path inside the JSON.
 */
export type FieldProblems = Record<string, string[]>;

export type FormResult<T> = { ok: true; value: T } | { ok: false; problems: FieldProblems };

export function addProblem(problems: FieldProblems, field: string, message: string): void {
  (problems[field] ??= []).push(message);
}

/** Where an issue of the contract's schema belongs in the form, and what to say there. */
export type FieldOfPath = (path: readonly PropertyKey[], message: string) => { field: string; message: string };

/** A JSON field's issue: its path inside the JSON, then the schema's message (`materials.0.count: …`). */
export function jsonIssue(path: readonly PropertyKey[], message: string): string {
  return path.length > 0 ? `${path.map(String).join('.')}: ${message}` : message;
}

/** Checks `input` with the contract's schema; each issue goes to its field. */
export function checkWith<S extends z.ZodType>(schema: S, input: unknown, fieldOf: FieldOfPath, problems: FieldProblems = {}): FormResult<z.output<S>> {
  const checked = schema.safeParse(input);
  if (checked.success && Object.keys(problems).length === 0) return { ok: true, value: checked.data };
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const { field, message } = fieldOf(issue.path, issue.message);
      addProblem(problems, field, message);
    }
  }
  return { ok: false, problems };
}

/** A whole number typed in a field; anything else is NaN, which the schema refuses on that field. */
export function wholeNumber(text: string): number {
  const trimmed = text.trim();
  return /^-?\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

/** A whole number, or null when the field is left empty (the contract's "not set"). */
export function optionalWholeNumber(text: string): number | null {
  return text.trim() === '' ? null : wholeNumber(text);
}

/** A pair of texts in both languages, or null when both are left empty. */
export function optionalLocalized(zh: string, en: string): { zh: string; en: string } | null {
  const pair = { zh: zh.trim(), en: en.trim() };
  return pair.zh === '' && pair.en === '' ? null : pair;
}

/** JSON typed in a textarea: null when empty, the value, or the parser's complaint. */
export function parseJsonField(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  if (text.trim() === '') return { ok: true, value: null };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}
