import { LineCounter, parseDocument } from 'yaml';
import { PolicySchema, type ContactPolicy } from './schema.js';
import { yamlValue } from '../yaml-value.js';

/**
 * Parses the text of rules/policy.yaml (or a PUT /api/policy body) into a policy. Errors name the
 * file, the line and the field, e.g. `rules/policy.yaml:7 caps.0.max: …`.
 */
export function parsePolicyText(text: string, where: string): ContactPolicy {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  if (doc.errors.length > 0) throw new PolicyError(doc.errors.slice(0, 1).map((e) => `${where}:${e.linePos?.[0].line ?? '?'} ${e.message.split('\n')[0]}`));
  const v = yamlValue(doc);
  if ('error' in v) throw new PolicyError([`${where}:1 ${v.error}`]);
  return checkPolicy(v.value ?? {}, where, (path) => {
    const node = doc.getIn(path, true) as { range?: [number, number] } | undefined;
    return node?.range ? lines.linePos(node.range[0]).line : null;
  });
}

/** Validates an already-parsed policy object (JSON body). */
export function checkPolicy(raw: unknown, where: string, lineOf: (path: PropertyKey[]) => number | null = () => null): ContactPolicy {
  const r = PolicySchema.safeParse(raw);
  if (r.success) return r.data;
  throw new PolicyError(
    r.error.issues.map((i) => {
      const line = lineOf(i.path);
      return `${where}${line ? `:${line}` : ''}${i.path.length ? ` ${i.path.join('.')}` : ''}: ${i.message}`;
    }),
  );
}

export class PolicyError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}
