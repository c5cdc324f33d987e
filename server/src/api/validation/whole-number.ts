import { z } from 'zod';
import { STORED_INTEGER_MAX } from '../stored-integer.js';

/**
 * A whole number written in a path or a query (`/versions/3`, `?revision=7`, `?limit=50`), from
 * `min` to `max` (default 1 to the largest the database stores), as a number. Any other text is one
 * problem that says what is taken and shows what came: `limit: expected a whole number from 1 to
 * 1000, got "abc"`. z.coerce.number() turned "abc" into NaN and said "expected number, received
 * NaN", and "1.5" into "expected int, received number". Every number a path or query takes is
 * read with this, so none of them says it the old way.
 *
 * The OpenAPI document shows it as the integer it stands for (zod alone would show the text it is
 * read from, a string with a pattern); a default given with `.default(n)` is put back there by
 * openapi-document.ts, as zod leaves defaults off the input side of a schema that transforms.
 */
export function wholeNumberText(min = 1, max = STORED_INTEGER_MAX) {
  const said = (issue: { input?: unknown }) => `expected a whole number from ${min} to ${max}, got ${JSON.stringify(String(issue.input))}`;
  return z
    .string({ error: said })
    .regex(/^[0-9]+$/, { error: said })
    .transform(Number)
    .pipe(z.number().int({ error: said }).min(min, { error: said }).max(max, { error: said }))
    .meta({ type: 'integer', minimum: min, maximum: max, pattern: undefined });
}
