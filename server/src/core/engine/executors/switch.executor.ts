import type { NodeOfType } from '../../flow/schema.js';
import { decideWithFacts, type NodeExecutor } from '../executor.js';
import { entryWithPart, isSharedDetail, shareDetail } from '../model.js';
import type { RuleDecision } from '../ports.js';

/**
 * The log details of a switch node by the decisions its cases got, in order: customers whose
 * cases were decided by the same (shared) decision objects get one shared detail object, which
 * the store serialises once. Keys are weak: entries go with the evaluator's memo.
 */
interface Path {
  next: WeakMap<RuleDecision, Path>;
  detail?: Record<string, unknown>;
}
const paths = new WeakMap<NodeOfType<'switch'>, Path>();

function detailOf(node: NodeOfType<'switch'>, decisions: RuleDecision[]): Record<string, unknown> {
  // Each case reads `{ case, matched, ...explanation }`; the explanation stays a part of its own (entryWithPart), so the
  // store can keep it once for every switch detail that repeats it.
  const build = () => ({ cases: decisions.map((d, i) => entryWithPart({ case: caseName(node, i), matched: d.matched }, d.explanation)) });
  if (!decisions.every((d) => isSharedDetail(d.explanation))) return build();
  let path: Path | undefined = paths.get(node);
  if (!path) paths.set(node, (path = { next: new WeakMap() }));
  for (const d of decisions) {
    let step: Path | undefined = path.next.get(d);
    if (!step) path.next.set(d, (step = { next: new WeakMap() }));
    path = step;
  }
  return (path.detail ??= shareDetail(build()));
}

const caseName = (node: NodeOfType<'switch'>, i: number) => node.cases[i].label ?? node.cases[i].rule ?? `case-${i}`;

/** Ordered rules: the first that matches wins, else the `else` edge. Every case tried is logged. */
export const switchExecutor: NodeExecutor<'switch'> = {
  type: 'switch',
  execute(node, batch, ctx) {
    return decideWithFacts(batch, ctx, async (_e, facts) => {
      const tried: RuleDecision[] = [];
      for (let i = 0; i < node.cases.length; i++) {
        const c = node.cases[i];
        const d = await ctx.rules.evaluate({ rule: c.rule, conditions: c.conditions }, facts, ctx.now);
        tried.push(d);
        if (d.matched) return { kind: 'goto', edge: `case-${i}`, next: c.next, outcome: `case:${c.label ?? c.rule ?? i}`, detail: detailOf(node, tried) };
      }
      return { kind: 'goto', edge: 'else', next: node.else, outcome: 'else', detail: detailOf(node, tried) };
    });
  },
};
