import type { NodeExecutor } from '../executor.js';
import type { StepResult } from '../model.js';

/** A rule → yes / no. The decision keeps the facts read and each condition's result. */
export const conditionExecutor: NodeExecutor<'condition'> = {
  type: 'condition',
  async execute(node, batch, ctx) {
    const facts = await ctx.facts();
    const out: StepResult[] = [];
    for (const e of batch) {
      const f = facts.get(e.customerId);
      if (!f) {
        out.push({ kind: 'exit', reason: 'customer-removed', goal: false });
        continue;
      }
      const d = await ctx.rules.evaluate({ rule: node.rule, conditions: node.conditions }, f, ctx.now);
      out.push({ kind: 'goto', edge: d.matched ? 'yes' : 'no', next: d.matched ? node.yes : node.no, outcome: d.matched ? 'yes' : 'no', detail: d.explanation });
    }
    return out;
  },
};
