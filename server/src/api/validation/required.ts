/**
 * The error option of a body field's zod schema that says, when the field is missing, that it is
 * required and what it holds: `revision: required: the draft revision this save is based on …`.
 * zod says "Invalid input: expected number, received undefined" of a missing field, which reads as
 * if a value had been sent; a wrong value keeps zod's own message (`undefined`: the default).
 */
export const required = (what: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? `required: ${what}` : undefined),
});
