import { z } from 'zod';
import { STORED_INTEGER_MAX } from '../stored-integer.js';

/**
 * A whole number written in a path or a query (`/versions/3`, `?revision=7`), from `min` to `max`
 * (default 1 to the largest the database stores), as a number. Any other text is one problem that
 * says what is taken and shows what came: `version: expected a whole number from 1 to 2147483647,
 * got "abc"`. z.coerce.number() turned "abc" into NaN and said "expected number, received NaN",
 * and "1.5" into "expected int, received number".
 */
export function wholeNumberText(min = 1, max = STORED_INTEGER_MAX) {
  const said = (issue: { input?: unknown }) => `expected a whole number from ${min} to ${max}, got ${JSON.stringify(String(issue.input))}`;
  return z
    .string()
    .regex(/^[0-9]+$/, { error: said })
    .transform(Number)
    .pipe(z.number().int({ error: said }).min(min, { error: said }).max(max, { error: said }));
}
