import { decideWithFacts, type NodeExecutor } from '../executor.js';

/** A rule → yes / no. The decision keeps the facts read and each condition's result. */
export const conditionExecutor: NodeExecutor<'condition'> = {
  type: 'condition',
  execute(node, batch, ctx) {
    return decideWithFacts(batch, ctx, async (_e, facts) => {
      const d = await ctx.rules.evaluate({ rule: node.rule, conditions: node.conditions }, facts, ctx.now);
      return { kind: 'goto', edge: d.matched ? 'yes' : 'no', next: d.matched ? node.yes : node.no, outcome: d.matched ? 'yes' : 'no', detail: d.explanation };
    });
  },
};
