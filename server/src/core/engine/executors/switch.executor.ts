import type { NodeExecutor } from '../executor.js';
import type { StepResult } from '../model.js';

/** Ordered rules: the first that matches wins, else the `else` edge. */
export const switchExecutor: NodeExecutor<'switch'> = {
  type: 'switch',
  async execute(node, batch, ctx) {
    const facts = await ctx.facts();
    const out: StepResult[] = [];
    for (const e of batch) {
      const f = facts.get(e.customerId);
      if (!f) {
        out.push({ kind: 'exit', reason: 'customer-removed', goal: false });
        continue;
      }
      const tried: Record<string, unknown>[] = [];
      let result: StepResult | null = null;
      for (let i = 0; i < node.cases.length && !result; i++) {
        const c = node.cases[i];
        const d = await ctx.rules.evaluate({ rule: c.rule, conditions: c.conditions }, f, ctx.now);
        tried.push({ case: c.label ?? c.rule ?? `case-${i}`, matched: d.matched, ...d.explanation });
        if (d.matched) result = { kind: 'goto', edge: `case-${i}`, next: c.next, outcome: `case:${c.label ?? c.rule ?? i}`, detail: { cases: tried } };
      }
      out.push(result ?? { kind: 'goto', edge: 'else', next: node.else, outcome: 'else', detail: { cases: tried } });
    }
    return out;
  },
};
