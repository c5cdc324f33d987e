import { z } from 'zod';

/**
 * The warnings of an experiment report in a form programs read: a `code` for the case and the
 * `figures` it rests on, plus the English `message` (CLI, API readers) written from the same
 * figures, so the words and the code cannot say different things. The designer says each code in
 * Chinese from the figures (designer/src/model/report-warning-words.ts), never from the message.
 */
const ArmCount = z.object({ arm: z.string(), assigned: z.number().int() });

const CASES = {
  notEnoughData: z.object({
    code: z.literal('not-enough-data').describe('an arm has fewer customers than each arm needs before its rate, the lift and P(best) mean anything'),
    figures: z.object({ fewest: ArmCount, minPerArm: z.number().int() }),
  }),
  noBaseline: z.object({
    code: z.literal('no-baseline').describe('the control arm has no responses yet: the customers each arm needs cannot be estimated'),
    figures: z.object({ control: z.string() }),
  }),
  targetUnreachable: z.object({
    code: z.literal('target-unreachable').describe('the control\'s rate raised by detectLift would be 100% or more: the customers each arm needs cannot be estimated'),
    figures: z.object({ control: z.string(), baselineRate: z.number(), detectLift: z.number() }),
  }),
  underpowered: z.object({
    code: z.literal('underpowered').describe('some arm has fewer customers than a test of detectLift on the control\'s rate needs'),
    figures: z.object({
      detectLift: z.number(),
      baselineRate: z.number(),
      perArm: z.number().int().describe('customers each arm needs'),
      moreCustomers: z.number().int().describe('basis shares: customers that must still enter the split for every arm to reach perArm at its share; basis per-arm: the arms\' shortfalls summed'),
      basis: z.enum(['shares', 'per-arm']).describe('shares: the arms fill at their weights; per-arm: they fill by quota, so more customers entering do not fill a short arm'),
      unfillable: z.array(z.string()).describe('arms short of perArm that the split gives no share to (weight 0): no number of customers fills them'),
      sample: z.number().optional().describe('a test-then-roll-out split: percent of the customers entering that take part in the test (counted in moreCustomers)'),
      significant: z.boolean().describe('the result is significant all the same: the figures are a planning note for the next test, not a doubt about this one'),
    }),
  }),
  lowExposure: z.object({
    code: z.literal('low-exposure').describe('a treated arm sent a message to fewer than `share` of its customers: the rest still count in its rate (intention to treat), so its lift says little about the message'),
    figures: z.object({ arms: z.array(ArmCount.extend({ exposed: z.number().int() })), share: z.number().describe('the share of an arm below which it is named (0.5)') }),
  }),
  sampleRatioMismatch: z.object({
    code: z.literal('sample-ratio-mismatch').describe('the arms\' sizes are off their weights (chi-square p < 0.001): check assignment and logging first'),
    figures: z.object({ arms: z.array(ArmCount.extend({ weight: z.number() })), pValue: z.number() }),
  }),
};

export const WarningGroundsSchema = z.discriminatedUnion('code', [CASES.notEnoughData, CASES.noBaseline, CASES.targetUnreachable, CASES.underpowered, CASES.lowExposure, CASES.sampleRatioMismatch]);
export type WarningGrounds = z.infer<typeof WarningGroundsSchema>;
export type WarningCode = WarningGrounds['code'];

const message = z.string().describe('the warning in English, written from code and figures');
export const ReportWarningSchema = z.discriminatedUnion('code', [
  CASES.notEnoughData.extend({ message }),
  CASES.noBaseline.extend({ message }),
  CASES.targetUnreachable.extend({ message }),
  CASES.underpowered.extend({ message }),
  CASES.lowExposure.extend({ message }),
  CASES.sampleRatioMismatch.extend({ message }),
]);
export type ReportWarning = z.infer<typeof ReportWarningSchema>;

const pct = (v: number) => `${(v * 100).toFixed(2)}%`;

/**
 * The customers an underpowered test still needs, in words: at the arms' shares the customers that
 * must enter the split (a 10% holdout needs ten for each one it lacks), by quota the shortfalls summed.
 */
function moreCustomersWords(f: Extract<WarningGrounds, { code: 'underpowered' }>['figures']): string {
  const parts: string[] = [];
  if (f.basis === 'per-arm') parts.push(`${f.moreCustomers} more in all, summed over the arms (they fill by quota: raise the quotas)`);
  else if (f.moreCustomers > 0) parts.push(`${f.moreCustomers} more customers entering the split at the arms' shares${f.sample !== undefined ? ` (${f.sample}% of them take part in the test)` : ''}`);
  if (f.unfillable.length) parts.push(`arm${f.unfillable.length === 1 ? '' : 's'} ${f.unfillable.join(', ')} ${f.unfillable.length === 1 ? 'has' : 'have'} no share of the split, so no number of customers fills ${f.unfillable.length === 1 ? 'it' : 'them'}`);
  return parts.join('; ');
}

/** The English message of a warning, from its code and figures. */
export function warningMessage(g: WarningGrounds): string {
  switch (g.code) {
    case 'not-enough-data': {
      const f = g.figures;
      return `not enough data: arm ${f.fewest.arm} has ${f.fewest.assigned} customer${f.fewest.assigned === 1 ? '' : 's'}; each arm needs at least ${f.minPerArm} before its rate, the lift and P(best) mean anything`;
    }
    case 'no-baseline':
      return `no baseline responses yet: the control arm ${g.figures.control} has none, so the sample size cannot be estimated`;
    case 'target-unreachable': {
      const f = g.figures;
      return `the sample size cannot be estimated: the control arm ${f.control} responds at ${pct(f.baselineRate)}, and a ${(f.detectLift * 100).toFixed(0)}% relative lift on it would be 100% or more`;
    }
    case 'underpowered': {
      const f = g.figures;
      const more = moreCustomersWords(f);
      // A decisive result is not in doubt for want of customers: the power figures only plan the next test.
      if (f.significant) return `planning note: the result is significant all the same; a test to detect a ${(f.detectLift * 100).toFixed(0)}% relative lift on ${pct(f.baselineRate)} would plan for ${f.perArm} customers per arm (this one would have needed ${more})`;
      return `underpowered: to detect a ${(f.detectLift * 100).toFixed(0)}% relative lift on ${pct(f.baselineRate)} needs ${f.perArm} customers per arm: ${more}`;
    }
    case 'low-exposure': {
      const f = g.figures;
      const arms = f.arms.map((a) => `arm ${a.arm} sent a message to ${a.exposed} of its ${a.assigned} customers`).join(', ');
      return `low exposure: ${arms}; the others were held back (consent, caps), are still queued, were not delivered, or have not reached a send yet, and still count in the arm's rate (intention to treat), so its lift says little about the message itself: see the per-node funnel (--funnel) for why`;
    }
    case 'sample-ratio-mismatch': {
      const f = g.figures;
      return `sample-ratio mismatch: arm sizes ${f.arms.map((a) => `${a.arm}=${a.assigned}`).join(', ')} are off the weights ${f.arms.map((a) => `${a.weight}%`).join('/')} (p = ${f.pValue.toExponential(2)}); check assignment and logging before trusting the results`;
    }
  }
}

/** The warning: its code, figures and English message. */
export function reportWarning(g: WarningGrounds): ReportWarning {
  return { ...g, message: warningMessage(g) } as ReportWarning;
}
