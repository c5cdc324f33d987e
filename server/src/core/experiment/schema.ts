import { z } from 'zod';
import { DURATION_PATTERN } from '../flow/duration.js';
import { notADuration } from '../flow/typed-duration.js';

/**
 * The `experiment` block of a split node (docs/experiments.md). Kept here, next to the code that
 * reads it, so flow/schema.ts only gains one optional field.
 */

/** Facts a split can balance its arms over (see strata.ts for the bands). */
export const STRATIFY_FACTS = ['lifecycleStage', 'orderTier', 'aovBand', 'device', 'province'] as const;
export type StratifyFact = (typeof STRATIFY_FACTS)[number];

const Duration = z.string().regex(DURATION_PATTERN, { error: (i) => notADuration(i.input) });
const Id = z.string().regex(/^[a-z0-9][a-z0-9-_]*$/, 'experiment ids are lower-case letters, digits, "-" and "_"').max(64);

export const ExperimentResponseSchema = z.object({
  event: z.string().min(1).describe('Event type that counts as a response: order_paid, click, reply, coupon_redeemed'),
  match: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional().describe('Event properties that must be equal; "$key" stands for the key of the journey that was assigned (orderId: $key: the reminded order\'s own payment)'),
  revenue: z.string().min(1).optional().describe('Event property holding the revenue (default: amount)'),
});

export const ExperimentTestSchema = z.object({
  sample: z.number().gt(0).lt(100).describe('Percent of the audience that takes part in the test; the rest waits for the decision'),
  window: Duration.describe('How long the test runs from the first assignment before the decision'),
  defaultArm: Id.describe('Arm the rest follows when no arm wins significantly'),
});

export const ExperimentSchema = z.object({
  id: Id.describe('Experiment id, used by GET /api/experiments/:id/report and rekindle report'),
  responses: z.array(ExperimentResponseSchema).min(1).default([{ event: 'order_paid' }]).describe('Events that count as a response; the first one in the window counts'),
  window: Duration.default('7d').describe('Attribution window after exposure (after assignment for the holdout)'),
  alpha: z.number().gt(0).lt(0.5).default(0.05).describe('Significance level (two-sided)'),
  detectLift: z.number().gt(0).default(0.1).describe('Relative lift the power calculation aims at (0.1 = +10%)'),
  power: z.number().gt(0).lt(1).default(0.8).describe('Power for the sample-size calculation'),
  control: Id.optional().describe('Arm the others are compared with (default: the holdout arm, else the first arm)'),
  test: ExperimentTestSchema.optional().describe('Test on a sample first, then send the rest down the winner (or the default arm)'),
});
export type Experiment = z.infer<typeof ExperimentSchema>;

interface SplitLike {
  arms: { id: string; weight: number; quota?: number; holdout: boolean }[];
  experiment?: Experiment;
  quotaOverflow?: string;
  stratify?: string;
}

/** Cross-field checks of a split node: quotas on all arms or none, referenced arms exist. */
export function checkExperimentSplit(n: SplitLike, ctx: z.RefinementCtx): void {
  const ids = new Set(n.arms.map((a) => a.id));
  const withQuota = n.arms.filter((a) => a.quota !== undefined).length;
  if (withQuota > 0 && withQuota < n.arms.length) ctx.addIssue({ code: 'custom', message: 'give a quota on every arm or on none', path: ['arms'] });
  if (withQuota > 0 && n.quotaOverflow === undefined) ctx.addIssue({ code: 'custom', message: 'quotas need quotaOverflow: the arm customers follow once every quota is full', path: ['quotaOverflow'] });
  if (n.quotaOverflow !== undefined && !ids.has(n.quotaOverflow)) ctx.addIssue({ code: 'custom', message: `quotaOverflow names no arm "${n.quotaOverflow}"`, path: ['quotaOverflow'] });
  const x = n.experiment;
  if (!x) return;
  if (x.control !== undefined && !ids.has(x.control)) ctx.addIssue({ code: 'custom', message: `experiment.control names no arm "${x.control}"`, path: ['experiment', 'control'] });
  if (x.test) {
    if (!ids.has(x.test.defaultArm)) ctx.addIssue({ code: 'custom', message: `experiment.test.defaultArm names no arm "${x.test.defaultArm}"`, path: ['experiment', 'test', 'defaultArm'] });
    if (withQuota > 0) ctx.addIssue({ code: 'custom', message: 'a test-then-roll-out split uses weights, not quotas', path: ['experiment', 'test'] });
  }
}
