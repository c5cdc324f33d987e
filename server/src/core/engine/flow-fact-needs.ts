import { stratumFacts } from '../experiment/strata.js';
import { allNamed } from '../facts/named-facts.js';
import type { FlowVersion } from './model.js';
import type { RuleEvaluator } from './ports.js';
import { templatePaths } from './template.js';

/**
 * Node types whose executors never read a customer's facts (ctx.facts): a flow made only of
 * these, of send nodes (the facts their messages name), of conditions and switches (the facts
 * their rules read) and of splits (a stratified one: its stratum's facts) reads only those.
 */
const READS_NO_FACTS = new Set(['entry', 'wait', 'waitForEvent', 'action', 'limit', 'exit']);

/**
 * The give-up rule of the contact policy takes each customer's last order from the batch's facts
 * when a node of the batch read them (SendPolicy's factsIfRead): always among the names read.
 */
const POLICY_READS = ['lastOrderAt'];

/** A version's answer by the rule evaluator it was asked with (NO_RULES: asked without one). */
const byVersion = new WeakMap<FlowVersion, WeakMap<object, readonly string[] | null>>();
const NO_RULES = {};

/**
 * The facts a stepping batch of this flow version reads, by name, or null for all of them:
 * what its send nodes' templates and subjects name as `{{facts.x}}`, what its conditions' and
 * switch cases' rules read (`rules.factsRead`: their leaves' facts, through the rules they
 * reference), a stratified split's stratum facts, and what the policy reads.
 * Null when a node of another kind may read facts, a rule's reads are not known (no evaluator, or
 * one that cannot say, an unknown rule), a message names `{{facts}}` itself, or a name is not a
 * fact NAMED_FACTS derives. A version's nodes never change, nor do the rules of its evaluator
 * (one per version, see JourneyEngine.rules), so the answer is kept per version and evaluator.
 */
export function factsReadBy(version: FlowVersion, rules?: RuleEvaluator): readonly string[] | null {
  let byRules = byVersion.get(version);
  if (!byRules) byVersion.set(version, (byRules = new WeakMap()));
  const key = rules ?? NO_RULES;
  if (byRules.has(key)) return byRules.get(key)!;
  const out = namesReadBy(version, rules);
  byRules.set(key, out);
  return out;
}

function namesReadBy(version: FlowVersion, rules?: RuleEvaluator): readonly string[] | null {
  const names = new Set<string>(POLICY_READS);
  // The facts a rule reads, added to names; false when they are not known (then all facts are read).
  const ruleReads = (ref: { rule?: string; conditions?: Record<string, unknown> }): boolean => {
    const read = rules?.factsRead?.(ref);
    if (!read) return false;
    for (const n of read) names.add(n);
    return true;
  };
  for (const node of version.flow.nodes) {
    if (READS_NO_FACTS.has(node.type)) continue;
    if (node.type === 'split') {
      if (node.stratify !== undefined) for (const n of stratumFacts(node.stratify)) names.add(n);
    } else if (node.type === 'condition') {
      if (!ruleReads({ rule: node.rule, conditions: node.conditions })) return null;
    } else if (node.type === 'switch') {
      for (const c of node.cases) if (!ruleReads({ rule: c.rule, conditions: c.conditions })) return null;
    } else if (node.type === 'send') {
      for (const path of [node.template, node.subject ?? ''].flatMap((t) => templatePaths(t))) {
        if (path === 'facts') return null;
        if (path.startsWith('facts.')) names.add(path.split('.')[1]);
      }
    } else {
      return null;
    }
  }
  return allNamed(names) ? [...names].sort() : null;
}

/**
 * The facts a batch over these versions reads: the union of factsReadBy (each version asked with
 * its rule evaluator, `rulesOf`), null (all) if any version reads all.
 */
export function factsReadByAll(versions: Iterable<FlowVersion>, rulesOf?: (v: FlowVersion) => RuleEvaluator): readonly string[] | null {
  let only: readonly string[] | null = null;
  let union: Set<string> | null = null;
  for (const v of versions) {
    const names = factsReadBy(v, rulesOf?.(v));
    if (names === null) return null;
    if (only === null) only = names;
    else if (names !== only) for (const n of names) (union ??= new Set(only)).add(n);
  }
  return union ? [...union].sort() : (only ?? POLICY_READS);
}
