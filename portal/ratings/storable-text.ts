/**
 * Text PostgreSQL stores: no NUL and no lone surrogate. JSON carries both (`\u0000`, `\ud800`),
 * but a text or jsonb value refuses them, and inside a set-based statement one refusal fails the
 * whole batch — for a push, every retry of it, so the kiosk's queue would never drain.
 */
export function isStorableText(text: string | null): boolean {
  return text === null || (!text.includes('\u0000') && !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text));
}

/** Every string of a flat event payload is storable text. */
export function isStorablePayload(payload: object): boolean {
  return Object.values(payload).every((v) => typeof v !== 'string' || isStorableText(v));
}
