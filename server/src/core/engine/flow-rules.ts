import type { Facts } from '../facts/derive.js';
import { EngineEvaluator, type Evaluation } from '../rules/engine-evaluator.js';
import type { RuleSet } from '../rules/rule-set.js';
import { shareDetail, type FlowVersion } from './model.js';
import type { RuleDecision, RuleEvaluator } from './ports.js';

/** Decision ids of this process (RuleDecision.id): never reused, so an id names one decision object. */
let lastDecisionId = 0;

/**
 * The rule evaluator of one flow version: named rules come from the shop's rule set; each inline
 * condition of the flow becomes its own rule. Engines are built on first use and kept for the
 * version's lifetime — never one per customer.
 */
export function flowRuleEvaluator(rules: RuleSet, version: FlowVersion, timezone: string): RuleEvaluator {
  const named = new EngineEvaluator(rules, { timezone });
  const inline = new Map<string, { evaluator: EngineEvaluator; name: string }>();
  const inlineFor = (conditions: Record<string, unknown>) => {
    const key = JSON.stringify(conditions);
    let e = inline.get(key);
    if (!e) {
      const { set, name } = rules.inline(conditions, `flow ${version.flowId} v${version.version}`);
      inline.set(key, (e = { evaluator: new EngineEvaluator(set, { timezone }), name }));
    }
    return e;
  };
  // One decision object per distinct answer: the evaluator's memo hands out the same `conditions`
  // object for customers alike in the facts the rule reads (same rule, instant and values), so
  // their decisions (and the log details built from them) are shared, read-only, and serialised
  // once by the store (a Double-11 switch logs eight rules' explanations for every customer).
  const decisions = new WeakMap<object, RuleDecision>();
  const decisionOf = (ref: { rule?: string }, ev: Evaluation): RuleDecision => {
    let d = decisions.get(ev.conditions);
    if (!d) {
      d = { id: ++lastDecisionId, matched: ev.matched, explanation: shareDetail({ rule: ref.rule ?? '(inline)', facts: { ...ev.facts }, conditions: ev.conditions }) };
      decisions.set(ev.conditions, d);
    }
    return d;
  };
  return {
    async evaluate(ref, facts: Facts, at: number): Promise<RuleDecision> {
      if (ref.rule) return decisionOf(ref, await named.evaluateShared(ref.rule, facts, at));
      const { evaluator, name } = inlineFor(ref.conditions ?? {});
      return decisionOf(ref, await evaluator.evaluateShared(name, facts, at));
    },
    known(ref, facts: Facts, at: number): RuleDecision | undefined {
      let ev: Evaluation | undefined;
      if (ref.rule) ev = named.known(ref.rule, facts, at);
      else {
        const { evaluator, name } = inlineFor(ref.conditions ?? {});
        ev = evaluator.known(name, facts, at);
      }
      return ev && decisionOf(ref, ev);
    },
    factsRead(ref): readonly string[] | null {
      // A rule that is not in the set, or inline conditions that do not check, fail when evaluated;
      // until then they read "anything": the batch reads all facts, as it did before it asked.
      try {
        if (ref.rule) return named.factsRead(ref.rule);
        const { evaluator, name } = inlineFor(ref.conditions ?? {});
        return evaluator.factsRead(name);
      } catch {
        return null;
      }
    },
  };
}
