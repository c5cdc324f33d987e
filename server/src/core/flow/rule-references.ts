import { checkConditions, pathText, RuleFileError } from '../rules/rule-file.js';
import { brokenCauseText, type RuleSet } from '../rules/rule-set.js';
import type { PathProblem, ValuePath } from './problems.js';
import type { FlowNode } from './schema.js';
import { closestName } from '../text/closest-name.js';

/**
 * What a flow needs to know about the shop's rules: which rule names exist, and whether an
 * inline condition block is valid. An interface, so validate can build it from the file names
 * in rules/segments/ (works even when one rule file is broken), the server from its loaded
 * RuleSet, and tests from a plain list.
 */
export interface RuleCatalog {
  hasRule(name: string): boolean;
  names(): readonly string[];
  /** Why a rule that exists cannot be used (its file, or a file it uses, has a mistake); null when it can. */
  brokenCause?(name: string): string | null;
  /** Problems of an inline `conditions` block; paths start at 'conditions' (['conditions', 'all', 0, 'fact']). */
  checkConditions(conditions: unknown): { path: ValuePath; message: string }[];
}

/** `conditions.all[2].fact` (rule-file.ts paths) → ['conditions', 'all', 2, 'fact']. */
export function parseRulePath(text: string): ValuePath {
  const out: ValuePath = [];
  for (const [, key, index] of text.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(index !== undefined ? Number(index) : key);
  return out;
}

/**
 * A catalog over rule names, checking inline conditions with the rule loader's own checker
 * (core/rules/rule-file.ts: facts of the catalogue, operators and their values), so a condition
 * accepted in a flow is exactly one accepted in a rule file.
 */
export function ruleCatalogFromNames(names: Iterable<string>, brokenCause: (name: string) => string | null = () => null): RuleCatalog {
  const known = new Set(names);
  return {
    hasRule: (name) => known.has(name),
    names: () => [...known].sort(),
    brokenCause,
    checkConditions(conditions) {
      try {
        const { references } = checkConditions(conditions, '(inline)');
        return references.flatMap((r) => {
          const cause = known.has(r.name) ? brokenCause(r.name) : null;
          if (cause) return [{ path: parseRulePath(r.path), message: `references rule "${r.name}", which cannot be used: ${cause}` }];
          return known.has(r.name) ? [] : [{ path: parseRulePath(r.path), message: `references unknown rule "${r.name}"` }];
        });
      } catch (e) {
        if (!(e instanceof RuleFileError)) throw e;
        return e.problems.map((p) => ({ path: parseRulePath(p.path), message: p.message }));
      }
    },
  };
}

type Raw = Record<string, unknown>;
const asObject = (v: unknown): Raw | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Raw) : undefined);

/**
 * The catalog of a loaded rule set: its names, broken files' rules too, so a flow using one is told
 * which file to fix (`rules/segments/x.yaml:7 has a mistake`) rather than that the rule is unknown.
 */
export function ruleCatalogOfSet(set: RuleSet): RuleCatalog {
  return ruleCatalogFromNames(set.names(), (name) => {
    const c = set.brokenCause(name);
    return c ? brokenCauseText(c) : null;
  });
}

/**
 * Rule names (entry segment, condition/switch `rule`) and inline conditions of every node.
 * Works on raw nodes too (see graph-checks.ts for why).
 */
export function checkRuleReferences(nodes: readonly (FlowNode | unknown)[], catalog: RuleCatalog): PathProblem[] {
  const out: PathProblem[] = [];
  const known = () => catalog.names().join(', ') || 'none';
  nodes.forEach((n, i) => {
    const node = asObject(n);
    if (!node) return;
    const nodeId = typeof node.id === 'string' ? node.id : null;
    const checkName = (name: unknown, path: ValuePath) => {
      if (typeof name === 'string' && name !== '' && !catalog.hasRule(name)) {
        const near = closestName(name, catalog.names());
        out.push({ path, nodeId, severity: 'error', message: `unknown rule "${name}" (no rules/segments/${name}.yaml; known: ${known()})${near ? `: did you mean "${near}"?` : ''}` });
      } else if (typeof name === 'string' && name !== '') {
        const cause = catalog.brokenCause?.(name);
        if (cause) out.push({ path, nodeId, severity: 'error', message: `segment "${name}" cannot be used: ${cause}` });
      }
    };
    const checkInline = (conditions: unknown, path: ValuePath) => {
      if (conditions === undefined) return;
      for (const p of catalog.checkConditions(conditions)) {
        // p.path starts with 'conditions', the same name as the node field that holds them.
        const rel = p.path[0] === 'conditions' ? p.path.slice(1) : p.path;
        // Named as a segment file names it (`conditions.all[0].fact: unknown fact …`), so a condition
        // copied between a flow and a segment file is found at the same place.
        out.push({ path: [...path, ...rel], nodeId, severity: 'error', message: `${pathText(['conditions', ...rel])}: ${p.message}` });
      }
    };
    const base: ValuePath = ['nodes', i];
    const trigger = asObject(node.trigger);
    if (trigger) checkName(trigger.segment, [...base, 'trigger', 'segment']);
    checkName(node.rule, [...base, 'rule']);
    checkInline(node.conditions, [...base, 'conditions']);
    if (Array.isArray(node.cases)) {
      node.cases.forEach((c, j) => {
        const kase = asObject(c);
        if (!kase) return;
        checkName(kase.rule, [...base, 'cases', j, 'rule']);
        checkInline(kase.conditions, [...base, 'cases', j, 'conditions']);
      });
    }
  });
  return out;
}
