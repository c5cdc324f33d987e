import type { Facts } from '../../facts/derive.js';
import type { NodeOfType } from '../../flow/schema.js';
import { decideWithFacts, type BatchContext, type NodeExecutor } from '../executor.js';
import { entryWithPart, isSharedDetail, shareDetail, type StepResult } from '../model.js';
import type { RuleDecision } from '../ports.js';

/**
 * The log details of a switch node by the decisions its cases got, in order: customers whose
 * cases were decided by the same (shared) decision objects get one shared detail object, which
 * the store serialises once. A trie: its first level is weak, by the first case's decision
 * object, so a subtree goes with that decision (the evaluator's memo lets go of an instant's
 * decisions, and a customer's decisions are all of one instant); below it, `Map`s by the
 * decisions' ids (RuleDecision.id). It was WeakMaps at every level: ~6 WeakMap lookups a customer
 * and a new WeakMap per new place in the trie, 5.4% of the Double-11 entry tick at 1,000,000
 * customers (bench/README.md, sixteenth wave).
 */
interface Path {
  /** Made when a longer path first passes here (most paths end where they were made). */
  next?: Map<number, Path>;
  detail?: Record<string, unknown>;
}

interface SwitchDetails {
  root: WeakMap<RuleDecision, Path>;
  /** A switch without cases tried (no cases at all). */
  none: Path;
  /**
   * A case's entry (`{ case, matched, ...explanation }`) by its decision and position: it is the
   * same in every detail that holds that decision there, so it is built once, not once per
   * customer. In bench/double11 most customers' details are new (the explanations hold facts such
   * as the average order value), and building their entries again was ~6% of the entry tick.
   */
  entries: WeakMap<RuleDecision, Record<string, unknown>[]>;
}
const byNode = new WeakMap<NodeOfType<'switch'>, SwitchDetails>();

function detailsOf(node: NodeOfType<'switch'>): SwitchDetails {
  let s = byNode.get(node);
  if (!s) byNode.set(node, (s = { root: new WeakMap(), none: {}, entries: new WeakMap() }));
  return s;
}

/** Ids for decisions that came without one (an evaluator that does not number its decisions). */
const givenIds = new WeakMap<RuleDecision, number>();
let lastGivenId = 0;
const idOf = (d: RuleDecision): number => {
  if (d.id !== undefined) return d.id;
  let id = givenIds.get(d);
  if (id === undefined) givenIds.set(d, (id = -++lastGivenId));
  return id;
};

// Each case reads `{ case, matched, ...explanation }`; the explanation stays a part of its own
// (entryWithPart), so the store can keep it once for every switch detail that repeats it.
const entryOf = (node: NodeOfType<'switch'>, d: RuleDecision, i: number) => entryWithPart({ case: caseName(node, i), matched: d.matched }, d.explanation);

function detailOf(node: NodeOfType<'switch'>, decisions: RuleDecision[]): Record<string, unknown> {
  if (!decisions.every((d) => isSharedDetail(d.explanation))) return { cases: decisions.map((d, i) => entryOf(node, d, i)) };
  const s = detailsOf(node);
  let path: Path;
  if (decisions.length === 0) path = s.none;
  else {
    let first = s.root.get(decisions[0]);
    if (!first) s.root.set(decisions[0], (first = {}));
    path = first;
  }
  for (let i = 1; i < decisions.length; i++) {
    const id = idOf(decisions[i]);
    let step: Path | undefined = path.next?.get(id);
    if (!step) (path.next ??= new Map()).set(id, (step = {}));
    path = step;
  }
  if (path.detail) return path.detail;
  const cases = decisions.map((d, i) => {
    let list = s.entries.get(d);
    if (!list) s.entries.set(d, (list = []));
    return (list[i] ??= entryOf(node, d, i));
  });
  return (path.detail = shareDetail({ cases }));
}

const caseName = (node: NodeOfType<'switch'>, i: number) => node.cases[i].label ?? node.cases[i].rule ?? `case-${i}`;

const caseRef = (node: NodeOfType<'switch'>, i: number) => ({ rule: node.cases[i].rule, conditions: node.cases[i].conditions });

/** The first case that matches wins, else `else`; every case tried is in the detail. */
function outcomeOf(node: NodeOfType<'switch'>, tried: RuleDecision[]): StepResult {
  const i = tried.length - 1;
  if (i >= 0 && tried[i].matched) {
    const c = node.cases[i];
    return { kind: 'goto', edge: `case-${i}`, next: c.next, outcome: `case:${c.label ?? c.rule ?? i}`, detail: detailOf(node, tried) };
  }
  return { kind: 'goto', edge: 'else', next: node.else, outcome: 'else', detail: detailOf(node, tried) };
}

/** Ordered rules: the first that matches wins, else the `else` edge. Every case tried is logged. */
export const switchExecutor: NodeExecutor<'switch'> = {
  type: 'switch',
  execute(node, batch, ctx) {
    const refs = node.cases.map((_, i) => caseRef(node, i));
    // Answers already known are taken without waiting (see RuleEvaluator.known); a customer's
    // decision is awaited only from the first case whose answer must be worked out.
    const rest = async (facts: Facts, tried: RuleDecision[], from: number, ctx: BatchContext): Promise<StepResult> => {
      for (let i = from; i < refs.length; i++) {
        const d = ctx.rules.known?.(refs[i], facts, ctx.now) ?? (await ctx.rules.evaluate(refs[i], facts, ctx.now));
        tried.push(d);
        if (d.matched) break;
      }
      return outcomeOf(node, tried);
    };
    return decideWithFacts(batch, ctx, (_e, facts) => {
      const tried: RuleDecision[] = [];
      if (ctx.rules.known) {
        for (let i = 0; i < refs.length; i++) {
          const d = ctx.rules.known(refs[i], facts, ctx.now);
          if (!d) return rest(facts, tried, i, ctx);
          tried.push(d);
          if (d.matched) break;
        }
        return outcomeOf(node, tried);
      }
      return rest(facts, tried, 0, ctx);
    });
  },
};
