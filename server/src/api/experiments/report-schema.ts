import { z } from 'zod';
import type { EnoughData } from '../../core/experiment/enough-data.js';
import { ReportWarningSchema } from '../../core/experiment/report-warnings.js';
import { RecordedDecisionSchema } from '../../core/experiment/winner-decision.js';

const ArmCount = z.object({ arm: z.string(), assigned: z.number().int() });
const EnoughDataSchema = z.object({
  enough: z.boolean().describe('whether rates, lift and P(best) can be read as findings'),
  minPerArm: z.number().int(),
  fewest: ArmCount.nullable().describe('the arm with the fewest customers'),
  reason: z
    .enum(['few-customers', 'no-baseline'])
    .nullable()
    .describe('why not enough: an arm below minPerArm, or the control has no response yet so the sample size cannot be estimated; null when enough'),
  control: z.string().nullable().describe('the arm the sample size is estimated from'),
});
// The schema documents the type core/experiment/enough-data.ts builds: this fails to compile if they part.
const _sameEnoughData: z.infer<typeof EnoughDataSchema> extends EnoughData ? (EnoughData extends z.infer<typeof EnoughDataSchema> ? true : never) : never = true;
void _sameEnoughData;

/**
 * GET /api/experiments/:id/report's JSON as OpenAPI documents it: the ids and the recorded
 * test-then-roll-out decision with its machine-readable `code` and `figures` (programs switch on
 * the code, never on the English `reason`); whether there is enough data and why not; the warnings
 * with their codes and figures (core/experiment/report-warnings.ts); the other per-arm figures and
 * tests as core/experiment/report.ts builds them (docs/experiments.md).
 */
export const ReportResponseSchema = z.looseObject({
  experimentId: z.string(),
  flowId: z.string(),
  nodeId: z.string(),
  asOf: z.number().int().describe('the instant the figures are counted up to (epoch milliseconds, as `decision.decidedAt`): `at`, else now, else a simulation\'s last step; responses keep arriving within the window, so a later report of a running test differs'),
  arms: z.array(
    z.looseObject({
      arm: z.string(),
      probabilityBest: z.number().nullable().describe('P(this arm has the highest response rate), Beta(1, 1) priors; null while no arm has a response (it would only rank the arms by size)'),
    }),
  ),
  enoughData: EnoughDataSchema,
  warnings: z.array(ReportWarningSchema).describe('each with a machine-readable `code` and its `figures`; `message` in English (programs switch on the code)'),
  decision: RecordedDecisionSchema.nullable().describe('a test split\'s recorded decision; null before it decided (or without test:)'),
});
