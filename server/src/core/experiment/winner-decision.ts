import { z } from 'zod';

/**
 * A test-then-roll-out decision in a form programs read: a `code` for which case decided it and the
 * figures of that case. The English `reason` (CLI, API readers, the database) is written from the
 * same code and figures (decisionReason), so the words a reader sees and the code a program reads
 * cannot say different things; the designer says the code in Chinese without reading the English.
 */
const ArmRate = z.object({ arm: z.string(), responseRate: z.number().describe('responders / assigned, 0 to 1') });
const defaultArm = z.string().describe('the split\'s test.defaultArm: where everyone goes when no arm wins');

/** Each case: its code and the figures its words need. */
const GROUNDS = [
  {
    code: z.literal('winner').describe('the best treatment arm beats every other arm at the Bonferroni-corrected level'),
    figures: z.object({ best: ArmRate, alpha: z.number(), comparisons: z.number().int().describe('the other arms it was compared with'), level: z.number().describe('alpha / comparisons') }),
  },
  {
    code: z.literal('not-significant').describe('the best treatment arm responds no less often than `other`, but not significantly more (equal rates: p = 1)'),
    figures: z.object({ best: ArmRate, other: ArmRate, pValue: z.number().describe('two-proportion z-test, best against other'), level: z.number().describe('alpha / comparisons: p had to be below it'), defaultArm }),
  },
  {
    code: z.literal('behind').describe('`other` (only a holdout can be) responds more often than the best treatment arm: the treatment did worse than none'),
    figures: z.object({ best: ArmRate, other: ArmRate, pValue: z.number(), level: z.number(), defaultArm }),
  },
  {
    code: z.literal('not-enough-data').describe('an arm had fewer customers than each arm needs (enough-data.ts) when the test ended'),
    figures: z.object({ fewest: z.object({ arm: z.string(), assigned: z.number().int() }), minPerArm: z.number().int(), defaultArm }),
  },
  {
    code: z.literal('no-treatment-customers').describe('no customer was assigned to any treatment (non-holdout) arm'),
    figures: z.object({ defaultArm }),
  },
] as const;

const [g0, g1, g2, g3, g4] = GROUNDS;
export const DecisionGroundsSchema = z.discriminatedUnion('code', [z.object(g0), z.object(g1), z.object(g2), z.object(g3), z.object(g4)]);
export type DecisionGrounds = z.infer<typeof DecisionGroundsSchema>;
export type DecisionCode = DecisionGrounds['code'];

const Decided = z.object({
  arm: z.string().describe('the arm everyone now goes down: the winner, else the default arm'),
  winner: z.boolean(),
  reason: z.string().describe('the decision in English, written from code and figures'),
});
// Whole objects per code (not an intersection): JSON Schema's allOf of two closed objects would admit nothing.
export const WinnerDecisionSchema = z.discriminatedUnion('code', [Decided.extend(g0), Decided.extend(g1), Decided.extend(g2), Decided.extend(g3), Decided.extend(g4)]);
export type WinnerDecision = z.infer<typeof WinnerDecisionSchema>;

/**
 * A decision as recorded: one made before decisions had codes, whose reason could not be matched
 * to one (migration 1765002530000 matched the others once, from the stored report), has `code`
 * and `figures` null (read `reason`).
 */
const Recorded = Decided.extend({ decidedAt: z.number().describe('epoch milliseconds') });
export const RecordedDecisionSchema = z.union([
  Recorded.extend(g0),
  Recorded.extend(g1),
  Recorded.extend(g2),
  Recorded.extend(g3),
  Recorded.extend(g4),
  Recorded.extend({ code: z.null().describe('decided before decisions had codes: read `reason`'), figures: z.null() }),
]);
export type RecordedDecision = WinnerDecision | (z.infer<typeof Decided> & { code: null; figures: null });

const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
const rate = (a: { arm: string; responseRate: number }) => `${a.arm} (${pct(a.responseRate)})`;

/** The English reason of a decision, from its code and figures. */
export function decisionReason(g: DecisionGrounds): string {
  switch (g.code) {
    case 'winner': {
      const f = g.figures;
      return `arm ${rate(f.best)} beats every other arm at p < ${f.level.toFixed(4)} (alpha ${f.alpha}, ${f.comparisons} comparison${f.comparisons > 1 ? 's' : ''})`;
    }
    case 'not-significant': {
      const f = g.figures;
      return `best arm ${rate(f.best)} is not significantly better than ${rate(f.other)}: p = ${f.pValue.toFixed(4)} ≥ ${f.level.toFixed(4)}; default arm ${f.defaultArm}`;
    }
    case 'behind':
      return `best arm ${rate(g.figures.best)} responds less than ${rate(g.figures.other)}; default arm ${g.figures.defaultArm}`;
    case 'not-enough-data': {
      const f = g.figures;
      return `not enough data: arm ${f.fewest.arm} had ${f.fewest.assigned} customer${f.fewest.assigned === 1 ? '' : 's'} when the test ended, each arm needs at least ${f.minPerArm}; default arm ${f.defaultArm}`;
    }
    case 'no-treatment-customers':
      return 'no customers in any treatment arm';
  }
}

/** The decision: the arm everyone goes down (the winner's, else the default), its code, figures and reason. */
export function decision(g: DecisionGrounds): WinnerDecision {
  const arm = g.code === 'winner' ? g.figures.best.arm : g.figures.defaultArm;
  return { arm, winner: g.code === 'winner', reason: decisionReason(g), ...g };
}
