import type { z } from 'zod';
import type { FlowProblem } from './problems.js';
import { readYaml } from './yaml-location.js';

/**
 * A YAML settings file (shop.yaml, policy.yaml, channels.yaml, coupons.yaml) checked against its
 * zod schema: syntax errors and schema issues, each on the line a person has to edit. Returns the
 * parsed value when it is valid, so callers can check references next.
 */
/**
 * Problems that name their field first (`caps.0.max: expected number, received string`), in the
 * one form every answer uses (PUT /api/policy's problems, the flow checks, the designer's field
 * keys): `caps.1.id`, never `caps[1].id` in one place and `caps.1.id` in another. The line
 * alone left "expected number" or "a time of day HH:MM" to be matched to one of several values on it.
 */
export function namingFields(problems: FlowProblem[]): FlowProblem[] {
  return problems.map((p) => (p.path ? { ...p, message: `${p.path}: ${p.message}` } : p));
}

export function checkYamlFile<T>(text: string, schema: z.ZodType<T>): { value?: T; problems: FlowProblem[] } {
  const src = readYaml(text);
  // The first syntax error only (flow-file.ts readSource says why).
  if (src.syntaxErrors.length) return { problems: src.syntaxErrors.slice(0, 1).map((e) => ({ line: e.line, nodeId: null, path: '', message: e.message, severity: 'error' })) };
  const r = schema.safeParse(src.value ?? {});
  if (r.success) return { value: r.data, problems: [] };
  return {
    problems: r.error.issues.map((i) => {
      const path = i.path.filter((p): p is string | number => typeof p !== 'symbol');
      return { line: src.lineOf(path), nodeId: null, path: path.join('.'), message: i.message, severity: 'error' as const };
    }),
  };
}

/**
 * A block list (rules/lists/<name>.txt): one customer external id a line, `#` comments. An id
 * with a space, comma or tab is almost always a pasted CSV row; a repeated id is harmless.
 */
export function checkListText(text: string): FlowProblem[] {
  const out: FlowProblem[] = [];
  const seen = new Map<string, number>();
  text.split('\n').forEach((raw, i) => {
    const id = raw.replace(/#.*/, '').trim();
    if (!id) return;
    if (/[\s,;]/.test(id)) out.push({ line: i + 1, nodeId: null, path: '', message: `"${id}" is not one customer id (one id a line; for a CSV use rekindle lists import --column)`, severity: 'error' });
    else if (seen.has(id)) out.push({ line: i + 1, nodeId: null, path: '', message: `"${id}" is listed twice (first on line ${seen.get(id)})`, severity: 'warning' });
    else seen.set(id, i + 1);
  });
  return out;
}
