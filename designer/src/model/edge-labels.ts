import type { NodeCounts } from './counts.js';
import { formatCount } from './format.js';
import type { Lang } from './i18n.js';
import { outputsOf, type OutHandle } from './handles.js';
import type { DraftFlow, DraftNode } from './types.js';

/**
 * Which branch a journey-log outcome took (the executors' outcome codes: yes, no, responded,
 * timed-out, case:<label>, else, arm:<id>, capped:…, group-full); null for outcomes that do not
 * leave the node (deferred, awaiting a decision).
 */
export function handleOfOutcome(node: DraftNode, outcome: string): string | null {
  if (outcome.startsWith('deferred') || outcome === 'awaiting-decision' || outcome.startsWith('exited') || outcome.startsWith('completed')) return null;
  const outs = outputsOf(node).map((h) => h.id);
  if (outcome === 'timed-out') return 'timedOut';
  if (outcome.startsWith('capped')) return outs.includes('capped') ? 'capped' : 'next';
  if (outcome === 'group-full') return 'overflow';
  if (outcome.startsWith('arm:')) return `arm-${outcome.slice(4)}`;
  if (outcome.startsWith('case:')) {
    const tag = outcome.slice(5);
    const cases = Array.isArray(node.cases) ? (node.cases as Record<string, unknown>[]) : [];
    const i = cases.findIndex((c, k) => c.label === tag || c.rule === tag || String(k) === tag);
    return i >= 0 ? `case-${i}` : null;
  }
  if (outs.includes(outcome)) return outcome;
  return outs.includes('next') ? 'next' : null;
}

/** How many journeys left a node by each branch, from its journey-log outcomes. */
export function branchCounts(node: DraftNode, counts: NodeCounts | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [outcome, n] of Object.entries(counts?.outcomes ?? {})) {
    const h = handleOfOutcome(node, outcome);
    if (h) out[h] = (out[h] ?? 0) + n;
  }
  return out;
}

export const handleText = (h: OutHandle, t: (key: string) => string) => ('key' in h.label ? t(h.label.key) : h.label.text);

/**
 * Labels on the edges when there are counts: the branch, how many took it and their share
 * ("是 · 120 (60%)"). Without counts the branch names sit under the handles, not on the edges.
 * `withheld`: steps whose live numbers do not apply (the draft changed or added them,
 * model/counts-on-draft.ts): their branches get no count, not a 0 read as theirs. Counts are
 * written as the cards and the simulation summary write them (4,936: format.ts formatCount).
 */
export function edgeLabels(flow: DraftFlow, counts: readonly NodeCounts[], t: (key: string) => string, withheld: ReadonlySet<string> | ReadonlyMap<string, unknown> = new Set(), lang: Lang = 'zh'): Record<string, string> {
  const out: Record<string, string> = {};
  if (!counts.length) return out;
  for (const node of flow.nodes) {
    if (withheld.has(node.id)) continue;
    const outs = outputsOf(node);
    const by = branchCounts(node, counts.find((c) => c.nodeId === node.id));
    const total = Object.values(by).reduce((a, b) => a + b, 0);
    for (const h of outs) {
      const n = by[h.id] ?? 0;
      const pct = total ? Math.round((n / total) * 100) : 0;
      out[`${node.id}:${h.id}`] = outs.length > 1 ? `${handleText(h, t)} · ${formatCount(lang, n)} (${pct}%)` : formatCount(lang, n);
    }
  }
  return out;
}
