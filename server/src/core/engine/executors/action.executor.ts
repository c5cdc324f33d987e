import type { NodeExecutor } from '../executor.js';
import type { Effect, StepResult } from '../model.js';
import { newCouponCode } from '../../coupons/code.js';

/** Tag, untag, set an attribute or issue a coupon; the effect is written in the step's transaction. */
export const actionExecutor: NodeExecutor<'action'> = {
  type: 'action',
  async execute(node, batch, ctx) {
    const a = node.action;
    return batch.map((e): StepResult => {
      let effect: Effect | null = null;
      let detail: Record<string, unknown> = { ...a };
      if (a.kind === 'addTag' || a.kind === 'removeTag') effect = { kind: a.kind, customerId: e.customerId, tag: a.tag };
      else if (a.kind === 'setAttribute') effect = { kind: 'setAttribute', customerId: e.customerId, name: a.name, value: a.value };
      else detail = { ...a, code: newCouponCode(ctx.now), validUntil: ctx.now + a.validDays * 86_400_000 };
      return { kind: 'goto', edge: 'next', next: node.next, outcome: a.kind, detail, effects: effect ? [effect] : [] };
    });
  },
};
