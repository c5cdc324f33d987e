import type { PathProblem } from './problems.js';
import { paymentReminderSteps } from './payment-reminder-steps.js';
import { asObject } from './raw-object.js';

/**
 * A journey that defines no conversion goal. A journey converts when it ends at a goal: an exitOn
 * event with `goal` (true unless written false, schema.ts ExitOnSchema) or an exit step with
 * `goal: true`. Without one, every journey ends "exited", so the home page's 转化 column, the
 * funnel's converted and a simulation's conversions stay 0 however many customers pay, and nothing
 * said why. A warning on the flow (nodeId null, on exitOn's line or the file's first): a shop may
 * publish it anyway.
 *
 * Only journeys that aim at a conversion are judged: one with a marketing send (the default
 * category) or a payment reminder (payment-reminder-steps.ts: 催付 is marked transactional, and
 * paying is its goal). A journey of care and transactional messages alone (post-purchase care,
 * shipping notices) has no purchase to wait for, and its 0 is the truth.
 *
 * The hint names exitOn rather than 达成目标 on an exit step: an exit that every path reaches
 * (the shared 结束 after an A/B split) counts every finished journey as converted, the holdout's
 * too, which go there at once without a message (docs/experiments.md). Pure, on the raw flow.
 */
export function checkConversionGoal(raw: unknown): PathProblem[] {
  const flow = asObject(raw);
  const nodes = Array.isArray(flow?.nodes) ? (flow.nodes as unknown[]) : [];
  const exitOn = Array.isArray(flow?.exitOn) ? (flow.exitOn as unknown[]) : [];
  if (exitOn.some((e) => asObject(e) !== null && asObject(e)!.goal !== false)) return [];
  if (nodes.some((n) => asObject(n)?.type === 'exit' && asObject(n)!.goal === true)) return [];
  const reminders = paymentReminderSteps(nodes);
  const aims = nodes.some((n) => {
    const o = asObject(n);
    return o?.type === 'send' && ((o.category ?? 'marketing') === 'marketing' || (typeof o.id === 'string' && reminders.has(o.id)));
  });
  if (!aims) return [];
  return [
    {
      path: ['exitOn'],
      nodeId: null,
      severity: 'warning',
      message:
        'this journey has no conversion goal: no exitOn event counts as a goal and no exit step has goal: true, so its conversions on the home page and in simulations stay 0; add the event that is the goal to exitOn (e.g. order_paid, goal: true: a payment at any step ends the journey as converted), rather than goal: true on an exit every arm reaches, which counts a holdout\'s customers as converted too',
    },
  ];
}
