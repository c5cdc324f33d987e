import { decideWithFacts, type NodeExecutor } from '../executor.js';

/** Ordered rules: the first that matches wins, else the `else` edge. Every case tried is logged. */
export const switchExecutor: NodeExecutor<'switch'> = {
  type: 'switch',
  execute(node, batch, ctx) {
    return decideWithFacts(batch, ctx, async (_e, facts) => {
      const tried: Record<string, unknown>[] = [];
      for (let i = 0; i < node.cases.length; i++) {
        const c = node.cases[i];
        const d = await ctx.rules.evaluate({ rule: c.rule, conditions: c.conditions }, facts, ctx.now);
        tried.push({ case: c.label ?? c.rule ?? `case-${i}`, matched: d.matched, ...d.explanation });
        if (d.matched) return { kind: 'goto', edge: `case-${i}`, next: c.next, outcome: `case:${c.label ?? c.rule ?? i}`, detail: { cases: tried } };
      }
      return { kind: 'goto', edge: 'else', next: node.else, outcome: 'else', detail: { cases: tried } };
    });
  },
};
