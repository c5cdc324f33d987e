import type { z } from 'zod';
import { WHOLE_ROW, type RowIssue } from './row-mapper.js';
import { closestName } from '../../text/closest-name.js';

/**
 * zod's issues of an imported row (file line, REST body) in the project's words, with the value
 * that was refused: `amount: expected a number, got "12,50"` instead of zod's
 * "Invalid input: expected number, received string", which names neither the value nor a fix.
 * Messages the schemas word themselves (custom checks: dates, ids, sizes, event types, the paidAt
 * rule) are kept as they are; only zod's built-in wordings are replaced.
 */
const KINDS: Record<string, string> = { number: 'a number', int: 'a whole number', string: 'text', boolean: 'true or false', array: 'a list', object: 'an object', record: 'an object' };
const MAX_SHOWN = 40;

/** The refused value as the message quotes it: JSON, shortened to ~40 characters. */
export function shownValue(v: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > MAX_SHOWN ? `${s.slice(0, MAX_SHOWN - 1)}…` : s;
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let v = raw;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** zod's own wordings (a schema's message of its own, e.g. EventTypeSchema's, is kept). */
const ZOD_WORDING = /^(Invalid |Too (small|big):|Unrecognized key)/;

function words(issue: z.core.$ZodIssue, value: unknown): string {
  if (!ZOD_WORDING.test(issue.message)) return issue.message;
  const got = `got ${shownValue(value)}`;
  switch (issue.code) {
    case 'invalid_type':
      return value === undefined ? 'required' : `expected ${KINDS[issue.expected] ?? issue.expected}, ${got}`;
    case 'invalid_value': {
      // A misspelt status (`payed`) names the one it was meant to be.
      const known = issue.values.map((x) => String(x));
      const near = typeof value === 'string' ? closestName(value.trim(), known) : null;
      return `expected one of ${known.join(', ')}, ${got}${near ? `: did you mean "${near}"?` : ''}`;
    }
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return isBlank(value) ? (value === undefined ? 'required' : 'must not be empty') : `expected at least ${min} characters, ${got}`;
      if (issue.origin === 'array') return `expected at least ${min} entries, got ${Array.isArray(value) ? value.length : shownValue(value)}`;
      return `expected ${issue.inclusive ? 'at least' : 'more than'} ${min}, ${got}`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return `expected at most ${max} characters, got ${typeof value === 'string' ? value.length : shownValue(value)} (${shownValue(value)})`;
      if (issue.origin === 'array') return `expected at most ${max} entries, got ${Array.isArray(value) ? value.length : shownValue(value)}`;
      return `expected ${issue.inclusive ? 'at most' : 'less than'} ${max}, ${got}`;
    }
    case 'invalid_format':
      return issue.format === 'email' ? `not an email address: ${shownValue(value)}` : `not a valid ${issue.format}: ${shownValue(value)}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.join(', ')}`;
    default:
      // A union without a message of its own says only "Invalid input": say what was refused.
      return issue.message === 'Invalid input' ? `not a valid value: ${shownValue(value)}` : issue.message;
  }
}

/** Each issue as `field: message`, the field a dotted path (`items.0.quantity`), `(row)` for the whole row. */
export function describeRowIssues(error: z.ZodError, raw: unknown): RowIssue[] {
  return error.issues.map((i) => ({ field: i.path.map(String).join('.') || WHOLE_ROW, message: words(i, valueAt(raw, i.path)) }));
}
