import type { NodeExecutor } from '../executor.js';
import type { StepResult } from '../model.js';
import { pickArm } from '../split-assignment.js';

/**
 * Splits customers into arms by a salted hash (never Math.random), so a simulation and the live
 * run agree. By customer, the arm is sticky: a returning customer keeps the arm recorded first.
 */
export const splitExecutor: NodeExecutor<'split'> = {
  type: 'split',
  async execute(node, batch, ctx) {
    const salt = node.salt ?? `${ctx.version.flowId}/${node.id}`;
    const recorded = node.by === 'customer' ? await ctx.assignments(node.id) : new Map<number, string>();
    return batch.map((e): StepResult => {
      const previous = recorded.get(e.customerId);
      const arm = (previous && node.arms.find((a) => a.id === previous)) || pickArm(node.arms, salt, node.by === 'customer' ? String(e.customerId) : `${e.customerId}/${e.id}`);
      const effects = previous ? [] : [{ kind: 'assign' as const, flowId: ctx.version.flowId, nodeId: node.id, customerId: e.customerId, enrollmentId: e.id, arm: arm.id, at: ctx.now }];
      return { kind: 'goto', edge: `arm-${arm.id}`, next: arm.next, outcome: `arm:${arm.id}`, arm: arm.id, detail: { arm: arm.id, holdout: arm.holdout, sticky: !!previous }, effects };
    });
  },
};
