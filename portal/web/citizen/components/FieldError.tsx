/** A field's problem, tied to the field by `id` (aria-describedby) and said at once (role=alert). */
export function FieldError({ id, testId, message }: { id: string; testId: string; message: string | null }) {
  if (!message) return null;
  return (
    <p id={id} className="field-error" role="alert" data-testid={testId}>
      {message}
    </p>
  );
}
