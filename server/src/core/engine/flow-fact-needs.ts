import { allNamed } from '../facts/named-facts.js';
import type { FlowVersion } from './model.js';
import { templatePaths } from './template.js';

/**
 * Node types whose executors never read a customer's facts (ctx.facts): a flow made only of
 * these and of send nodes reads just the facts its messages name. Conditions and switches
 * evaluate rules (a rule may read any fact), a stratified split reads its stratum's facts: a flow
 * with one of them reads all facts, as before.
 */
const READS_NO_FACTS = new Set(['entry', 'wait', 'waitForEvent', 'action', 'limit', 'exit']);

/**
 * The give-up rule of the contact policy takes each customer's last order from the batch's facts
 * when a node of the batch read them (SendPolicy's factsIfRead): always among the names read.
 */
const POLICY_READS = ['lastOrderAt'];

const byVersion = new WeakMap<FlowVersion, readonly string[] | null>();

/**
 * The facts a stepping batch of this flow version reads, by name, or null for all of them:
 * what its send nodes' templates and subjects name as `{{facts.x}}`, and what the policy reads.
 * Null when a node of another kind may read facts, or a message names `{{facts}}` itself or a
 * name that is not a catalogue fact. Versions never change, so the answer is kept per version.
 */
export function factsReadBy(version: FlowVersion): readonly string[] | null {
  if (byVersion.has(version)) return byVersion.get(version)!;
  const names = new Set<string>(POLICY_READS);
  let all = false;
  for (const node of version.flow.nodes) {
    if (node.type === 'split' && node.stratify === undefined) continue;
    if (READS_NO_FACTS.has(node.type)) continue;
    if (node.type !== 'send') {
      all = true;
      break;
    }
    for (const path of [node.template, node.subject ?? ''].flatMap((t) => templatePaths(t))) {
      if (path === 'facts') all = true;
      else if (path.startsWith('facts.')) names.add(path.split('.')[1]);
    }
  }
  const out = all || !allNamed(names) ? null : [...names].sort();
  byVersion.set(version, out);
  return out;
}

/** The facts a batch over these versions reads: the union of factsReadBy, null (all) if any version reads all. */
export function factsReadByAll(versions: Iterable<FlowVersion>): readonly string[] | null {
  let only: readonly string[] | null = null;
  let union: Set<string> | null = null;
  for (const v of versions) {
    const names = factsReadBy(v);
    if (names === null) return null;
    if (only === null) only = names;
    else if (names !== only) for (const n of names) (union ??= new Set(only)).add(n);
  }
  return union ? [...union].sort() : (only ?? POLICY_READS);
}
